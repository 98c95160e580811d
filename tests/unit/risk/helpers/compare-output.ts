/**
 * Compares an output with an expected JSON the way the spec asks: numbers within relative 1e-9
 * (0 only equals 0), everything else (quantities, sides, modes, statuses, ids, nulls) exactly,
 * and the same keys in the same order. Returns the differences, empty when they match.
 */
const EXACT_KEYS = new Set(["qty", "tier", "side", "mode", "status", "id", "marketId"]);

export function compareOutput(actual: unknown, expected: unknown, path = "$"): string[] {
  const out: string[] = [];
  walk(actual, expected, path, undefined, out);
  return out;
}

function walk(actual: unknown, expected: unknown, path: string, key: string | undefined, out: string[]): void {
  if (typeof expected === "number") {
    if (typeof actual !== "number") out.push(`${path}: expected ${expected}, got ${JSON.stringify(actual)}`);
    else if (key !== undefined && EXACT_KEYS.has(key)) {
      if (actual !== expected) out.push(`${path}: expected exactly ${expected}, got ${actual}`);
    } else if (Math.abs(actual - expected) > 1e-9 * Math.max(Math.abs(actual), Math.abs(expected))) {
      out.push(`${path}: expected ${expected}, got ${actual} (relative error ${Math.abs(actual - expected) / Math.abs(expected)})`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected an array of ${expected.length}, got ${JSON.stringify(actual)?.slice(0, 80)}`);
      return;
    }
    expected.forEach((e, i) => walk(actual[i], e, `${path}[${i}]`, key, out));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      out.push(`${path}: expected an object, got ${JSON.stringify(actual)?.slice(0, 80)}`);
      return;
    }
    const ek = Object.keys(expected);
    const ak = Object.keys(actual);
    if (ek.join(",") !== ak.join(",")) out.push(`${path}: expected keys [${ek.join(", ")}], got [${ak.join(", ")}]`);
    for (const k of ek) walk((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`, k, out);
    return;
  }
  if (actual !== expected) out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
