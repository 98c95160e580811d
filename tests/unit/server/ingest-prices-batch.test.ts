import { describe, expect, it } from "vitest";
import { parsePriceBatch } from "@/lib/server/ingest/ingest-prices";
import { InputError } from "@/lib/contracts/api-error";

const known = (id: string) => id === "BTC-PERP" || id === "ETH-PERP";

function fieldsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.fields.map((f) => f.path);
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("price batch validation", () => {
  it("names the index and field of a bad tick", () => {
    expect(fieldsOf(() => parsePriceBatch({ source: "a", ticks: [
      { marketId: "BTC-PERP", price: 1, ts: 1 }, { marketId: "BTC-PERP", price: -5, ts: 2 }] }, known))).toEqual(["ticks[1].price"]);
    expect(fieldsOf(() => parsePriceBatch({ source: "a", ticks: [{ marketId: "DOGE-PERP", price: 1, ts: 1 }] }, known)))
      .toEqual(["ticks[0].marketId"]);
    expect(fieldsOf(() => parsePriceBatch({ ticks: [] }, known))).toEqual(["source", "ticks"]);
  });
  it("accepts ISO timestamps, orders ticks by time per market and drops same-time duplicates", () => {
    const batch = parsePriceBatch({ source: "a", ticks: [
      { marketId: "ETH-PERP", price: 3, ts: 20 },
      { marketId: "BTC-PERP", price: 2, ts: "1970-01-01T00:00:00.020Z" },
      { marketId: "BTC-PERP", price: 1, ts: 10 },
      { marketId: "BTC-PERP", price: 9, ts: 20 },
    ] }, known);
    expect(batch.ticks).toEqual([
      { marketId: "BTC-PERP", price: 1, ts: 10 },
      { marketId: "BTC-PERP", price: 2, ts: 20 },
      { marketId: "ETH-PERP", price: 3, ts: 20 },
    ]);
  });
});
