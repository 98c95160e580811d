import { describe, expect, it } from "vitest";
import { ratioAxis } from "@/components/charts/ratio-axis";
import { ratioBand, ratioBands } from "@/lib/client/ratio-bands";
import { DEFAULT_RISK_PARAMS } from "@/lib/risk";

describe("ratio bands follow the server's risk parameters", () => {
  it("at spec §6's defaults: warning 80%, liquidation 100%, backstop above 150%", () => {
    const bands = ratioBands(DEFAULT_RISK_PARAMS);
    expect(bands.warn).toBe(0.8);
    expect(bands.liquidation).toBe(1);
    expect(bands.backstop).toBeCloseTo(1.5, 12);
    expect([0.79, 0.8, 1, 1.5, 1.51, null].map((r) => ratioBand(r, bands)))
      .toEqual(["healthy", "warning", "liquidatable", "liquidatable", "backstop", "bankrupt"]);
  });

  it("at other parameters the bands and the charts' threshold lines move with them", () => {
    const bands = ratioBands({ warnRatio: 0.6, backstopFraction: 0.5 });
    expect(bands).toEqual({ warn: 0.6, liquidation: 1, backstop: 2 });
    expect([0.59, 0.7, 1.8, 2.1].map((r) => ratioBand(r, bands))).toEqual(["healthy", "warning", "liquidatable", "backstop"]);
    const lines = ratioAxis(bands, { domain: [0, 200], ticks: [0, 100, 200] }).slice(1) as { props: { y: number; label: { value: string } } }[];
    expect(lines.map((l) => [l.props.y, l.props.label.value])).toEqual([[60, "60% warning"], [100, "100% liquidation"]]);
  });
});
