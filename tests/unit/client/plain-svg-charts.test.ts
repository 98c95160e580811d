import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MarkPriceChart } from "@/components/charts/mark-price-chart";
import { LiquidationMapChart } from "@/components/charts/liquidation-map-chart";
import { liquidationMap } from "@/lib/risk";

/** The axis texts of a rendered chart, in document order (tick labels and units; tspans as separate lines). */
function axisTexts(html: string): string[] {
  const texts = [...html.matchAll(/<text[^>]*class="tick"[^>]*>(.*?)<\/text>/g)].map((m) => m[1]!);
  return texts.flatMap((t) => (t.includes("<tspan") ? [...t.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map((m) => m[1]!) : [t]));
}

const start = Date.UTC(2026, 11, 7, 9, 13, 7, 345);

describe("the plain-SVG charts speak the axis vocabulary", () => {
  it("the mark chart: prices at the market's decimals on round values, its unit USD; times on UTC boundaries, its unit UTC", () => {
    const history = Array.from({ length: 31 }, (_, i) => ({ ts: start + i * 1000, mark: 34.78 + 0.63 * Math.abs(Math.sin(i / 5)) }));
    const texts = axisTexts(renderToStaticMarkup(createElement(MarkPriceChart, { history, tickSize: 0.001, stale: false, width: 340 })));
    expect(texts).toEqual(["USD", "34.600", "34.800", "35.000", "35.200", "35.400", "35.600", "UTC", "09:13:15", "09:13:30"]);
  });

  it("the liquidation map: notional in USD from 0; prices with their move from the mark every 5% where there is room", () => {
    const positions = [
      { marketId: "AVAX-PERP", qty: 10, notional: 1_010_000, liquidationPrice: 30 },
      { marketId: "AVAX-PERP", qty: -10, notional: 40_000, liquidationPrice: 40 },
    ];
    const map = liquidationMap("AVAX-PERP", 35.352, positions);
    const wide = axisTexts(renderToStaticMarkup(createElement(LiquidationMapChart, { map, tickSize: 0.001, width: 1300, height: 300 })));
    expect(wide.slice(0, 5)).toEqual(["USD", "0", "500 k", "1.00 M", "1.50 M"]);
    expect(wide.slice(5, 7)).toEqual(["USD", "vs mark"]);
    expect(wide.slice(7)).toHaveLength(26);
    expect(wide.slice(7, 11)).toEqual(["24.746", "−30%", "26.514", "−25%"]);
    expect(wide.slice(19, 21)).toEqual(["35.352", "mark"]);
    expect(wide.slice(-2)).toEqual(["45.958", "+30%"]);
    // On a phone the labels would overlap: fewer, still round moves, the mark kept.
    const narrow = axisTexts(renderToStaticMarkup(createElement(LiquidationMapChart, { map, tickSize: 0.001, width: 360, height: 300 })));
    expect(narrow.slice(7)).toEqual(["28.282", "−20%", "35.352", "mark", "42.422", "+20%"]);
  });
});
