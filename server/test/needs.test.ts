/**
 * server/test/needs.ts in processes of their own, with and without CI set, as vitest and
 * Playwright load a suite that declares its services.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseSkipRecords } from "@/lib/testing/summary";
import { tempDir } from "./helpers";

const temp = tempDir();
afterAll(() => temp.cleanup());

/** Loads needs.ts in a new node process and declares `needs`; what it printed and recorded. */
function declare(needs: string, env: Record<string, string>) {
  const skips = join(temp.dir, `skips-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(skips, "");
  const script = `import { binary, lacking } from "./server/test/needs.ts"; console.log("lacking=" + lacking("the suite", ${needs}));`;
  // This run's own CI setting and skip file are not the child's.
  const inherited = { ...process.env };
  delete inherited.CI;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", env: { ...inherited, ONESCREEN_TEST_SKIPS: skips, ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, recorded: parseSkipRecords(readFileSync(skips, "utf8")) };
}

const NODE = JSON.stringify(process.execPath);
const MISSING = `binary("Frobnicator", ["/nonexistent/frobd", "frobd-not-on-path"], "apt-get install frobd")`;

// Each case starts node with tsx once or twice: seconds apiece on a busy 2-core machine.
describe("declaring the services a suite needs", { timeout: 60_000 }, () => {
  it("with every service there: false, nothing said or recorded, CI or not", () => {
    for (const env of [{}, { CI: "true" }] as Record<string, string>[]) {
      const run = declare(`binary("Node", [${NODE}], "install node"), { service: "PostgreSQL", missing: null }`, env);
      expect(run.stdout.trim()).toBe("lacking=false");
      expect(run.stderr).toBe("");
      expect(run.recorded).toEqual([]);
    }
  });

  it("off CI, a missing one skips: true, one line saying why and what to install, and a record for npm test's summary", () => {
    const run = declare(`binary("Node", [${NODE}], "install node"), ${MISSING}`, {});
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("lacking=true");
    expect(run.stderr.trim()).toBe("the suite skipped (Frobnicator: no /nonexistent/frobd or frobd-not-on-path; apt-get install frobd)");
    expect(run.recorded).toEqual([{ suite: "the suite", service: "Frobnicator", reason: "no /nonexistent/frobd or frobd-not-on-path; apt-get install frobd" }]);
  });

  it("under CI=true a missing one fails with the reason, recorded as a failure; CI=false is not CI", () => {
    const run = declare(MISSING, { CI: "true" });
    expect(run.status).not.toBe(0);
    expect(run.stdout).not.toContain("lacking=");
    expect(run.stderr).toContain("the suite cannot run (Frobnicator: no /nonexistent/frobd or frobd-not-on-path; apt-get install frobd). Under CI a missing service is a failure, not a skip.");
    expect(run.recorded).toEqual([{ suite: "the suite", service: "Frobnicator", reason: "no /nonexistent/frobd or frobd-not-on-path; apt-get install frobd", failed: true }]);
    expect(declare(MISSING, { CI: "false" }).stdout.trim()).toBe("lacking=true");
  });

  it("finds a program by its bare name on PATH", () => {
    const run = declare(`binary("Node", ["/nonexistent/node", "node"], "install node")`, { PATH: join(process.execPath, "..") });
    expect(run.stdout.trim()).toBe("lacking=false");
  });
});
