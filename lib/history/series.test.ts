import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Point } from "../realtime/series-buffer";
import { shenzhenIso } from "../shenzhen-time";
import { csvFilename, csvProgress, historyCsv } from "./csv";
import { gapSpans, gapThresholdMs, joinHistoryAndLive, reportingIntervalMs, type HistoryPoint } from "./series";

const T0 = Date.UTC(2026, 10, 25, 0, 0, 0); // 08:00 in Shenzhen

describe("joinHistoryAndLive", () => {
  const history: HistoryPoint[] = [
    [T0, 5, 4, 6, 60],
    [T0 + 60_000, 6, 5, 7, 60],
  ];

  it("keeps the stored buckets and appends only live points after the last bucket ends", () => {
    const live: Point[] = [
      [T0 + 90_000, 9], // inside the last stored bucket: already counted there
      [T0 + 120_000, 7],
      [T0 + 121_000, 8],
    ];
    expect(joinHistoryAndLive(history, 60_000, live, T0, T0 + 200_000)).toEqual([
      ...history,
      [T0 + 120_000, 7, 7, 7, 1],
      [T0 + 121_000, 8, 8, 8, 1],
    ]);
  });

  it("drops buckets and points outside [from, to), keeping a bucket that straddles from", () => {
    const live: Point[] = [[T0 + 130_000, 1]];
    expect(joinHistoryAndLive(history, 60_000, live, T0 + 30_000, T0 + 125_000)).toEqual(history);
    expect(joinHistoryAndLive(history, 60_000, live, T0 + 60_000, T0 + 200_000)).toEqual([history[1], [T0 + 130_000, 1, 1, 1, 1]]);
  });

  it("is the live points alone when nothing is stored yet", () => {
    expect(joinHistoryAndLive([], 60_000, [[T0 + 5_000, 3]], T0, T0 + 10_000)).toEqual([[T0 + 5_000, 3, 3, 3, 1]]);
  });

  it("never returns a point out of order or twice (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 3_600 }), { maxLength: 60 }), fc.uniqueArray(fc.integer({ min: 0, max: 3_600 }), { maxLength: 60 }), (stored, live) => {
        const bucketMs = 60_000;
        const buckets = [...new Set(stored.map((s) => Math.floor((s * 1000) / bucketMs) * bucketMs))].sort((a, b) => a - b).map((ts): HistoryPoint => [T0 + ts, 1, 1, 1, 1]);
        const points = live.sort((a, b) => a - b).map((s): Point => [T0 + s * 1000, 2]);
        const joined = joinHistoryAndLive(buckets, bucketMs, points, T0, T0 + 3_600_000);
        for (let i = 1; i < joined.length; i++) expect(joined[i]![0]).toBeGreaterThan(joined[i - 1]![0]);
      }),
    );
  });
});

describe("gaps", () => {
  it("finds every step longer than the threshold, and nothing else", () => {
    const points = [[T0], [T0 + 1_000], [T0 + 31_000], [T0 + 32_000], [T0 + 37_001]] as const;
    expect(gapSpans(points, 5_000)).toEqual([
      [T0 + 1_000, T0 + 31_000],
      [T0 + 32_000, T0 + 37_001],
    ]);
    expect(gapSpans(points.slice(0, 2), 5_000)).toEqual([]);
  });

  it("counts an empty stretch from the window's start to the first point as a gap, but not an empty window", () => {
    const points = [[T0 + 60_000], [T0 + 61_000]] as const;
    expect(gapSpans(points, 5_000, T0)).toEqual([[T0, T0 + 60_000]]);
    expect(gapSpans(points, 5_000, T0 + 56_000)).toEqual([]);
    expect(gapSpans([], 5_000, T0)).toEqual([]);
  });

  it("bridges a few missed reports but never a missing bucket", () => {
    expect(gapThresholdMs(0, 1_000)).toBe(5_000);
    expect(gapThresholdMs(60_000, 1_000)).toBe(120_000);
    expect(gapThresholdMs(1_000, 60_000)).toBe(300_000); // a simulator at 60×: one point per simulated minute
  });
});

