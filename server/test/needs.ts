/**
 * "This suite needs service X", one line per suite:
 *
 *   describe.skipIf(lacking("MQTT ingest", mosquitto))("MQTT ingest", () => { … });   // vitest
 *   test.skip(lacking("Prometheus scrape", binary("Prometheus", "/usr/bin/prometheus", "apt-get install prometheus")));  // Playwright
 *
 * With every service there it returns false. Without one, under CI it throws (the file fails
 * with the reason: CI must never be green with half the suite skipped); elsewhere it says so
 * on the console and returns true. Either way it is recorded for the summary line of `npm test`
 * (scripts/test.ts, which names the file in ONESCREEN_TEST_SKIPS).
 */
import { appendFileSync, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { SKIPS_FILE_VARIABLE, type Need, type SkipRecord } from "@/lib/testing/summary";

export type { Need };

/** CI=true (or any value but false/0/empty), as CI systems and `.ci/run` set it. */
export const inCI = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());

/** A program the suite starts itself: the first of `paths` that exists (a bare name is looked up on PATH). */
export function binary(service: string, paths: string | readonly string[], install: string): Need & { path: string | undefined } {
  const wanted = typeof paths === "string" ? [paths] : paths;
  const onPath = (name: string) => (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  const path = wanted.flatMap((p) => (p.includes("/") ? [p] : onPath(p))).find((p) => existsSync(p));
  return { service, path, missing: path ? null : `no ${wanted.join(" or ")}; ${install}` };
}

export function lacking(suite: string, ...needs: Need[]): boolean {
  const skips: SkipRecord[] = needs.flatMap(({ service, missing }) => (missing === null ? [] : [{ suite, service, reason: missing }]));
  if (skips.length === 0) return false;
  const why = skips.map(({ service, reason }) => `${service}: ${reason}`).join("; ");
  const file = process.env[SKIPS_FILE_VARIABLE];
  if (file) appendFileSync(file, skips.map((skip) => `${JSON.stringify(inCI ? { ...skip, failed: true } : skip)}\n`).join(""));
  if (inCI) throw new Error(`${suite} cannot run (${why}). Under CI a missing service is a failure, not a skip.`);
  console.warn(`${suite} skipped (${why})`);
  return true;
}
