/** A metric's recent history as a line, with a break wherever data is missing. */
import type { MetricDefinition } from "../catalog/metrics";
import { gapSpans } from "../history/series";
import type { Point } from "../realtime/series-buffer";
import { levelsOf, reaches, type SeverityLevel } from "./severity";
import { escapeHtml, palette } from "./theme";
import type { LineSeriesOption, ScatterSeriesOption } from "echarts/charts";
import type { WallChartOption } from "./types";

/** [ts, value] from the live store, or [ts, avg, min, max, count] from history. */
export type TrendPoint = Point | readonly [ts: number, avg: number, min: number, max: number, count: number];

export interface TrendInput {
  metric: MetricDefinition;
  points: readonly TrendPoint[];
  /** Rightmost edge of the time axis (usually the newest point or now). */
  endMs: number;
  windowMs: number;
  /** Pixels per rem at the current wall size; every font and stroke scales with it. */
  rem: number;
  color?: string;
  /** A step between points longer than this is drawn as a gap, never as a straight line. */
  gapMs?: number;
  /** Shade each gap and label it with this text ("no data"); gaps are only breaks without it. */
  noDataLabel?: string;
  /** Draw each bucket's min–max range behind the average line (peaks stay visible when bucketed). */
  band?: boolean;
  /** Wheel and drag zoom the time axis. */
  zoom?: boolean;
  /** Room above the plot, in rem (for controls laid over the chart's top edge). */
  topInset?: number;
  /** Where an alert on this series is open (source-clock ms): shaded in its severity's colour. */
  alerts?: readonly { from: number; to: number; severity: "info" | "warning" | "critical" }[];
  /**
   * The levels at which this series is in warning or critical (default: its metric's catalog
   * thresholds; an entity page adds the alert rules watching it): each a dashed line, and
   * ▲ / ◆ where the series reaches one.
   */
  levels?: readonly SeverityLevel[];
}

/** hh:mm (or hh:mm:ss) in Shenzhen time (UTC+8, no daylight saving). */
export function shenzhenTime(epochMs: number, withSeconds: boolean): string {
  const d = new Date(epochMs + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, "0");
  const hhmm = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  return withSeconds ? `${hhmm}:${two(d.getUTCSeconds())}` : hhmm;
}

/** Inserts a null after every jump longer than gapMs so ECharts breaks the line there. */
export function withGaps(points: readonly (readonly [number, number])[], gapMs: number): [number, number | null][] {
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
  // A whole-number metric (a count, an on/off state) gets whole-number steps: no "0.5 hospitals online".
  const interval = Math.max(metric.decimals === 0 ? 1 : 0, [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= rough) ?? 10 * magnitude);
  return {
    min: Math.max(metric.range.min, Math.floor((centre - span / 2) / interval) * interval),
    max: Math.min(metric.range.max, Math.ceil((centre + span / 2) / interval) * interval),
    interval,
  };
}

export function trendOption(input: TrendInput): WallChartOption {
  const { metric, rem } = input;
  const color = input.color ?? palette.accent;
  const levels = input.levels ?? levelsOf(metric.thresholds);
  // A count or an on/off state holds its value until the next report: a step, never a slope.
  const step = metric.discrete ? "end" : false;
  const gapMs = input.gapMs ?? 5_000;
  const line = input.points.map((p): [number, number] => [p[0], p[1]]);
  const lows = input.points.map((p) => p[2] ?? p[1]);
  const highs = input.points.map((p) => p[3] ?? p[1]);
  const bounds = line.length > 0 ? yBounds(metric, { min: Math.min(...lows), max: Math.max(...highs) }) : undefined;
  const levelLines = levels.filter((l, i) => levels.findIndex((m) => m.value === l.value && m.severity === l.severity) === i);
  // Nothing at all in the window is one gap over all of it, said as such (not a blank chart).
  const windowStart = input.endMs - input.windowMs;
  const gaps = input.noDataLabel === undefined ? [] : input.points.length === 0 ? [[windowStart, input.endMs] as [number, number]] : gapSpans(input.points, gapMs, windowStart);
  const stroke = Math.max(1, rem * 0.16);
  return {
    animation: false,
    grid: { left: rem * 3.2, right: rem * 0.8, top: rem * (input.topInset ?? 0.8), bottom: rem * 1.6 },
    tooltip: {
      trigger: "axis",
      textStyle: { fontSize: rem * 0.9 },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { value?: [number, number | null] } | undefined;
        const [ts, value] = first?.value ?? [0, null];
        const point = input.points.find((p) => p[0] === ts);
        const range = point && point.length > 2 && point[2] !== point[3] ? `<br/>${point[2]!.toFixed(metric.decimals)} – ${point[3]!.toFixed(metric.decimals)}` : "";
        return `${shenzhenTime(ts, true)}<br/><b>${value === null ? "—" : value.toFixed(metric.decimals)}</b> ${escapeHtml(metric.unit.zh)}${range}`;
      },
    },
    dataZoom: input.zoom ? [{ type: "inside", filterMode: "none", minValueSpan: 60_000 }] : undefined,
    xAxis: {
      type: "time",
      min: input.endMs - input.windowMs,
      max: input.endMs,
      splitNumber: 3,
      // Shenzhen time, whatever zone the wall PC (or a headless browser) is set to.
      axisLabel: { color: palette.inkDim, fontSize: rem * 0.8, hideOverlap: true, formatter: (value: number) => axisTime(value, input.windowMs) },
      axisLine: { lineStyle: { color: palette.grid } },
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      scale: true,
      ...(bounds ?? {}),
      splitNumber: 3,
      axisLabel: { color: palette.inkDim, fontSize: rem * 0.8, formatter: axisNumber },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series: [
      {
        type: "line",
        name: metric.label.zh,
        showSymbol: false,
        connectNulls: false,
        step,
        lineStyle: { width: stroke, color },
        areaStyle: input.band ? undefined : { color, opacity: 0.12 },
        data: withGaps(line, gapMs),
        markLine:
          levelLines.length > 0
            ? {
                silent: true,
                symbol: "none",
                label: { show: false },
                lineStyle: { type: "dashed", width: Math.max(1, rem * 0.08) },
                data: levelLines.map((l) => ({ yAxis: l.value, lineStyle: { color: LEVEL_STYLE[l.severity].color } })),
              }
            : undefined,
        markArea:
          gaps.length > 0
            ? {
                silent: true,
                itemStyle: { color: "rgba(100,116,139,0.22)" },
                label: { show: true, position: "insideTop", color: palette.inkDim, fontSize: rem * 0.75, formatter: input.noDataLabel },
                // Only a gap wide enough to hold its label is labelled; a narrow one is just shaded.
                data: gaps.map(([from, to]) => [{ xAxis: from, label: { show: to - from >= input.windowMs * 0.08 } }, { xAxis: to }]),
              }
            : undefined,
      },
      // Always present and always second, empty when there is none: the chart merges options in
      // place by series index, and a series left out would stay drawn.
      alertSeries(input.alerts ?? []),
      // Always third, for the same reason.
      levelMarks(input.points, levels, gapMs, rem),
      ...(input.band ? bandSeries(input.points, gapMs, color, step) : []),
    ],
  };
}

