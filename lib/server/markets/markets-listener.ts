import "server-only";
import pg from "pg";
import type { Logger } from "../logger";
import { MARKETS_CHANNEL } from "./market-import";

/** After a lost session, LISTEN again this long later. */
const RECONNECT_MS = 1000;

/** The markets a notification names: a list of ids, or every market. */
export type MarketsChanged = readonly string[] | "all";

/** The payload of a `liqdesk_markets` NOTIFY (market-import.ts's `notification`); "all" when it cannot be read. */
export function marketsOfPayload(payload: string | undefined): MarketsChanged {
  try {
    const parsed = JSON.parse(payload ?? "") as { markets?: unknown };
    if (parsed.markets === "all") return "all";
    if (Array.isArray(parsed.markets) && parsed.markets.every((id) => typeof id === "string")) return parsed.markets as string[];
  } catch {
    // fall through: a payload we cannot read reloads everything rather than nothing
  }
  return "all";
}

/**
 * LISTENs on `liqdesk_markets` on a PostgreSQL session of its own and calls `onChanged` with the
 * markets each committed import names (docs/MARKETS-IMPORT.md). Each time the session is (re)opened
 * it calls `onChanged("all")` once LISTEN is in place: an import committed while nobody listened
 * (before the start, during a lost session) is never missed. A lost session is logged and opened
 * again every second until `stop`.
 */
export class MarketsListener {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
    private readonly onChanged: (markets: MarketsChanged) => void,
  ) {}

  /** Resolves once the first LISTEN is in place (or has failed and a retry is scheduled). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: "liqdesk-markets-listener", keepAlive: true });
    this.client = client;
    let lost = false;
    const onLost = (reason: string) => {
      if (lost || this.stopped) return;
      lost = true;
      this.log.warn({ reason }, "market reload listener: session lost; listening again shortly");
      void client.end().catch(() => undefined);
      this.retry();
    };
    client.on("error", (error) => onLost(error.message));
    client.on("end", () => onLost("session closed"));
    client.on("notification", (n) => {
      if (n.channel === MARKETS_CHANNEL) this.onChanged(marketsOfPayload(n.payload));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${MARKETS_CHANNEL}`);
    } catch (error) {
      onLost((error as Error).message);
      return;
    }
    if (!this.stopped) this.onChanged("all");
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, RECONNECT_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
