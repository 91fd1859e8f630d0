/**
 * `npm test`: typecheck, lint, unit and integration tests (vitest), end-to-end tests
 * (Playwright), in that order, stopping at the first that fails as `a && b` does. Then two
 * closing lines: the tests' totals, and one line saying which steps ran and which suites
 * skipped for want of which service (server/test/needs.ts records them), so a green run
 * never hides that half the suite did not run. Exits with the failed step's code.
 *
 * `npm test -- lib/db/migrate.test.ts e2e/csp.spec.ts` runs typecheck, lint and only those
 * files (*.test.ts with vitest, *.spec.ts with Playwright), leaving out a runner given none.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { E2E_RESULTS_VARIABLE, SKIPS_FILE_VARIABLE, parseSkipRecords, playwrightCounts, summaryLine, totalsLine, vitestCounts, type Counts, type StepResult } from "@/lib/testing/summary";

const dir = mkdtempSync(join(tmpdir(), "onescreen-npm-test-"));
const skipsFile = join(dir, "skips.jsonl");
const unitResults = join(dir, "vitest.json");
const e2eResults = join(dir, "playwright.json");
writeFileSync(skipsFile, "");

interface Step {
  name: string;
  /** The package.json script that is this step when run alone, and what to add to its command. */
  script: string;
  args: string[];
  env: Record<string, string>;
  /** The JSON report the test runner writes, and its counts. */
  report?: { file: string; counts: (report: unknown) => Counts };
}

const files = process.argv.slice(2);
const strays = files.filter((file) => !file.endsWith(".test.ts") && !file.endsWith(".spec.ts"));
if (strays.length > 0) {
  console.error(`npm test takes test files (*.test.ts for vitest, e2e/*.spec.ts for Playwright), not ${strays.join(", ")}`);
  process.exit(2);
}
const unitFiles = files.filter((file) => file.endsWith(".test.ts"));
const e2eFiles = files.filter((file) => file.endsWith(".spec.ts"));

const STEPS: Step[] = [
  { name: "typecheck", script: "typecheck", args: [], env: {} },
  { name: "lint", script: "lint", args: [], env: {} },
  { name: "unit", script: "test:unit", args: ["--reporter=default", "--reporter=json", `--outputFile.json=${unitResults}`, ...unitFiles], env: {}, report: { file: unitResults, counts: vitestCounts } },
  { name: "e2e", script: "test:e2e", args: e2eFiles, env: { [E2E_RESULTS_VARIABLE]: e2eResults }, report: { file: e2eResults, counts: playwrightCounts } },
];
/** With files named, a runner given none of them is left out. */
const leftOut = (step: Step) => files.length > 0 && ((step.name === "unit" && unitFiles.length === 0) || (step.name === "e2e" && e2eFiles.length === 0));

/** Runs the step as `npm run <script> -- <args>`; its exit code, and its result for the summary. */
function run(step: Step): { code: number; result: StepResult } {
  const args = ["run", step.script, ...(step.args.length > 0 ? ["--", ...step.args] : [])];
  const child = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", args, { stdio: "inherit", env: { ...process.env, [SKIPS_FILE_VARIABLE]: skipsFile, ...step.env } });
  // A signal (Ctrl-C) or a failure to start is a failure too.
  const code = child.status ?? 1;
  const counts = step.report && existsSync(step.report.file) ? step.report.counts(JSON.parse(readFileSync(step.report.file, "utf8"))) : undefined;
  return { code, result: { name: step.name, status: code === 0 ? "passed" : "failed", counts } };
}

const results: StepResult[] = [];
let exitCode = 0;
for (const step of STEPS) {
  if (exitCode !== 0 || leftOut(step)) {
    results.push({ name: step.name, status: exitCode !== 0 ? "not run" : "left out" });
    continue;
  }
  const { code, result } = run(step);
  results.push(result);
  exitCode = code;
}
const skips = parseSkipRecords(readFileSync(skipsFile, "utf8"));
rmSync(dir, { recursive: true, force: true });

console.log(totalsLine(results));
console.log(summaryLine(results, skips));
process.exitCode = exitCode;
