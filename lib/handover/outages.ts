/**
 * Data outages in a shift: spans where a series stored nothing for longer than a few of its
 * reports. The same rule a history chart uses to shade 无数据 (lib/history/series.ts), so the
 * handover and the charts never disagree about when data was missing.
 */
import { gapSpans, gapThresholdMs, reportingIntervalMs, type HistoryPoint } from "../history/series";
import type { HandoverSpan } from "./span";

export interface OutageSpan {
  from: number;
  to: number;
  /** Still out when the span ended (nothing stored up to its end). */
  ongoing: boolean;
}

/** The longest silence of this series that is not an outage: a few of its reports, or two buckets. */
export function outageThresholdMs(points: readonly HistoryPoint[], bucketMs: number, declaredMs: number): number {
  return gapThresholdMs(bucketMs, reportingIntervalMs(points, declaredMs));
}

/**
 * `points`: the series' stored buckets of `bucketMs` inside the span, oldest first;
 * `declaredMs`: how often the source says it reports. A gap is measured from the start of
 * the bucket before it to the start of the bucket after it, as a chart draws it.
 */
export function outageSpans(points: readonly HistoryPoint[], bucketMs: number, declaredMs: number, span: HandoverSpan): OutageSpan[] {
  const gapMs = outageThresholdMs(points, bucketMs, declaredMs);
  if (points.length === 0) return span.to - span.from > gapMs ? [{ from: span.from, to: span.to, ongoing: true }] : [];
  const spans: OutageSpan[] = gapSpans(points, gapMs, span.from).map(([from, to]) => ({ from, to, ongoing: false }));
  const last = points[points.length - 1]![0];
  if (span.to - last > gapMs) spans.push({ from: last, to: span.to, ongoing: true });
  return spans;
}

/** The longest outages first, at most `limit`: a shift with a flapping feed must not print a hundred pages. */
export function worstOutages<T extends { outage: OutageSpan }>(outages: readonly T[], limit: number): T[] {
  return [...outages].sort((a, b) => b.outage.to - b.outage.from - (a.outage.to - a.outage.from) || a.outage.from - b.outage.from).slice(0, limit);
}

/**
 * One row per outage shared by several series of a metric: when the feed stops, the city and every
 * district go silent together, and a handover should say so once, not eleven times.
 */
export function groupOutages<T extends { metricId: string; entityId: string; outage: OutageSpan }>(outages: readonly T[]): (Omit<T, "entityId"> & { entityIds: string[] })[] {
  const groups = new Map<string, Omit<T, "entityId"> & { entityIds: string[] }>();
  for (const { entityId, ...rest } of outages) {
    const key = `${rest.metricId}|${rest.outage.from}|${rest.outage.to}|${rest.outage.ongoing}`;
    const group = groups.get(key);
    if (group) group.entityIds.push(entityId);
    else groups.set(key, { ...rest, entityIds: [entityId] });
  }
  return [...groups.values()];
}
