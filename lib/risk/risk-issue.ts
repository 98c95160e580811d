/** One problem with an input, at a zod-style path (`["accounts", 2, "positions", 0, "qty"]`). */
export interface RiskIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Thrown by the model's entry points when given input that `validateScenario` rejects. */
export class RiskInputError extends Error {
  constructor(readonly issues: readonly RiskIssue[]) {
    super(issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; "));
    this.name = "RiskInputError";
  }
}

/** `accounts[2].positions[0].qty` from a zod-style path `["accounts", 2, "positions", 0, "qty"]`; `(body)` when empty. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(body)" : out;
}
