/**
 * The district map: each district filled by the severity of the layer's metric and
 * labelled with its value (a mark too, so it reads without colour), districts without
 * an outline of their own (光明, 大鹏) and single entities as dots at their position.
 */
import type { MetricDefinition } from "../catalog/metrics";
import { DISTRICT_MAP } from "../geo/districts";
import { severityOf } from "./severity";
import { palette, severityColor, type Severity } from "./theme";
import type { WallChartOption } from "./types";

export interface MapPlace {
  /** A district id (regions and dots) or an entity id (dots). */
  id: string;
  label: string;
  value: number | null;
  /** Dots only: where to draw it. */
  lon?: number;
  lat?: number;
  /** Dots only: a short label instead of name and value (a rank where several crowd together). */
  caption?: string;
}

/** How far the map zooms in on a focused district: about the district and its neighbours. */
export const FOCUS_ZOOM = 2.2;

const MARK: Record<Severity, string> = { ok: "", warning: "▲ ", critical: "◆ " };

function alpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

function look(metric: MetricDefinition, value: number | null) {
  if (value === null) return { fill: alpha(palette.stale, 0.45), text: "—" };
  const severity = severityOf(value, metric.thresholds);
  return { fill: alpha(severityColor(severity), severity === "ok" ? 0.4 : 0.7), text: `${MARK[severity]}${value.toFixed(metric.decimals)}` };
}

/**
 * `values: false` draws the places by name only (a page that follows one entity has no
 * district figures); `highlight` outlines the places with those ids.
 */
export function cityMapOption(input: {
  metric: MetricDefinition;
  regions: readonly MapPlace[];
  dots: readonly MapPlace[];
  highlight: readonly string[];
  values: boolean;
  rem: number;
  /** Centre the map on this place, zoomed in (an alert's district); absent, the whole city fits the box. */
  focus?: { lon: number; lat: number };
}): WallChartOption {
  const { metric, rem, values } = input;
  const marked = (id: string) => input.highlight.includes(id);
  return {
    animation: false,
    geo: {
      map: DISTRICT_MAP,
      roam: false,
      // Degrees of longitude are shorter than of latitude at 22.6° N.
      aspectScale: 0.92,
      ...(input.focus ? { center: [input.focus.lon, input.focus.lat], zoom: FOCUS_ZOOM } : {}),
      // Fitted into the box, keeping the aspect ratio: Shenzhen is more than twice as wide as it is tall.
      left: rem * 0.5,
      right: rem * 0.5,
      top: rem * 0.5,
      bottom: rem * 0.5,
      itemStyle: { areaColor: alpha(palette.stale, 0.45), borderColor: palette.ink, borderWidth: rem * 0.06 },
      label: { show: true, color: palette.ink, fontSize: rem * 0.85, fontWeight: "bold", lineHeight: rem * 1.1 },
      emphasis: { itemStyle: { areaColor: alpha(palette.accent, 0.55) }, label: { color: palette.ink } },
      select: { disabled: true },
      regions: input.regions.map((r) => {
        const { fill, text } = look(metric, r.value);
        return {
          name: r.id,
          itemStyle: { areaColor: values ? fill : alpha(palette.stale, 0.3), borderColor: marked(r.id) ? palette.accent : palette.ink, borderWidth: rem * (marked(r.id) ? 0.3 : 0.06) },
          label: { formatter: values ? `${r.label}\n${text}` : r.label },
        };
      }),
    },
    series: [
      {
        type: "scatter",
        coordinateSystem: "geo",
        symbolSize: rem * 1.1,
        data: input.dots.map((d) => {
          const { fill, text } = look(metric, d.value);
          return {
            name: d.id,
            value: [d.lon ?? 0, d.lat ?? 0],
            itemStyle: { color: values ? fill.replace(/[\d.]+\)$/, "1)") : marked(d.id) ? palette.accent : alpha(palette.stale, 0.8), borderColor: marked(d.id) ? palette.accent : palette.ink, borderWidth: rem * (marked(d.id) ? 0.2 : 0.1) },
            symbolSize: rem * (marked(d.id) ? 1.5 : 1.1),
            label: { show: true, position: "right", color: palette.ink, fontSize: rem * 0.8, formatter: d.caption ?? (values ? `${d.label} ${text}` : d.label) },
          };
        }),
      },
    ],
  };
}
