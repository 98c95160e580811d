import { formatPath } from "@/lib/contracts/api-error";

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
