import { BOUNDS } from "./bounds";
import { parseLotSize } from "./lot-size";
import type { MarketParams } from "./market-params";
import { inRange, moneyInRange } from "./range-issue";
import type { RiskIssue } from "./risk-issue";
import { MARGIN_MODES, type PositionInput } from "./account-input";
import { DEFAULT_RISK_PARAMS, type RiskParams } from "./risk-params";
import type { RiskScenario } from "./risk-scenario";
import { validateMarket } from "./validate-market";

type Path = (string | number)[];
const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** Accepted range of each planner parameter (spec §6). */
const PARAM_RULES: { readonly [K in keyof RiskParams]: { readonly ok: (v: number) => boolean; readonly text: string } } = {
  warnRatio: { ok: (v) => v > 0 && v <= 1, text: "must be in (0, 1]" },
  targetBuffer: { ok: (v) => v >= 0, text: "must be >= 0" },
  maxStepFraction: { ok: (v) => v > 0 && v <= 1, text: "must be in (0, 1]" },
  largeNotional: { ok: (v) => v >= 0, text: "must be >= 0" },
  backstopFraction: { ok: (v) => v >= 0 && v <= 1, text: "must be in [0, 1]" },
  cooldownMs: { ok: (v) => v >= 0 && Number.isInteger(v), text: "must be a whole number >= 0" },
};

/** Problems with planner parameters (`params` of a scenario), each at `[...path, name]`. */
export function validateRiskParams(params: Partial<RiskParams> | undefined, path: Path = ["params"]): RiskIssue[] {
  const issues: RiskIssue[] = [];
  if (!params) return issues;
  for (const [key, value] of Object.entries(params)) {
    if (!(key in DEFAULT_RISK_PARAMS)) {
      issues.push({ path: [...path, key], message: `unknown parameter (known: ${Object.keys(DEFAULT_RISK_PARAMS).join(", ")})` });
      continue;
    }
    if (value === undefined) continue;
    const rule = PARAM_RULES[key as keyof RiskParams];
    if (!finite(value)) issues.push({ path: [...path, key], message: `must be a finite number (got ${String(value)})` });
    else if (!rule.ok(value)) issues.push({ path: [...path, key], message: `${rule.text} (got ${value})` });
  }
  return issues;
}

/**
 * Problems with a position's quantity given its market's lot size: not finite, not a whole number
 * of lots (the quantity must be exactly the decimal `n × lotSize`, as a JSON number writes it), or
 * too many lots to count exactly.
 */
export function validateLotQuantity(qty: number, lotSize: number): string | null {
  if (!finite(qty)) return `must be a finite number (got ${String(qty)})`;
  const lot = parseLotSize(lotSize);
  if (!lot) return null; // reported on the market
  const scaled = Math.round(Math.abs(qty) * lot.lotScale);
  if (!Number.isSafeInteger(scaled)) return `${qty} is too large to count in lots of ${lotSize}`;
  if (scaled / lot.lotScale !== Math.abs(qty) || scaled % lot.lotUnits !== 0) {
    return `${qty} is not a whole number of lots (lotSize ${lotSize})`;
  }
  return null;
}

/**
 * Spec §11 on one position, each issue at `[...path, field]`: `marginMode` absent, `cross` or
 * `isolated`; an isolated position has a finite `isolatedMargin` within BOUNDS.collateral (it may
 * be negative, a debt, like collateral); a cross one has none.
 */
export function validateMarginMode(p: Pick<PositionInput, "marginMode" | "isolatedMargin">, path: Path): RiskIssue[] {
  const issues: RiskIssue[] = [];
  const mode: unknown = p.marginMode;
  const margin: unknown = p.isolatedMargin;
  if (mode !== undefined && !(MARGIN_MODES as readonly unknown[]).includes(mode)) {
    issues.push({ path: [...path, "marginMode"], message: `must be one of ${MARGIN_MODES.join(", ")} (got ${JSON.stringify(mode) ?? String(mode)})` });
    return issues;
  }
  if (mode === "isolated") {
    if (margin === undefined) issues.push({ path: [...path, "isolatedMargin"], message: "is required on an isolated position (its own margin, USD)" });
    else if (!finite(margin)) issues.push({ path: [...path, "isolatedMargin"], message: `must be a finite number (got ${String(margin)})` });
    else moneyInRange(issues, [...path, "isolatedMargin"], margin, BOUNDS.collateral);
  } else if (margin !== undefined) {
    issues.push({ path: [...path, "isolatedMargin"], message: 'only an isolated position has one (set "marginMode": "isolated", or leave it out)' });
  }
  return issues;
}

