/** A metric's recent history as a line, with a break wherever data is missing. */
import type { MetricDefinition } from "../catalog/metrics";
import type { Point } from "../realtime/series-buffer";
import { escapeHtml, palette } from "./theme";
import type { WallChartOption } from "./types";

export interface TrendInput {
  metric: MetricDefinition;
  points: readonly Point[];
  /** Rightmost edge of the time axis (usually the newest point or now). */
  endMs: number;
  windowMs: number;
  /** Pixels per rem at the current wall size; every font and stroke scales with it. */
  rem: number;
  color?: string;
  /** A step between points longer than this is drawn as a gap, never as a straight line. */
  gapMs?: number;
}

/** hh:mm (or hh:mm:ss) in Shenzhen time (UTC+8, no daylight saving). */
export function shenzhenTime(epochMs: number, withSeconds: boolean): string {
  const d = new Date(epochMs + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, "0");
  const hhmm = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  return withSeconds ? `${hhmm}:${two(d.getUTCSeconds())}` : hhmm;
}

/** Inserts a null after every jump longer than gapMs so ECharts breaks the line there. */
export function withGaps(points: readonly Point[], gapMs: number): [number, number | null][] {
  const out: [number, number | null][] = [];
  let previous: number | undefined;
  for (const [ts, value] of points) {
    if (previous !== undefined && ts - previous > gapMs) out.push([previous + 1, null]);
    out.push([ts, value]);
    previous = ts;
  }
  return out;
}

/**
 * The y range for a data extent: at least 10 % of the value wide (so sensor noise on a
 * large figure does not fill the panel like a crisis), rounded to a readable step, and
 * never past the metric's physical range (the threshold line must not stretch it).
 */
export function yBounds(metric: MetricDefinition, extent: { min: number; max: number }): { min: number; max: number; interval: number } {
  const minSpan = Math.max(Math.abs(extent.max) * 0.1, (metric.range.max - metric.range.min) * 0.001);
  const span = Math.max(extent.max - extent.min, minSpan);
  const centre = (extent.max + extent.min) / 2;
  // About three labelled steps of 1, 2 or 5 × 10ⁿ; min and max sit on steps so labels never collide.
  const rough = span / 3;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const interval = [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= rough) ?? 10 * magnitude;
  return {
    min: Math.max(metric.range.min, Math.floor((centre - span / 2) / interval) * interval),
    max: Math.min(metric.range.max, Math.ceil((centre + span / 2) / interval) * interval),
    interval,
  };
}

export function trendOption(input: TrendInput): WallChartOption {
  const { metric, rem } = input;
  const color = input.color ?? palette.accent;
  const thresholds = metric.thresholds;
  const values = input.points.map(([, v]) => v);
  const bounds = values.length > 0 ? yBounds(metric, { min: Math.min(...values), max: Math.max(...values) }) : undefined;
  return {
    animation: false,
    grid: { left: rem * 3.2, right: rem * 0.8, top: rem * 0.8, bottom: rem * 1.6 },
    tooltip: {
      trigger: "axis",
      textStyle: { fontSize: rem * 0.9 },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { value?: [number, number | null] } | undefined;
        const [ts, value] = first?.value ?? [0, null];
        return `${shenzhenTime(ts, true)}<br/><b>${value === null ? "—" : value.toFixed(metric.decimals)}</b> ${escapeHtml(metric.unit.zh)}`;
      },
    },
    xAxis: {
      type: "time",
      min: input.endMs - input.windowMs,
      max: input.endMs,
      splitNumber: 3,
      // Shenzhen time, whatever zone the wall PC (or a headless browser) is set to.
      axisLabel: { color: palette.inkDim, fontSize: rem * 0.8, hideOverlap: true, formatter: (value: number) => shenzhenTime(value, false) },
      axisLine: { lineStyle: { color: palette.grid } },
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      scale: true,
      ...(bounds ?? {}),
      splitNumber: 3,
      axisLabel: { color: palette.inkDim, fontSize: rem * 0.8 },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series: [
      {
        type: "line",
        name: metric.label.zh,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: Math.max(1, rem * 0.16), color },
        areaStyle: { color, opacity: 0.12 },
        data: withGaps(input.points, input.gapMs ?? 5_000),
        markLine: thresholds
          ? {
              silent: true,
              symbol: "none",
              label: { show: false },
              lineStyle: { color: palette.warn, type: "dashed", width: Math.max(1, rem * 0.08) },
              data: [{ yAxis: thresholds.warning }],
            }
          : undefined,
      },
    ],
  };
}