describe("reportingIntervalMs", () => {
  const every = (stepMs: number, n: number, count?: number) =>
    Array.from({ length: n }, (_, i): readonly [number, ...number[]] => (count === undefined ? [T0 + i * stepMs, 1] : [T0 + i * stepMs, 1, 1, 1, count]));
  const cases: [name: string, points: (readonly [number, ...number[]])[], declaredMs: number, expected: number][] = [
    ["1 Hz live points", every(1_000, 60), 1_000, 1_000],
    ["minute-spaced points replayed while the live source ticks every second", every(60_000, 30), 1_000, 60_000],
    ["minute-spaced points, declared 10 s (a 10× replay's step must not count)", every(60_000, 30), 10_000, 60_000],
    ["a 15-minute feed", every(15 * 60_000, 8), 10_000, 15 * 60_000],
    ["minute buckets each holding 60 one-second reports", every(60_000, 30, 60), 1_000, 1_000],
    ["minute buckets of a 15-minute feed: one report each, 15 minutes apart", every(15 * 60_000, 8, 1), 1_000, 15 * 60_000],
    ["hour buckets of 360 reports (10 s)", every(3_600_000, 24, 360), 1_000, 10_000],
    ["too few points: what the source declares", every(60_000, 3), 1_000, 1_000],
    ["no points", [], 7_000, 7_000],
    ["a few outages do not move it", [...every(10_000, 20), ...every(10_000, 20).map(([ts]) => [ts + 3_600_000, 1] as const)], 1_000, 10_000],
  ];
  it.each(cases)("%s", (_, points, declaredMs, expected) => {
    expect(reportingIntervalMs(points, declaredMs)).toBe(expected);
  });

  it("makes minute-spaced data one line at any replay speed, and still finds a real gap in it", () => {
    const minutes = every(60_000, 15).filter((_, i) => i < 6 || i > 8); // three reports missing
    const gapMs = gapThresholdMs(0, reportingIntervalMs(minutes, 10_000));
    expect(gapSpans(minutes, gapMs)).toEqual([]); // three missed reports are bridged…
    const outage = every(60_000, 20).filter((_, i) => i < 6 || i > 12); // …seven are not
    expect(gapSpans(outage, gapThresholdMs(0, reportingIntervalMs(outage, 10_000)))).toEqual([[T0 + 5 * 60_000, T0 + 13 * 60_000]]);
  });
});

describe("CSV export", () => {
  it("writes Shenzhen time, epoch, value and extremes, one row per point", () => {
    const csv = historyCsv([
      [T0, 5.25, 4, 6.5, 60],
      [T0 + 60_000, 7, 7, 7, 1],
    ]);
    expect(csv).toBe("time,epoch_ms,value,min,max,samples\r\n" + `2026-11-25T08:00:00+08:00,${T0},5.25,4,6.5,60\r\n` + `2026-11-25T08:01:00+08:00,${T0 + 60_000},7,7,7,1\r\n`);
  });

  it("names the file after metric, entity and range (Shenzhen time, no characters a file system refuses)", () => {
    expect(csvFilename({ metricId: "traffic.congestionIndex", entityId: "shenzhen", from: T0, to: T0 + 3_600_000 })).toBe(
      "onescreen_traffic.congestionIndex_shenzhen_20261125-0800_20261125-0900.csv",
    );
    expect(csvFilename({ metricId: "a/b", entityId: "x:y", from: T0, to: T0 })).toBe("onescreen_a_b_x_y_20261125-0800_20261125-0800.csv");
  });

  it("marks a full-resolution export with the resolution it read", () => {
    expect(csvFilename({ metricId: "parking.occupancy", entityId: "futian", from: T0, to: T0 + 60_000, resolution: "raw" })).toBe(
      "onescreen_parking.occupancy_futian_20261125-0800_20261125-0801_raw.csv",
    );
  });

  it("measures a streamed export's progress by rows seen (after the header) over the rows announced", () => {
    expect(csvProgress(1, 200)).toBe(0);
    expect(csvProgress(101, 200)).toBe(0.5);
    expect(csvProgress(201, 200)).toBe(1);
    expect(csvProgress(250, 200)).toBe(1); // rows stored while it streamed
    expect(csvProgress(1, 0)).toBe(1);
    expect(csvProgress(10, null)).toBeNull();
  });

  it("formats any instant as the same instant in UTC+8", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => Date.parse(shenzhenIso(ms)) === Math.floor(ms / 1000) * 1000));
  });
});
