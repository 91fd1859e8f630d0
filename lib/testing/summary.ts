/**
 * What `npm test` says at its end (scripts/test.ts): which steps ran, with their counts, and
 * which suites skipped for want of which service, so a green run never hides the half of the
 * suite that did not run. Suites declare their services with server/test/needs.ts, which
 * appends one SkipRecord per missing service to a file this reads back (under CI, where a
 * missing service fails instead, one marked failed). Pure.
 */
import { z } from "zod";

/** The file, named by scripts/test.ts for every test process it starts, that skips are appended to. */
export const SKIPS_FILE_VARIABLE = "ONESCREEN_TEST_SKIPS";
/** Where scripts/test.ts asks Playwright for its JSON report (playwright.config.ts). */
export const E2E_RESULTS_VARIABLE = "ONESCREEN_E2E_RESULTS";

/** A service a suite needs: present (missing null), or why not and how to get it. */
export interface Need {
  service: string;
  missing: string | null;
}

/** `failed`: under CI, where the suite failed for want of the service instead of skipping. */
export const ZSkipRecord = z.object({ suite: z.string(), service: z.string(), reason: z.string(), failed: z.boolean().optional() });
export type SkipRecord = z.infer<typeof ZSkipRecord>;

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface StepResult {
  name: string;
  /** "not run": after a failure; "left out": the run was asked for other tests' files only. */
  status: "passed" | "failed" | "not run" | "left out";
  /** The test runner's own counts; none for typecheck and lint, or when the runner wrote no report. */
  counts?: Counts;
}

/** The skip file: one JSON record a line. A line that is not one is a bug here, so it throws. */
export function parseSkipRecords(text: string): SkipRecord[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => ZSkipRecord.parse(JSON.parse(line)));
}

const ZVitestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numPendingTests: z.number(), numTodoTests: z.number() });
/** Counts of vitest's JSON reporter. */
export function vitestCounts(report: unknown): Counts {
  const r = ZVitestReport.parse(report);
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

const ZPlaywrightReport = z.object({ stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }) });
/** Counts of Playwright's JSON reporter; a flaky test passed on a retry, so it counts as passed. */
export function playwrightCounts(report: unknown): Counts {
  const { stats } = ZPlaywrightReport.parse(report);
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

function describeCounts({ passed, failed, skipped }: Counts): string {
  return [failed > 0 ? `${failed} failed` : null, `${passed} passed`, skipped > 0 ? `${skipped} skipped` : null].filter((part) => part !== null).join(", ");
}

function describeStep(step: StepResult): string {
  return step.counts ? `${step.name} (${describeCounts(step.counts)})` : step.name;
}

/** "the PostgreSQL variants, cluster for want of PostgreSQL (no server at …)", one group per service and reason. */
function describeWants(skips: readonly SkipRecord[]): string {
  const groups = new Map<string, { service: string; reason: string; suites: string[] }>();
  for (const { suite, service, reason } of skips) {
    const key = `${service}\n${reason}`;
    const group = groups.get(key) ?? { service, reason, suites: [] };
    if (!group.suites.includes(suite)) group.suites.push(suite);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ service, reason, suites }) => `${suites.join(", ")} for want of ${service} (${reason})`).join("; ");
}

/** The last line of `npm test`. */
export function summaryLine(steps: readonly StepResult[], skips: readonly SkipRecord[]): string {
  const failed = steps.find((step) => step.status === "failed");
  const ran = steps.filter((step) => step.status === "passed");
  const failedWants = skips.filter((skip) => skip.failed);
  const skipped = skips.filter((skip) => !skip.failed);
  const named = (status: StepResult["status"]) => steps.filter((step) => step.status === status).map((step) => step.name).join(", ");
  const parts = [
    failed ? `FAILED at ${describeStep(failed)}` : null,
    ran.length > 0 ? `ran ${ran.map(describeStep).join(", ")}` : null,
    named("not run") ? `did not run ${named("not run")}` : null,
    named("left out") ? `left out ${named("left out")}` : null,
    failedWants.length > 0 ? `failed ${describeWants(failedWants)}` : null,
    skipped.length > 0 ? `skipped ${describeWants(skipped)}` : "skipped nothing",
  ];
  return `npm test: ${parts.filter((part) => part !== null).join("; ")}`;
}

/** "tests: N passed, N failed, N skipped", the plain closing line CI systems count. */
export function totalsLine(steps: readonly StepResult[]): string {
  const total = steps.reduce((sum, { counts }) => (counts ? { passed: sum.passed + counts.passed, failed: sum.failed + counts.failed, skipped: sum.skipped + counts.skipped } : sum), { passed: 0, failed: 0, skipped: 0 });
  return `tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
}
