/**
 * Risk CLI (spec §10, §8). JSON in, JSON out; nothing else on standard output.
 *
 *   npm run --silent risk -- evaluate FILE   (FILE may be `-` for standard input)
 *   npm run --silent risk -- stress FILE
 *
 * Exit codes: 0 done; 1 invalid input (unreadable file, malformed JSON, or a field the model
 * rejects: one `path: message` line per field on standard error); 2 usage error.
 */
import { readFileSync } from "node:fs";
import type { FieldError } from "@/lib/contracts/api-error";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { safeParseStressRequest } from "@/lib/contracts/stress-request";
import { evaluateScenario, stressTest } from "@/lib/risk";

const USAGE = `usage: risk evaluate FILE|-
       risk stress FILE|-

  evaluate  figures, liquidation prices and plans of every account (spec §10)
  stress    shock the marks and run the liquidation cascade (spec §8)
  FILE      a JSON file, or - for standard input (see docs/API.md)
`;

class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

function readInput(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file === "-" ? "standard input" : file}: ${(error as Error).message}`, 1);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file === "-" ? "standard input" : file} is not valid JSON: ${(error as Error).message}`, 1);
  }
}

function invalid(fields: FieldError[]): CliError {
  const lines = fields.map((f) => `  ${f.path === "(body)" ? "(input)" : f.path}: ${f.message}`);
  return new CliError(`invalid input:\n${lines.join("\n")}`, 1);
}

function run(args: readonly string[]): unknown {
  const [command, file, ...rest] = args;
  if (command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if ((command !== "evaluate" && command !== "stress") || file === undefined || rest.length > 0) {
    throw new CliError(USAGE.trimEnd(), 2);
  }
  const input = readInput(file);
  if (command === "evaluate") {
    const parsed = safeParseRiskScenario(input);
    if (!parsed.success) throw invalid(parsed.fields);
    return evaluateScenario(parsed.data);
  }
  const parsed = safeParseStressRequest(input);
  if (!parsed.success) throw invalid(parsed.fields);
  return stressTest(parsed.data);
}

try {
  const result = run(process.argv.slice(2));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  }
}
