import { describe, expect, it } from "vitest";
import { backfillPlan } from "./backfill";

const ORIGIN = Date.UTC(2026, 10, 25, 6, 0, 0);
const steps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);

describe("backfillPlan", () => {
  it("at ×1: every second of the last 2 minutes, then 5 s to 1 h, 30 s to 6 h, 60 s to 24 h, oldest first, all before the origin", () => {
    const { window, older } = backfillPlan(ORIGIN, 24, 1_000, 15 * 60_000);
    expect(window).toHaveLength(120 + (900 - 120) / 5);
    expect(window.at(-1)).toBe(ORIGIN - 1_000);
    expect(window[0]).toBe(ORIGIN - 900_000);
    expect(window.slice(-120).every((ts, i) => ts === ORIGIN - (120 - i) * 1_000)).toBe(true);
    expect(new Set(steps(window))).toEqual(new Set([1_000, 5_000]));
    const all = [...older, ...window];
    expect(new Set(steps(all)).size).toBeGreaterThan(1);
    expect(steps(all).every((s) => s > 0)).toBe(true);
    expect(all[0]).toBeGreaterThanOrEqual(ORIGIN - 24 * 3_600_000);
    expect(all[0]).toBeLessThan(ORIGIN - 24 * 3_600_000 + 60_000);
    // Each tier as fine as the chart ranges reading it need: at most 5 s within the last hour, 30 s within 6 h, 60 s beyond.
    for (const [i, step] of steps(all).entries()) {
      const back = ORIGIN - all[i + 1]!;
      expect(step).toBeLessThanOrEqual(back < 3_600_000 ? 5_000 : back < 6 * 3_600_000 ? 30_000 : 60_000);
    }
    expect(older.length + window.length).toBeLessThan(2_500);
  });

  it("at ×60: every tick (a simulated minute) for the whole day, on the live simulator's grid", () => {
    const { window, older } = backfillPlan(ORIGIN, 24, 60_000, 15 * 60_000 * 60);
    const all = [...older, ...window];
    expect(all).toHaveLength(24 * 60);
    expect(new Set(steps(all))).toEqual(new Set([60_000]));
    expect(all.every((ts) => (ORIGIN - ts) % 60_000 === 0)).toBe(true);
  });

  it("0 hours fills nothing", () => {
    expect(backfillPlan(ORIGIN, 0, 1_000, 900_000)).toEqual({ window: [], older: [] });
  });
});
