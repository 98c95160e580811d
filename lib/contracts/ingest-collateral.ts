import Decimal from "decimal.js";
import { z } from "zod";
import { BOUNDS, boundText } from "@/lib/risk/bounds";
import { MAX_BATCH_ITEMS } from "@/lib/contracts/ingest-batch";
import { textSchema } from "@/lib/contracts/text";
import { describeValue, expected } from "@/lib/contracts/zod-issues";

/** Decimals that `Decimal(38,18)` columns keep (spec §1): more is refused, never rounded. */
export const MAX_DECIMALS = 18;
/** `Decimal(38,18)` holds at most 20 integer digits. */
const LIMIT = new Decimal("1e20");
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export interface DecimalOptions {
  /** `positive`: > 0; `nonnegative`: >= 0; `nonzero`: ≠ 0; default any sign. */
  sign?: "positive" | "nonnegative" | "nonzero";
  /** The range of |value| (lib/risk/bounds.ts), `min` applying to a value other than 0, in `unit`. */
  range?: { min?: number; max: number; unit: string };
}

/**
 * An exact decimal given as a JSON number (read as written: `String(n)`, its shortest round-trip
 * form, so `0.1` is exactly 0.1) or as a decimal string (`"-12.345"`, no exponent), with at most 18
 * decimals and 20 integer digits. Parsed to its canonical string (`"-12.345"`, `"0"`): money and
 * quantities travel as strings from here to PostgreSQL `numeric`, never through float arithmetic.
 */
export function decimalSchema(opts: DecimalOptions = {}) {
  return z
    .union([z.number(), z.string()], { error: expected("a decimal number or a decimal string") })
    .transform((value, ctx) => {
      const fail = (message: string) => {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      let text: string;
      if (typeof value === "number") {
        if (!Number.isFinite(value)) return fail(`must be a finite number (got ${describeValue(value)})`);
        text = String(value);
      } else {
        text = value.trim();
        if (text.length > 64 || !DECIMAL_TEXT.test(text)) {
          return fail(`must be a decimal number or a decimal string like "-12.5" (got ${describeValue(value)})`);
        }
      }
      const d = readDecimal(text);
      if (d.decimals > MAX_DECIMALS) return fail(`${describeValue(value)} has more than ${MAX_DECIMALS} decimals`);
      if (d.tooLarge) return fail(`${describeValue(value)} is too large (at most 20 integer digits)`);
      if (opts.sign === "positive" && (d.negative || d.zero)) return fail(`must be > 0 (got ${describeValue(value)})`);
      if (opts.sign === "nonnegative" && d.negative) return fail(`must be >= 0 (got ${describeValue(value)})`);
      if (opts.sign === "nonzero" && d.zero) return fail("must not be 0");
      const range = opts.range;
      if (range && !d.zero) {
        const abs = new Decimal(d.canonical).abs();
        if (abs.gt(range.max) || (range.min !== undefined && abs.lt(range.min))) return fail(rangeMessage(range, value));
      }
      return d.canonical;
    });
}

function rangeMessage(range: NonNullable<DecimalOptions["range"]>, value: unknown): string {
  const max = boundText(range.max);
  if (range.min === undefined) return `must be between -${max} and ${max} ${range.unit} (got ${describeValue(value)})`;
  return `must be between ${boundText(range.min)} and ${max} ${range.unit} (got ${describeValue(value)})`;
}

interface DecimalText {
  /** `"-12.345"`, `"0"`: no sign for zero, no leading or trailing zeros, no exponent. */
  canonical: string;
  negative: boolean;
  zero: boolean;
  /** Decimal places once trailing zeros are dropped. */
  decimals: number;
  /** |value| ≥ 10^20. */
  tooLarge: boolean;
}

const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * A decimal's canonical form and properties. The common form (`[sign]digits[.digits]`) is read
 * from its digits directly, every other form (`.5`, `1e-7` from a number) by decimal.js; both give
 * what decimal.js's `toFixed()` gives (unit-tested against it).
 */
export function readDecimal(text: string): DecimalText {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) {
    const d = new Decimal(text);
    return { canonical: d.toFixed(), negative: d.lt(0), zero: d.isZero(), decimals: d.decimalPlaces(), tooLarge: d.abs().gte(LIMIT) };
  }
  const whole = m[2]!.replace(/^0+/, "");
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  const zero = whole === "" && fraction === "";
  const negative = m[1] === "-" && !zero;
  return {
    canonical: `${negative ? "-" : ""}${whole || "0"}${fraction ? `.${fraction}` : ""}`,
    negative,
    zero,
    decimals: fraction.length,
    tooLarge: whole.length > 20,
  };
}

export const COLLATERAL_INGEST_KINDS = ["deposit", "withdrawal", "adjustment", "isolated_margin"] as const;
export type CollateralIngestKind = (typeof COLLATERAL_INGEST_KINDS)[number];

export const collateralEntrySchema = z
  .object({
    accountId: textSchema(128),
    /**
     * Signed as it moves the balance: deposits > 0, withdrawals < 0, adjustments either way. For
     * `isolated_margin` (spec §11), signed as it moves the isolated position's margin: > 0 moves
     * collateral from the cross balance into the position ("add margin"), < 0 moves it back.
     */
    amount: decimalSchema({ sign: "nonzero", range: { max: BOUNDS.amount.maxAbs, unit: "USD" } }),
    kind: z.enum(COLLATERAL_INGEST_KINDS, { error: expected(`one of ${COLLATERAL_INGEST_KINDS.join(", ")}`) }),
    /** `isolated_margin` only: the isolated position (this account's position in this market). */
    marketId: textSchema(64).optional(),
    /** A replay of a key already applied is a no-op (the same entry) or an error (a different one). */
    idempotencyKey: textSchema(200),
    note: textSchema(500, { min: 0 }).optional(),
  })
  .superRefine((entry, ctx) => {
    const negative = entry.amount.startsWith("-");
    if (entry.kind === "deposit" && negative) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: `a deposit must be > 0 (got ${entry.amount})` });
    }
    if (entry.kind === "withdrawal" && !negative) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: `a withdrawal is signed as it moves the balance: must be < 0 (got ${entry.amount})` });
    }
    if (entry.kind === "isolated_margin" && entry.marketId === undefined) {
      ctx.addIssue({ code: "custom", path: ["marketId"], message: "is required for an isolated_margin entry: the market of the isolated position" });
    }
    if (entry.kind !== "isolated_margin" && entry.marketId !== undefined) {
      ctx.addIssue({ code: "custom", path: ["marketId"], message: `is only for an isolated_margin entry (this one is a ${entry.kind})` });
    }
  });
export type CollateralEntry = z.infer<typeof collateralEntrySchema>;

/** `POST /api/v1/ingest/collateral`: collateral movements the venue made (top-ups have their own endpoint). */
export const ingestCollateralSchema = z.object({
  entries: z
    .array(collateralEntrySchema, { error: expected("an array of entries") })
    .min(1, { error: "must hold at least one entry" })
    .max(MAX_BATCH_ITEMS, { error: `at most ${MAX_BATCH_ITEMS} entries per batch` }),
});
export type IngestCollateral = z.infer<typeof ingestCollateralSchema>;
export type IngestCollateralInput = z.input<typeof ingestCollateralSchema>;
