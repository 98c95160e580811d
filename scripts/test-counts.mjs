// `npm test` helper: prints "<passed> <failed>" from a Vitest JSON report. A failed test counts
// once (Vitest also marks its describe blocks and its file as failed suites); a file that failed
// without a failed test (it could not load) counts as one failure, and so does a run that failed
// with nothing else to show for it.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2], "utf8"));
const filesFailedOutsideTests = report.testResults.filter(
  (file) => file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"),
).length;
let failed = report.numFailedTests + filesFailedOutsideTests;
if (!report.success && failed === 0) failed = 1;
console.log(report.numPassedTests, failed);
