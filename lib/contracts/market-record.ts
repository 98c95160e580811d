import { z } from "zod";

/**
 * Keys a plain object cannot hold as data. `JSON.parse` makes `"__proto__"` an own property, but
 * zod's `z.record` skips it (assigning it would set the result's prototype): `{"__proto__": 0.5}`
 * would parse as `{}`, a shock silently not applied. Such a key is refused instead.
 * (`constructor` and `prototype` are ordinary own keys of a parsed record: unknown markets, refused
 * by the checks that know the markets.)
 */
export const RESERVED_KEYS: readonly string[] = ["__proto__"];

/** Why `key` cannot name a market, or null: a reserved key is an unknown market. */
export function reservedKeyProblem(key: string): string | null {
  return RESERVED_KEYS.includes(key) ? `unknown market ${key} (a reserved name)` : null;
}

/**
 * A record keyed by market id (`prices`, `shocks`, `depthPer1Pct`): `z.record(key, value)` that
 * first refuses, on the raw value, an own reserved key (`RESERVED_KEYS`), naming it as an
 * unknown market (`shocks.__proto__`), so that nothing a client sent is dropped unseen.
 */
export function marketRecord<K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(
  key: K,
  value: V,
  params?: z.core.$ZodRecordParams,
) {
  const record = z.record(key, value, params);
  return z.preprocess((raw: z.input<typeof record>, ctx) => {
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
      for (const k of RESERVED_KEYS) {
        const problem = Object.hasOwn(raw, k) ? reservedKeyProblem(k) : null;
        if (problem) ctx.addIssue({ code: "custom", path: [k], message: problem, input: raw });
      }
    }
    return raw;
  }, record);
}
