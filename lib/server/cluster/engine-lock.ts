import "server-only";
import pg from "pg";
import type { Logger } from "../logger";

/** The key of the engine's advisory lock ("LQDK"); advisory locks are per database. */
export const ENGINE_LOCK_KEY = 1_280_394_315;
/** A standby asks for the lock this often. */
const RETRY_MS = 1000;
/** The leader checks its lock session this often... */
const HEARTBEAT_MS = 1000;
/** ...and fences itself when a check has not answered within this time. */
export const FENCE_AFTER_MS = 3000;
/**
 * PostgreSQL's side of the lock session: a peer silent for 5 s is probed 2 times 2 s apart, then
 * the session ends and the lock is free, about 9 s after a network split. The leader has fenced
 * itself by then (FENCE_AFTER_MS), so two engines never run together.
 */
const SERVER_KEEPALIVE_SQL = "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 2";

/**
 * The engine's lock: a PostgreSQL session-level advisory lock held on a connection of its own.
 * Whoever holds it runs the engine. `acquire` waits for it (retrying every second); once held,
 * the session is checked every second and `onLost` is called at most once when it dies or does
 * not answer within FENCE_AFTER_MS: the holder must stop acting as the engine at once.
 */
export class EngineLock {
  private client: pg.Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private held = false;
  private closing = false;
  private lostCalled = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
    private readonly onLost: (reason: string) => void,
  ) {}

  /** Resolves with the lock session's backend pid once this instance holds the lock; null if released before. */
  async acquire(): Promise<number | null> {
    while (!this.closing) {
      try {
        const pid = await this.tryOnce();
        if (pid !== null) return pid;
      } catch (error) {
        this.log.warn({ err: error }, "engine lock: PostgreSQL did not answer; trying again");
        await this.drop();
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
    return null;
  }

  private async tryOnce(): Promise<number | null> {
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: "liqdesk-engine-lock", keepAlive: true, keepAliveInitialDelayMillis: 1000 });
      client.on("error", (error) => this.sessionEnded(`lock session error: ${error.message}`));
      client.on("end", () => this.sessionEnded("lock session closed"));
      this.client = client;
      await client.connect();
      await client.query(SERVER_KEEPALIVE_SQL);
    }
    if (this.closing) return null;
    const { rows: [row] } = await this.client.query<{ ok: boolean; pid: number }>(
      "SELECT pg_try_advisory_lock($1::bigint) AS ok, pg_backend_pid() AS pid", [ENGINE_LOCK_KEY]);
    if (!row?.ok) return null;
    this.held = true;
    this.heartbeat = setInterval(() => this.check(), HEARTBEAT_MS);
    return row.pid;
  }

  private check(): void {
    const client = this.client;
    if (!client || !this.held) return;
    const timer = setTimeout(() => this.sessionEnded(`lock session did not answer within ${FENCE_AFTER_MS} ms`), FENCE_AFTER_MS);
    client.query("SELECT 1").then(() => clearTimeout(timer), (error: unknown) => {
      clearTimeout(timer);
      this.sessionEnded(`lock session check failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private sessionEnded(reason: string): void {
    if (this.closing) return;
    if (!this.held) {
      // A standby's session: forget it, the next attempt opens another.
      void this.drop();
      return;
    }
    if (this.lostCalled) return;
    this.lostCalled = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.onLost(reason);
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Whether this instance holds the lock (until its session is lost or released). */
  holds(): boolean {
    return this.held && !this.lostCalled && !this.closing;
  }

  /** Ends the lock session (the lock goes with it) and stops campaigning. Call after the engine has stopped. */
  async release(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.held = false;
    await this.drop();
  }
}
