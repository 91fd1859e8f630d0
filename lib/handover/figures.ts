/** A domain's key figures over a shift against the same span a day and a week earlier. */
import type { HistoryPoint } from "../history/series";

export interface SpanFigure {
  /** The average of every stored sample in the span (buckets weighted by their sample counts); null: nothing stored. */
  mean: number | null;
  min: number | null;
  max: number | null;
}

export interface FigureComparison {
  metricId: string;
  shift: SpanFigure;
  dayBefore: SpanFigure;
  weekBefore: SpanFigure;
}

export function spanFigure(points: readonly HistoryPoint[]): SpanFigure {
  let sum = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const [, avg, lo, hi, n] of points) {
    sum += avg * n;
    count += n;
    min = Math.min(min, lo);
    max = Math.max(max, hi);
  }
  if (count === 0) return { mean: null, min: null, max: null };
  // Float sums of a constant can land a hair outside it; the mean of samples lies within their extremes.
  return { mean: Math.min(max, Math.max(min, sum / count)), min, max };
}

/** The shift's mean relative to an earlier one, in percent; null when either is missing or the earlier one is 0. */
export function changePercent(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return ((now - before) / Math.abs(before)) * 100;
}
