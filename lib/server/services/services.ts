import "server-only";
import type { Logger } from "../logger";
import type { WhatIfs } from "../what-ifs";
import type { AccountsService } from "./accounts";
import type { AlertsService } from "./alerts";
import type { AuditService } from "./audit";
import type { DeskService } from "./desk";
import type { HealthService } from "./health";
import type { IngestService } from "./ingest";
import type { MarketsService } from "./markets";
import type { MarginCallsService } from "./margin-calls";
import type { SessionsService } from "./sessions";

/**
 * What routes and pages may ask of the live side, by what it does. Built by the runtime
 * (lib/server/runtime.ts), which keeps the engine, the marks, the database and the configuration
 * to itself; guarded routes get it injected, pages through `pageServices()` (services-registry.ts).
 */
export interface Services {
  /** One account: its live view, the accounts list, its detail page, top-up preview and write. */
  readonly accounts: AccountsService;
  /** The desk: snapshot, queue, executed steps, stress, liquidation map, insurance fund, risk parameters. */
  readonly desk: DeskService;
  /** The markets' marks and sources; how old a mark may be. */
  readonly markets: MarketsService;
  /** The audit log. */
  readonly audit: AuditService;
  /** What-ifs and stress runs within the per-user and server-wide limits. */
  readonly whatIfs: WhatIfs;
  /** The ingest API's writes (prices, positions, collateral, funding). */
  readonly ingest: IngestService;
  /** Liveness, readiness and the runtime's gauges. */
  readonly health: HealthService;
  /** Who is asking (session, ingest or scrape token) and which sites may ask. */
  readonly sessions: SessionsService;
  /** The desk's alerts: rules, the inbox, the lifecycle; the one way signals become alerts (`apply`). */
  readonly alerts: AlertsService;
  /** Margin calls from the desk to a trader: issue, list, cancel (met and expired by the runtime). */
  readonly marginCalls: MarginCallsService;
  readonly log: Logger;
}