/** An empty series that carries the alert periods as shaded areas (a series has one markArea, the gaps use the line's). */
function alertSeries(alerts: NonNullable<TrendInput["alerts"]>): LineSeriesOption {
  const tint = { critical: "rgba(248,113,113,0.2)", warning: "rgba(251,191,36,0.16)", info: "rgba(56,189,248,0.14)" } as const;
  return {
    type: "line",
    name: "alerts",
    data: [],
    silent: true,
    tooltip: { show: false },
    markArea: { silent: true, data: alerts.map((a) => [{ xAxis: a.from, itemStyle: { color: tint[a.severity] } }, { xAxis: a.to }]) },
  };
}

/** The shape (as well as the colour) of each level, as on the KPIs: readable without colour. */
const LEVEL_STYLE = { warning: { symbol: "triangle", color: palette.warn }, critical: { symbol: "diamond", color: palette.crit } } as const;

/**
 * Where the series is at a level, as ▲ (warning) or ◆ (critical) on the worst value of the
 * point (a bucket's extreme): at the first point of each stretch at a level (after a change
 * or a gap) and at the newest point if it is at one, so the state now is marked at the edge.
 */
export function levelMarks(points: readonly TrendPoint[], levels: readonly SeverityLevel[], gapMs: number, rem: number): ScatterSeriesOption {
  const marks: { value: [number, number]; symbol: string; itemStyle: { color: string } }[] = [];
  let previous: { ts: number; severity: SeverityLevel["severity"] | null } | null = null;
  points.forEach((p, i) => {
    let worst: { level: SeverityLevel; value: number } | null = null;
    for (const level of levels) {
      const value = level.direction === "above" ? (p[3] ?? p[1]) : (p[2] ?? p[1]);
      if (reaches(value, level) && (worst === null || (level.severity === "critical" && worst.level.severity === "warning"))) worst = { level, value };
    }
    const severity = worst?.level.severity ?? null;
    const starts = previous === null || previous.severity !== severity || p[0] - previous.ts > gapMs;
    if (worst && (starts || i === points.length - 1)) {
      const style = LEVEL_STYLE[worst.level.severity];
      marks.push({ value: [p[0], worst.value], symbol: style.symbol, itemStyle: { color: style.color } });
    }
    previous = { ts: p[0], severity };
  });
  return { type: "scatter", name: "levels", data: marks, symbolSize: rem * 0.9, silent: true, tooltip: { show: false }, z: 5 };
}

/** The min–max envelope as two stacked lines: the low edge invisible, the span filled. */
function bandSeries(points: readonly TrendPoint[], gapMs: number, color: string, step: "end" | false): LineSeriesOption[] {
  const low = withGaps(points.map((p): [number, number] => [p[0], p[2] ?? p[1]]), gapMs);
  const span = withGaps(points.map((p): [number, number] => [p[0], (p[3] ?? p[1]) - (p[2] ?? p[1])]), gapMs);
  const common = { type: "line", stack: "band", step, showSymbol: false, connectNulls: false, silent: true, lineStyle: { opacity: 0 }, tooltip: { show: false } } as const;
  return [
    { ...common, name: "min", data: low },
    { ...common, name: "range", data: span, areaStyle: { color, opacity: 0.22 } },
  ];
}

/** Clock time for short windows, day and time for windows over a day. */
function axisTime(epochMs: number, windowMs: number): string {
  if (windowMs <= 24 * 3_600_000) return shenzhenTime(epochMs, false);
  const d = new Date(epochMs + 8 * 3_600_000);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${shenzhenTime(epochMs, false)}`;
}

/** A value-axis tick as a person writes it: ECharts' float steps print 1.7000000000000002 otherwise. */
export function axisNumber(value: number): string {
  return Number(value.toPrecision(6)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}
