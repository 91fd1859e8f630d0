/**
 * What a history chart draws: stored buckets from /api/history followed by the live
 * points newer than them, the ranges an operator picks, and where data is missing.
 */
import type { Point } from "../realtime/series-buffer";

/** One bucket of one series: its start, and the average, extremes and count of its samples. */
export type HistoryPoint = [ts: number, avg: number, min: number, max: number, count: number];

export const RANGES = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
} as const;
export type RangeKey = keyof typeof RANGES;
export const RANGE_KEYS = Object.keys(RANGES) as RangeKey[];

/** What a chart shows: a range ending now (following the data), or a fixed window. */
export type TimeRange = { kind: "live"; key: RangeKey } | { kind: "fixed"; from: number; to: number };

/**
 * Stored buckets inside [from, to), then every live point newer than the last bucket,
 * so the freshest seconds appear before the next history refresh brings them.
 */
export function joinHistoryAndLive(history: readonly HistoryPoint[], bucketMs: number, live: readonly Point[], from: number, to: number): HistoryPoint[] {
  const joined = history.filter(([ts]) => ts + bucketMs > from && ts < to);
  const last = joined[joined.length - 1];
  const liveFrom = last === undefined ? from : last[0] + bucketMs;
  for (const [ts, value] of live) if (ts >= liveFrom && ts < to) joined.push([ts, value, value, value, 1]);
  return joined;
}

/** Intervals longer than gapMs between consecutive points: where the chart says "no data". */
export function gapSpans(points: readonly (readonly [number, ...unknown[]])[], gapMs: number, windowStart?: number): [number, number][] {
  const spans: [number, number][] = [];
  // Nothing stored between the window's start and the first point (an outage, or before history began) is a gap too.
  const first = points[0]?.[0];
  if (windowStart !== undefined && first !== undefined && first - windowStart > gapMs) spans.push([windowStart, first]);
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1]![0];
    const after = points[i]![0];
    if (after - before > gapMs) spans.push([before, after]);
  }
  return spans;
}

/**
 * The longest step between points that is still drawn as a line: a few missed reports
 * (a sensor reporting late) are bridged; anything longer, or a missing bucket, is a gap.
 * `intervalMs` is how often the series itself reports (reportingIntervalMs), never how
 * fast the wall plays it back.
 */
export function gapThresholdMs(bucketMs: number, intervalMs: number): number {
  return Math.max(2 * bucketMs, 5 * intervalMs);
}

/** Fewer steps than this say too little about a series' cadence; the declared interval stands. */
const MIN_STEPS = 3;

/**
 * How often a series reports, as its own points show: the median time per report over
 * consecutive points, a step divided by the reports its earlier bucket holds (a full
 * minute of a 10 s feed says 10 s; a 15-minute feed in minute buckets says 15 minutes).
 * A median ignores a few outages. With too few points, `declaredMs`: what the source
 * says of itself (the simulator's tick, one report per SIM_ENTITY_EVERY ticks).
 */
export function reportingIntervalMs(points: readonly (readonly [number, ...number[]])[], declaredMs: number): number {
  const steps: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1]!;
    const reports = before.length >= 5 ? Math.max(1, before[4]!) : 1;
    steps.push((points[i]![0] - before[0]) / reports);
  }
  if (steps.length < MIN_STEPS) return declaredMs;
  steps.sort((a, b) => a - b);
  const mid = steps.length >> 1;
  return steps.length % 2 === 1 ? steps[mid]! : (steps[mid - 1]! + steps[mid]!) / 2;
}
