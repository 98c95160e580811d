import Decimal from "decimal.js";
import { formatPath } from "@/lib/risk/risk-issue";

/**
 * Exact decimals for the venue checks: a published figure is read from its decimal text (a JSON
 * number as `String(n)`, its shortest round-trip form), and sums and products of such figures are
 * exact at this precision.
 */
export const VenueDecimal = Decimal.clone({ precision: 100 });
export type VenueDecimal = InstanceType<typeof VenueDecimal>;

/** A venue table that cannot be imported: `path` names the field (`[3].brackets[2].cum`), the message says why. */
export class VenueInputError extends Error {
  constructor(readonly path: readonly (string | number)[], readonly detail: string) {
    super(`${formatPath(path)}: ${detail}`);
    this.name = "VenueInputError";
  }
}

export type Path = readonly (string | number)[];

export function fail(path: Path, detail: string): never {
  throw new VenueInputError(path, detail);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Published number: a JSON number or a decimal string ("3000000.0"), finite. Returned as its exact decimal. */
export function decimalAt(value: unknown, path: Path): VenueDecimal {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(path, `must be a finite number (got ${String(value)})`);
    return new VenueDecimal(String(value));
  }
  if (typeof value === "string" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.trim())) {
    const d = new VenueDecimal(value.trim());
    if (d.isFinite()) return d;
  }
  return fail(path, value === undefined ? "missing (a number)" : `must be a finite number (got ${JSON.stringify(value)})`);
}

/** A published whole number within [min, max]. */
export function integerAt(value: unknown, path: Path, min: number, max: number): number {
  const d = decimalAt(value, path);
  if (!d.isInteger() || d.lt(min) || d.gt(max)) fail(path, `must be a whole number in [${min}, ${max}] (got ${d.toString()})`);
  return d.toNumber();
}

export function stringAt(value: unknown, path: Path): string {
  if (typeof value !== "string" || value.trim() === "") fail(path, value === undefined ? "missing (a name)" : `must be a non-empty string (got ${JSON.stringify(value)})`);
  return value;
}

/** The text of a file as JSON, or a VenueInputError saying it is not. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // One line: JSON.parse quotes the text around the error, newlines included.
    return fail([], `not JSON: ${(error as Error).message.replace(/\s+/g, " ")}`);
  }
}
