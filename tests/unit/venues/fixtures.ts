import { readFileSync } from "node:fs";
import path from "node:path";

const DIR = path.resolve(import.meta.dirname, "../../fixtures/venues");

/** A venue fixture's parsed JSON, a fresh copy each call (tests tamper with it). */
export function fixture(name: "binance-leverage-brackets.json" | "hyperliquid-meta.json"): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(readFileSync(path.join(DIR, name), "utf8"));
}
