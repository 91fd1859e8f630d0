/**
 * Query planning is pure: which stored resolution answers a range, and how wide its
 * buckets are so a series never comes back with more than maxPoints points.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RAW_SCAN_LIMIT_MS, RESOLUTION_MS, bucketStart, finestRetained, planQuery, type Resolution } from "./plan";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The defaults of lib/config.ts: raw 48 h, minutes 90 days, hours 730 days. */
const retention = { rawMs: 48 * HOUR, minuteMs: 90 * DAY, hourMs: 730 * DAY };
const now = Date.UTC(2026, 10, 25, 8, 0, 0);

describe("P1 planQuery picks the finest resolution still kept for the whole range", () => {
  it.each<[string, number, number, Resolution]>([
    ["the last 15 minutes", now - 15 * MINUTE, now, "raw"],
    ["the last 24 hours", now - DAY, now, "raw"],
    ["exactly the last 48 hours (the raw scan limit, all still raw)", now - 48 * HOUR, now, "raw"],
    ["an hour that ended a day ago", now - 25 * HOUR, now - DAY, "raw"],
    ["48 hours and one second (longer than the raw scan limit)", now - 48 * HOUR - 1_000, now, "1m"],
    ["an hour that started just before raw retention", now - 48 * HOUR - 1, now - 47 * HOUR, "1m"],
    ["a day that ended 3 days ago (raw expired)", now - 4 * DAY, now - 3 * DAY, "1m"],
    ["the last 7 days", now - 7 * DAY, now, "1m"],
    ["the last 90 days", now - 90 * DAY, now, "1m"],
    ["the last 91 days (minutes expired at the start)", now - 91 * DAY, now, "1h"],
    ["the last year", now - 365 * DAY, now, "1h"],
    ["a week half a year ago (minutes expired)", now - 180 * DAY, now - 173 * DAY, "1h"],
    ["an hour half a year ago (minutes expired)", now - 180 * DAY, now - 180 * DAY + HOUR, "1h"],
  ])("%s → %s", (_case, from, to, resolution) => {
    expect(planQuery({ from, to, now, maxPoints: 2_000, retention }).resolution).toBe(resolution);
  });

  it("P1 follows the configured retention, not fixed windows", () => {
    const short = { rawMs: 2 * HOUR, minuteMs: 3 * DAY, hourMs: 30 * DAY };
    expect(planQuery({ from: now - 2 * HOUR, to: now, now, maxPoints: 100, retention: short }).resolution).toBe("raw");
    expect(planQuery({ from: now - 3 * HOUR, to: now, now, maxPoints: 100, retention: short }).resolution).toBe("1m");
    expect(planQuery({ from: now - 4 * DAY, to: now, now, maxPoints: 100, retention: short }).resolution).toBe("1h");
  });
});

describe("P2 bucket width", () => {
  it.each<[string, number, number, Resolution, number]>([
    ["15 minutes at 2000 points: one sample per bucket", 15 * MINUTE, 2_000, "raw", 1_000],
    ["1 hour at 100 points: 36 s buckets", HOUR, 100, "raw", 36_000],
    ["24 hours at 2000 points: 44 s buckets (43.2 rounded up)", DAY, 2_000, "raw", 44_000],
    ["7 days at 2000 points: 6 min buckets (5.04 rounded up)", 7 * DAY, 2_000, "1m", 6 * MINUTE],
    ["a year at 2000 points: 5 h buckets (4.38 rounded up)", 365 * DAY, 2_000, "1h", 5 * HOUR],
    ["a year at 5000 points: never finer than the hourly rollup", 365 * DAY, 5_000, "1h", 2 * HOUR],
    ["two years at 10 points", 730 * DAY, 10, "1h", 73 * DAY],
  ])("%s", (_case, range, maxPoints, resolution, bucketMs) => {
    expect(planQuery({ from: now - range, to: now, now, maxPoints, retention })).toEqual({ resolution, bucketMs });
  });

  it("P2 never returns more buckets than maxPoints, buckets are whole multiples of the resolution, and no finer multiple would do", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 730 * DAY }),
        fc.integer({ min: 0, max: 730 * DAY }),
        fc.integer({ min: 1, max: 5_000 }),
        (range, ago, maxPoints) => {
          const plan = planQuery({ from: now - ago - range, to: now - ago, now, maxPoints, retention });
          const step = RESOLUTION_MS[plan.resolution];
          expect(plan.bucketMs % step).toBe(0);
          expect(plan.bucketMs).toBeGreaterThanOrEqual(step);
          expect(Math.ceil(range / plan.bucketMs)).toBeLessThanOrEqual(maxPoints);
          // The smallest such width: one step narrower would give too many buckets.
          if (plan.bucketMs > step) expect(Math.ceil(range / (plan.bucketMs - step))).toBeGreaterThan(maxPoints);
          // Raw is never scanned beyond its limit.
          if (plan.resolution === "raw") expect(range).toBeLessThanOrEqual(RAW_SCAN_LIMIT_MS);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe("P3 bucketStart", () => {
  it.each<[number, number, number]>([
    [now, MINUTE, now],
    [now + 59_999, MINUTE, now],
    [now + 60_000, MINUTE, now + MINUTE],
    [now + 30 * MINUTE + 1, HOUR, now],
    [now - 1, HOUR, now - HOUR],
    [0, HOUR, 0],
  ])("bucketStart(%i, %i) = %i", (ts, width, start) => {
    expect(bucketStart(ts, width)).toBe(start);
  });

  it("P3 the start is a multiple of the width, at or before ts and less than one width before it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(1_000, MINUTE, HOUR, 7 * MINUTE, DAY), (ts, width) => {
        const start = bucketStart(ts, width);
        expect(start % width).toBe(0);
        expect(start).toBeLessThanOrEqual(ts);
        expect(ts - start).toBeLessThan(width);
      }),
    );
  });
});

describe("P4 finestRetained", () => {
  it("is raw inside raw retention, minutes inside minute retention, hours beyond", () => {
    const now = Date.UTC(2026, 10, 25);
    const retention = { rawMs: 48 * 3_600_000, minuteMs: 90 * 86_400_000, hourMs: 730 * 86_400_000 };
    expect(finestRetained(now - retention.rawMs, now, retention)).toBe("raw");
    expect(finestRetained(now - retention.rawMs - 1, now, retention)).toBe("1m");
    expect(finestRetained(now - retention.minuteMs, now, retention)).toBe("1m");
    expect(finestRetained(now - retention.minuteMs - 1, now, retention)).toBe("1h");
  });
});
