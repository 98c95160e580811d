-- CreateTable
CREATE TABLE "engine_leader" (
    "lock_key" BIGINT NOT NULL,
    "url" TEXT NOT NULL,
    "backend_pid" INTEGER NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engine_leader_pkey" PRIMARY KEY ("lock_key")
);
