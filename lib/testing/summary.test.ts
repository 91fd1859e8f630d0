import { describe, expect, it } from "vitest";
import { parseSkipRecords, playwrightCounts, summaryLine, totalsLine, vitestCounts, type StepResult } from "./summary";

const typecheck: StepResult = { name: "typecheck", status: "passed" };
const lint: StepResult = { name: "lint", status: "passed" };
const green: StepResult[] = [
  typecheck,
  lint,
  { name: "unit", status: "passed", counts: { passed: 1380, failed: 0, skipped: 31 } },
  { name: "e2e", status: "passed", counts: { passed: 80, failed: 0, skipped: 0 } },
];
const noPostgres = { service: "PostgreSQL", reason: "no server at postgresql://postgres@127.0.0.1:5432/postgres" };

describe("the summary line of npm test", () => {
  it("names every step that ran with its counts, and says when nothing was skipped", () => {
    expect(summaryLine(green, [])).toBe("npm test: ran typecheck, lint, unit (1380 passed, 31 skipped), e2e (80 passed); skipped nothing");
  });

  it("names each skipped suite once, grouped by the service it wanted and why", () => {
    const skips = [
      { suite: "the PostgreSQL variants", ...noPostgres },
      { suite: "MQTT ingest", service: "Mosquitto", reason: "no /usr/sbin/mosquitto; apt-get install mosquitto" },
      { suite: "cluster", ...noPostgres },
      { suite: "ingest contract", service: "Mosquitto", reason: "no /usr/sbin/mosquitto; apt-get install mosquitto" },
      { suite: "cluster", ...noPostgres },
    ];
    expect(summaryLine(green, skips)).toBe(
      "npm test: ran typecheck, lint, unit (1380 passed, 31 skipped), e2e (80 passed); skipped the PostgreSQL variants, cluster for want of PostgreSQL (no server at postgresql://postgres@127.0.0.1:5432/postgres); MQTT ingest, ingest contract for want of Mosquitto (no /usr/sbin/mosquitto; apt-get install mosquitto)",
    );
  });

  it("leads with the step that failed and names those that did not run", () => {
    const steps: StepResult[] = [typecheck, lint, { name: "unit", status: "failed", counts: { passed: 1377, failed: 3, skipped: 0 } }, { name: "e2e", status: "not run" }];
    expect(summaryLine(steps, [])).toBe("npm test: FAILED at unit (3 failed, 1377 passed); ran typecheck, lint; did not run e2e; skipped nothing");
  });

  it("under CI, names the service a suite failed for want of", () => {
    const steps: StepResult[] = [typecheck, lint, { name: "unit", status: "failed", counts: { passed: 0, failed: 0, skipped: 0 } }, { name: "e2e", status: "not run" }];
    expect(summaryLine(steps, [{ suite: "the PostgreSQL variants", ...noPostgres, failed: true }])).toBe(
      "npm test: FAILED at unit (0 passed); ran typecheck, lint; did not run e2e; failed the PostgreSQL variants for want of PostgreSQL (no server at postgresql://postgres@127.0.0.1:5432/postgres); skipped nothing",
    );
  });

  it("says which steps a run of chosen files left out", () => {
    const steps: StepResult[] = [typecheck, lint, { name: "unit", status: "left out" }, { name: "e2e", status: "passed", counts: { passed: 3, failed: 0, skipped: 0 } }];
    expect(summaryLine(steps, [])).toBe("npm test: ran typecheck, lint, e2e (3 passed); left out unit; skipped nothing");
  });

  it("adds a plain totals line of the test runners' counts", () => {
    expect(totalsLine(green)).toBe("tests: 1460 passed, 0 failed, 31 skipped");
    expect(totalsLine([typecheck])).toBe("tests: 0 passed, 0 failed, 0 skipped");
  });
});

describe("reading what the test runners wrote", () => {
  it("takes vitest's and Playwright's JSON reports, and refuses something else", () => {
    expect(vitestCounts({ numPassedTests: 10, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1, numTotalTests: 14 })).toEqual({ passed: 10, failed: 1, skipped: 3 });
    expect(playwrightCounts({ stats: { expected: 79, unexpected: 1, flaky: 1, skipped: 2, duration: 1 } })).toEqual({ passed: 80, failed: 1, skipped: 2 });
    expect(() => vitestCounts({ stats: {} })).toThrow(/numPassedTests/);
  });

  it("reads the skip file line by line and throws on a line it did not write", () => {
    expect(parseSkipRecords(`{"suite":"a","service":"B","reason":"c"}\n\n{"suite":"d","service":"E","reason":"f"}\n`)).toEqual([
      { suite: "a", service: "B", reason: "c" },
      { suite: "d", service: "E", reason: "f" },
    ]);
    expect(() => parseSkipRecords("skipped MQTT\n")).toThrow();
  });
});
