/** An alert resolved by hand while the breach goes on opens again only after a fresh hold. */
import { describe, expect, it } from "vitest";
import type { TSample } from "../realtime/protocol";
import { AlertEngine } from "./engine";
import { DEFAULT_RULES, type AlertRule } from "./rules";

const gridlock = DEFAULT_RULES.find((r) => r.id === "road-gridlock") as AlertRule;
const ROAD = "road-shennan";
const STEP = 10_000;
const HOLD = (gridlock.forSeconds * 1_000) / STEP;
const at = (i: number, value: number): TSample => ({ metricId: "traffic.congestionIndex", entityId: ROAD, ts: 1_000_000 + i * STEP, value });

function openedEngine(): AlertEngine {
  const engine = new AlertEngine([gridlock]);
  const events = engine.observe(Array.from({ length: HOLD + 1 }, (_, i) => at(i, 9)));
  expect(events).toMatchObject([{ type: "open", ruleId: gridlock.id, entityId: ROAD }]);
  return engine;
}

describe("AlertEngine.release", () => {
  it("returns the peak of the open episode, and null when nothing is open", () => {
    const engine = openedEngine();
    engine.observe([at(HOLD + 1, 9.6)]);
    expect(engine.release(gridlock.id, ROAD)).toBe(9.6);
    expect(engine.release(gridlock.id, ROAD)).toBeNull();
    expect(engine.release(gridlock.id, "road-beihuan")).toBeNull();
  });

  it("a breach that goes on re-opens only after forSeconds from the first sample after the release", () => {
    const engine = openedEngine();
    engine.release(gridlock.id, ROAD);
    const from = HOLD + 1;
    // Still breached for the whole hold minus one step: nothing opens.
    for (let i = 0; i < HOLD; i++) expect(engine.observe([at(from + i, 9)])).toEqual([]);
    const reopened = engine.observe([at(from + HOLD, 9)]);
    expect(reopened).toMatchObject([{ type: "open", since: at(from, 0).ts, at: at(from + HOLD, 0).ts }]);
  });

  it("a late sample from before the release does not start the new hold early", () => {
    const engine = openedEngine();
    engine.release(gridlock.id, ROAD);
    expect(engine.observe([at(2, 9)])).toEqual([]);
    const from = HOLD + 1;
    for (let i = 0; i < HOLD; i++) expect(engine.observe([at(from + i, 9)])).toEqual([]);
    expect(engine.observe([at(from + HOLD, 9)])).toHaveLength(1);
  });

  it("a clear after the release forgets the episode: no resolve event for an alert already resolved", () => {
    const engine = openedEngine();
    engine.release(gridlock.id, ROAD);
    const events = engine.observe(Array.from({ length: HOLD + 2 }, (_, i) => at(HOLD + 1 + i, 5)));
    expect(events).toEqual([]);
    expect(engine.size).toBe(0);
  });
});
