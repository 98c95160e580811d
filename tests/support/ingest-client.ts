/** A tiny client of the ingest API for tests: every call must be acknowledged with 200. */
export class IngestClient {
  private ts = Date.now();
  constructor(private readonly baseUrl: string, private readonly token: string) {}

  async post(kind: "prices" | "positions" | "collateral" | "funding", body: unknown): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}/api/v1/ingest/${kind}`, {
      method: "POST", headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`ingest ${kind} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  }

  /** The same price from three sources, newer than any before: the mark is exactly `price`. */
  async mark(marketId: string, price: number): Promise<void> {
    this.ts = Math.max(Date.now(), this.ts + 1);
    for (const source of ["e2e-a", "e2e-b", "e2e-c"]) await this.post("prices", { source, ticks: [{ marketId, price, ts: this.ts }] });
  }
}