/**
 * Semantic validation of a scenario (spec §2, §10), every issue naming its field: each market
 * (`validateMarket`), duplicate market ids, prices for unknown markets or not finite and `> 0`,
 * parameters out of range, duplicate account ids, collateral not finite (negative is a debt, spec §3), positions in an
 * unknown market or one without a price, two positions in one market, quantities that are not whole
 * lots, entry prices not finite and `> 0`, margin modes and isolated margins (`validateMarginMode`); prices, collateral, quantities and entry prices outside
 * BOUNDS (lib/risk/bounds.ts), so that every figure is finite. Empty when the scenario can be evaluated.
 */
export function validateScenario(scenario: RiskScenario): RiskIssue[] {
  const issues: RiskIssue[] = [];
  const markets = new Map<string, { params: MarketParams; valid: boolean }>();
  scenario.markets.forEach((m, i) => {
    const marketIssues = validateMarket(m, ["markets", i]);
    issues.push(...marketIssues);
    if (markets.has(m.id)) issues.push({ path: ["markets", i, "id"], message: `duplicate market id ${m.id}` });
    else markets.set(m.id, { params: m, valid: marketIssues.length === 0 });
  });
  for (const [id, price] of Object.entries(scenario.prices)) {
    if (!markets.has(id)) issues.push({ path: ["prices", id], message: `unknown market ${id} (not in markets)` });
    if (!finite(price)) issues.push({ path: ["prices", id], message: `must be a finite number (got ${String(price)})` });
    else if (price <= 0) issues.push({ path: ["prices", id], message: `must be > 0 (got ${price})` });
    else inRange(issues, ["prices", id], price, BOUNDS.price.min, BOUNDS.price.max, "USD");
  }
  issues.push(...validateRiskParams(scenario.params));

  const accountIds = new Set<string>();
  scenario.accounts.forEach((account, a) => {
    const at: Path = ["accounts", a];
    if (typeof account.id !== "string" || account.id.length === 0) issues.push({ path: [...at, "id"], message: "must be a non-empty string" });
    else if (accountIds.has(account.id)) issues.push({ path: [...at, "id"], message: `duplicate account id ${account.id}` });
    else accountIds.add(account.id);
    if (!finite(account.collateral)) issues.push({ path: [...at, "collateral"], message: `must be a finite number (got ${String(account.collateral)})` });
    if (finite(account.collateral)) moneyInRange(issues, [...at, "collateral"], account.collateral, BOUNDS.collateral);
    const held = new Set<string>();
    account.positions.forEach((p, j) => {
      const pAt: Path = [...at, "positions", j];
      const market = markets.get(p.marketId);
      if (!market) {
        issues.push({ path: [...pAt, "marketId"], message: `unknown market ${p.marketId}` });
      } else {
        if (!Object.hasOwn(scenario.prices, p.marketId)) {
          issues.push({ path: [...pAt, "marketId"], message: `no price for market ${p.marketId} in prices` });
        }
        if (p.qty !== 0 && held.has(p.marketId)) {
          issues.push({ path: [...pAt, "marketId"], message: `second position in market ${p.marketId} (one per market)` });
        }
        if (p.qty !== 0) held.add(p.marketId);
      }
      if (!finite(p.qty)) {
        issues.push({ path: [...pAt, "qty"], message: `must be a finite number (got ${String(p.qty)})` });
      } else if (Math.abs(p.qty) > BOUNDS.qty.maxAbs) {
        inRange(issues, [...pAt, "qty"], p.qty, -BOUNDS.qty.maxAbs, BOUNDS.qty.maxAbs, "base units");
      } else if (market?.valid) {
        const problem = validateLotQuantity(p.qty, market.params.lotSize);
        if (problem) issues.push({ path: [...pAt, "qty"], message: problem });
      }
      if (!finite(p.entryPrice)) issues.push({ path: [...pAt, "entryPrice"], message: `must be a finite number (got ${String(p.entryPrice)})` });
      else if (p.entryPrice <= 0) issues.push({ path: [...pAt, "entryPrice"], message: `must be > 0 (got ${p.entryPrice})` });
      else inRange(issues, [...pAt, "entryPrice"], p.entryPrice, BOUNDS.price.min, BOUNDS.price.max, "USD");
      issues.push(...validateMarginMode(p, pAt));
    });
  });
  return issues;
}
