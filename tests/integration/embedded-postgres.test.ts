import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/lib/server/db/embedded-postgres";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createPrismaClient } from "@/lib/server/db/prisma-client";
import { freePort } from "../support/free-port";

const ROOT = path.resolve(import.meta.dirname, "../..");

let dir: string;
let dataDir: string;
let port: number;
const running: EmbeddedPostgresHandle[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "liqdesk-embedded-"));
  await chmod(dir, 0o755); // as root, the server runs as `postgres` and must reach its data dir
  dataDir = path.join(dir, "postgres");
  port = await freePort();
});

afterAll(async () => {
  for (const db of running) await db.stop();
  await rm(dir, { recursive: true, force: true });
});

async function start() {
  const db = await startEmbeddedPostgres({ dataDir, port, database: "liqdesk", unsafeNoFsync: true });
  running.push(db);
  return db;
}

async function pidFilePid(): Promise<number> {
  return Number.parseInt((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]!, 10);
}

describe("embedded PostgreSQL", () => {
  it("keeps data across a stop and a start of the same data directory", async () => {
    const first = await start();
    expect(first.connectionString).toMatch(new RegExp(`^postgresql://.*@127\\.0\\.0\\.1:${port}/liqdesk$`));
    await migrateDatabase(first.connectionString);
    const writer = createPrismaClient(first.connectionString);
    await writer.account.create({ data: { id: "ACC-1", collateral: "1234.500000000000000001" } });
    await writer.$disconnect();
    await first.stop();
    await first.stop(); // idempotent

    const second = await start();
    expect((await migrateDatabase(second.connectionString)).applied).toEqual([]); // no re-init
    const reader = createPrismaClient(second.connectionString);
    const account = await reader.account.findUniqueOrThrow({ where: { id: "ACC-1" } });
    expect(account.collateral.toFixed()).toBe("1234.500000000000000001");
    await reader.$disconnect();
    await second.stop();
  });

  it("starts after a previous run left a stale postmaster.pid behind", async () => {
    const db = await start();
    const pid = await pidFilePid();
    await db.stop();
    // As if the machine died: a pid file naming a process that no longer exists.
    await writeFile(path.join(dataDir, "postmaster.pid"), `999999\n${dataDir}\n0\n${port}\n\n127.0.0.1\n0 0\nready\n`);
    const again = await start();
    expect(await pidFilePid()).not.toBe(pid);
    await again.stop();
  });

  it("starts after the process that owned the server was killed with SIGKILL (the orphaned server is shut down first)", async () => {
    const script = path.join(dir, "owner.mts");
    const modulePath = path.join(ROOT, "lib/server/db/embedded-postgres.ts");
    await writeFile(script, `
      import { startEmbeddedPostgres } from ${JSON.stringify(modulePath)};
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: "liqdesk", unsafeNoFsync: true });
      console.log("READY");
      setInterval(() => {}, 1000);
    `);
    const owner = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      owner.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("READY")) resolve();
      });
      owner.on("exit", (code) => reject(new Error(`owner exited early (${code})`)));
    });
    const orphan = await pidFilePid();
    owner.kill("SIGKILL");
    await new Promise((r) => owner.once("exit", r));
    expect(() => process.kill(orphan, 0)).not.toThrow(); // the server outlived its owner

    const db = await start();
    expect(await pidFilePid()).not.toBe(orphan);
    const prisma = createPrismaClient(db.connectionString);
    expect(await prisma.account.count()).toBe(1); // ACC-1 from the first test
    await prisma.$disconnect();
    await db.stop();
  });
});
