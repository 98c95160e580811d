// The NOTIFY payload of an import and how the listener reads it: a list it cannot read reloads every market, never none.
import { describe, expect, it } from "vitest";
import { notification } from "@/lib/server/markets/market-import";
import { marketsOfPayload } from "@/lib/server/markets/markets-listener";

describe("liqdesk_markets payload", () => {
  it("names the markets; past PostgreSQL's 8000-byte limit it says all", () => {
    expect(marketsOfPayload(notification(["BTC-PERP", "ETH-PERP"]))).toEqual(["BTC-PERP", "ETH-PERP"]);
    const many = Array.from({ length: 1000 }, (_, i) => `MARKET-${i}-PERP`);
    expect(Buffer.byteLength(notification(many))).toBeLessThan(8000);
    expect(marketsOfPayload(notification(many))).toBe("all");
  });

  it("a payload it cannot read reloads every market", () => {
    for (const p of [undefined, "", "x", "{}", '{"markets":[1]}', '{"markets":"some"}']) expect(marketsOfPayload(p)).toBe("all");
  });
});
