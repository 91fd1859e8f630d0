import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RESOLUTION_MS, planQuery, type Resolution } from "./plan";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention = { rawMs: 48 * HOUR, minuteMs: 90 * DAY, hourMs: 730 * DAY };
const now = Date.UTC(2026, 10, 25);

describe("planQuery picks the finest resolution still kept for the whole range", () => {
  it.each<[string, number, number, Resolution]>([
    ["the last 15 minutes", now - 15 * 60_000, now, "raw"],
    ["the last 24 hours", now - DAY, now, "raw"],
    ["a day that ended 3 days ago (raw expired)", now - 4 * DAY, now - 3 * DAY, "1m"],
    ["the last 7 days", now - 7 * DAY, now, "1m"],
    ["the last 30 days", now - 30 * DAY, now, "1m"],
    ["the last year", now - 365 * DAY, now, "1h"],
    ["a week half a year ago (minutes expired)", now - 180 * DAY, now - 173 * DAY, "1h"],
  ])("%s → %s", (_case, from, to, resolution) => {
    expect(planQuery({ from, to, now, maxPoints: 2_000, retention }).resolution).toBe(resolution);
  });

  it("never returns more buckets than maxPoints, and buckets are whole multiples of the resolution", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 700 * DAY }), fc.integer({ min: 0, max: 600 * DAY }), fc.integer({ min: 10, max: 5_000 }), (range, ago, maxPoints) => {
        const plan = planQuery({ from: now - ago - range, to: now - ago, now, maxPoints, retention });
        expect(plan.bucketMs % RESOLUTION_MS[plan.resolution]).toBe(0);
        expect(Math.ceil(range / plan.bucketMs)).toBeLessThanOrEqual(maxPoints);
      }),
    );
  });
});
