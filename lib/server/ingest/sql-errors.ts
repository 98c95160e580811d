import "server-only";

/** Transactions of ingest and execution (interactive or batch): a 10,000-item batch needs more than Prisma's 5 s default. */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/**
 * Whether an error from Prisma (raw query or model call, through @prisma/adapter-pg) is a
 * PostgreSQL unique violation (SQLSTATE 23505).
 */
export function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: unknown }; cause?: unknown; message?: unknown };
    if (o.code === "P2002" || o.code === "23505" || o.meta?.code === "23505") return true;
    if (typeof o.message === "string" && /\b23505\b|unique constraint/i.test(o.message)) return true;
    const kind = (o as { kind?: unknown }).kind;
    if (kind === "UniqueConstraintViolation") return true;
    e = o.meta?.driverAdapterError ?? o.cause;
  }
  return false;
}
