/**
 * The simulator's side of the ingest contract: whatever it produces passes the same
 * rules every real source's samples must pass (lib/ingest/rules.ts), at any time of
 * day, with or without drills — the pipeline rejects a whole batch for one bad sample.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkBatch, timeWindow } from "../ingest/rules";
import { SCENARIO_IDS } from "./scenarios";
import { simulateCity } from "./simulator";

describe("simulator against the ingest rules", () => {
  it("every simulated sample passes checkBatch", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2027-12-31T00:00:00Z") }),
        fc.subarray([...SCENARIO_IDS]),
        fc.integer({ min: 0, max: 120 }),
        (seed, ts, scenarios, minutesIn) => {
          const drills = scenarios.map((scenarioId) => ({ id: `d-${scenarioId}`, scenarioId, startMs: ts - minutesIn * 60_000, endMs: ts + 60 * 60_000 }));
          const samples = simulateCity(seed, ts, drills);
          const { rejected } = checkBatch(samples, timeWindow(ts, 48 * 3_600_000));
          expect(rejected.slice(0, 3).map((r) => ({ sample: samples[r.index], issues: r.issues }))).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
