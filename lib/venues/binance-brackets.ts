import type { TierParams } from "@/lib/risk";
import { decimalAt, fail, integerAt, isObject, stringAt, VenueDecimal, type Path } from "./venue-input";
import type { VenueTable } from "./venue-table";

/**
 * Binance USDⓈ-M leverage brackets (`GET /fapi/v1/leverageBracket`: an array of
 * `{ symbol, brackets: [{ bracket, initialLeverage, notionalCap, notionalFloor, maintMarginRatio, cum }] }`,
 * or one such object when asked for one symbol), mapped onto spec §2 and checked against it:
 *
 * - brackets numbered 1, 2, … in order; the first starts at notional 0 and each starts where the
 *   one below it ends (`notionalFloor_k = notionalCap_(k-1)`), above its floor;
 * - `maxNotional = notionalCap` (the last bracket unbounded: `null`), `mmr = maintMarginRatio`,
 *   `maxLeverage = initialLeverage`;
 * - each bracket's `cum` (Binance's maintenance amount) equals §2's
 *   `cum_k = cum_(k-1) + maxNotional_(k-1) * (mmr_k - mmr_(k-1))`, `cum_1 = 0`, exactly in decimal
 *   arithmetic on the published figures: a table whose maintenance amounts do not follow from its
 *   own tiers is not the table §2 describes, and is refused naming the symbol and bracket.
 *
 * Throws `VenueInputError` (the field's path and why) at the first problem.
 */
export function parseBinanceBrackets(json: unknown): VenueTable[] {
  const entries = Array.isArray(json) ? json : isObject(json) && "symbol" in json ? [json] : null;
  if (!entries) fail([], "must be the leverage-bracket answer: an array of { symbol, brackets } (or one such object)");
  if (entries.length === 0) fail([], "lists no symbol");
  const seen = new Map<string, number>();
  return entries.map((entry, i) => {
    const at: Path = Array.isArray(json) ? [i] : [];
    if (!isObject(entry)) fail(at, "must be an object { symbol, brackets }");
    const symbol = stringAt(entry.symbol, [...at, "symbol"]);
    const earlier = seen.get(symbol);
    if (earlier !== undefined) fail([...at, "symbol"], `${symbol} is listed twice (also at [${earlier}])`);
    seen.set(symbol, i);
    return { venue: "binance" as const, symbol, where: Array.isArray(json) ? `[${i}]` : "(body)", tiers: bracketsOf(symbol, entry.brackets, [...at, "brackets"]) };
  });
}

function bracketsOf(symbol: string, raw: unknown, at: Path): TierParams[] {
  if (!Array.isArray(raw) || raw.length === 0) fail(at, `${symbol}: must list at least one bracket`);
  const tiers: TierParams[] = [];
  let prevCap: VenueDecimal | null = null;
  let prevMmr = new VenueDecimal(0);
  let cum = new VenueDecimal(0);
  raw.forEach((b: unknown, k) => {
    const p: Path = [...at, k];
    if (!isObject(b)) fail(p, `${symbol} bracket ${k + 1}: must be an object`);
    const number = integerAt(b.bracket, [...p, "bracket"], 1, 1000);
    if (number !== k + 1) fail([...p, "bracket"], `${symbol}: brackets must be numbered 1, 2, … in order; found ${number} in position ${k + 1}`);
    const name = `${symbol} bracket ${number}`;
    const floor = decimalAt(b.notionalFloor, [...p, "notionalFloor"]);
    const cap = decimalAt(b.notionalCap, [...p, "notionalCap"]);
    const mmr = decimalAt(b.maintMarginRatio, [...p, "maintMarginRatio"]);
    const leverage = decimalAt(b.initialLeverage, [...p, "initialLeverage"]);
    const published = decimalAt(b.cum, [...p, "cum"]);
    const expectedFloor = prevCap ?? new VenueDecimal(0);
    if (!floor.eq(expectedFloor)) {
      fail([...p, "notionalFloor"], k === 0
        ? `${name}: the first bracket must start at notional 0 (got ${floor})`
        : `${name}: a gap or overlap: notionalFloor ${floor} must equal the notionalCap ${expectedFloor} of bracket ${number - 1}`);
    }
    if (!cap.gt(floor)) fail([...p, "notionalCap"], `${name}: notionalCap ${cap} must be above notionalFloor ${floor}`);
    if (mmr.lt(0) || mmr.gte(1)) fail([...p, "maintMarginRatio"], `${name}: must be a rate in [0, 1) (got ${mmr})`);
    if (!leverage.gt(0)) fail([...p, "initialLeverage"], `${name}: must be > 0 (got ${leverage})`);
    if (k > 0) cum = cum.plus(expectedFloor.times(mmr.minus(prevMmr)));
    if (!published.eq(cum)) {
      fail([...p, "cum"], `${name}: cum ${published} is not the maintenance amount spec §2 derives from the brackets (${cum.toString()})`);
    }
    const last = k === raw.length - 1;
    tiers.push({ maxNotional: last ? null : cap.toNumber(), mmr: mmr.toNumber(), maxLeverage: leverage.toNumber() });
    prevCap = cap;
    prevMmr = mmr;
  });
  return tiers;
}
