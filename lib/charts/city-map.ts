/**
 * The district map: each district filled by the severity of the layer's metric and
 * labelled with its value (a mark too, so it reads without colour), districts without
 * an outline of their own (光明, 大鹏) and single entities as dots at their position.
 */
import type { ScatterSeriesOption } from "echarts/charts";
import type { AttentionPlace } from "../alerts/attention";
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
  /** Where to draw a dot; for a region, where its label stands (a focused view hides a label it would cut). */
  lon?: number;
  lat?: number;
  /** Dots only: a short label instead of name and value (a rank where several crowd together). */
  caption?: string;
}

/** How far the map zooms in on a focused district: about the district and its neighbours. */
export const FOCUS_ZOOM = 2.2;

const MARK: Record<Severity, string> = { ok: "", warning: "▲ ", critical: "◆ " };

/** What an alert asks the map to show: its district marked, the road or place drawn with its value, the view around them. */
export interface MapAlert {
  severity: "warning" | "critical";
  districtId: string | null;
  place: AttentionPlace;
  /** Name and value, e.g. "深南大道 9.4". */
  label: string;
  /** The district's own label point, kept in view with the place. */
  districtAt: readonly [number, number] | null;
}

type Bounds = { west: number; east: number; south: number; north: number };

/** Degrees a focused view spans at least (about a district and its neighbours), and the margin around what it must show. */
const MIN_SPAN = { lon: 0.24, lat: 0.13 };
const PAD = 0.25;

/** The view around an alert's place and district, wide enough for their neighbours; null when there is nothing to place. */
export function alertBounds(alert: MapAlert): Bounds | null {
  const points = [...(alert.place?.kind === "road" ? alert.place.course : alert.place ? [alert.place.at] : []), ...(alert.districtAt ? [alert.districtAt] : [])];
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const around = (lo: number, hi: number, min: number): [number, number] => {
    const half = Math.max(hi - lo, min) / 2 + (hi - lo) * PAD;
    const mid = (lo + hi) / 2;
    return [mid - half, mid + half];
  };
  const [west, east] = around(Math.min(...lons), Math.max(...lons), MIN_SPAN.lon);
  const [south, north] = around(Math.min(...lats), Math.max(...lats), MIN_SPAN.lat);
  return { west, east, south, north };
}

/** A label standing this close to the view's edge would be cut: the inner share of the view where labels may stand. */
const LABEL_MARGIN = 0.1;
function labelFits(bounds: Bounds | null, lon: number | undefined, lat: number | undefined): boolean {
  if (!bounds || lon === undefined || lat === undefined) return true;
  const [dx, dy] = [(bounds.east - bounds.west) * LABEL_MARGIN, (bounds.north - bounds.south) * LABEL_MARGIN];
  return lon > bounds.west + dx && lon < bounds.east - dx && lat > bounds.south + dy && lat < bounds.north - dy;
}

/** Dots this far apart (degrees) overlap into a line at any view the map takes: a road drawn without a lines series. */
const ROAD_STEP = 0.002;
function along(course: readonly (readonly [number, number])[]): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 1; i < course.length; i++) {
    const [[x0, y0], [x1, y1]] = [course[i - 1]!, course[i]!];
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / ROAD_STEP));
    for (let k = 0; k < n; k++) points.push([x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n]);
  }
  const last = course.at(-1);
  if (last) points.push([last[0], last[1]]);
  return points;
}

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
  /** An alert to show: it decides the view (over `focus`), marks its district and draws its place. */
  alert?: MapAlert;
}): WallChartOption {
  const { metric, rem, values, alert } = input;
  const marked = (id: string) => input.highlight.includes(id);
  const bounds = alert ? alertBounds(alert) : null;
  const alertColor = alert ? severityColor(alert.severity) : palette.accent;
  const alertMark = alert ? MARK[alert.severity] : "";
  const shownLabels = [...input.regions, ...input.dots].flatMap((p) => (p.lon !== undefined && p.lat !== undefined && labelFits(bounds, p.lon, p.lat) ? [[p.lon, p.lat] as const] : []));
  return {
    animation: false,
    geo: {
      map: DISTRICT_MAP,
      roam: false,
      // Degrees of longitude are shorter than of latitude at 22.6° N.
      aspectScale: 0.92,
      ...(bounds
        ? { boundingCoords: [[bounds.west, bounds.north], [bounds.east, bounds.south]] }
        : input.focus
          ? { center: [input.focus.lon, input.focus.lat], zoom: FOCUS_ZOOM }
          : {}),
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
        // The alert's district carries the alert's mark and colour whatever its own average says.
        const alerted = alert?.districtId === r.id;
        const name = alerted ? `${alertMark}${r.label}` : r.label;
        return {
          name: r.id,
          itemStyle: {
            areaColor: values ? fill : alpha(palette.stale, 0.3),
            borderColor: alerted ? alertColor : marked(r.id) ? palette.accent : palette.ink,
            borderWidth: rem * (alerted ? 0.4 : marked(r.id) ? 0.3 : 0.06),
          },
          label: { show: alerted || labelFits(bounds, r.lon, r.lat), formatter: values ? `${name}\n${text}` : name, ...(alerted ? { color: alertColor, fontSize: rem * 1 } : {}) },
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
            label: { show: labelFits(bounds, d.lon, d.lat), position: "right", color: palette.ink, fontSize: rem * 0.8, formatter: d.caption ?? (values ? `${d.label} ${text}` : d.label) },
          };
        }),
      },
      ...(alert?.place ? [alertSeries(alert, rem, shownLabels)] : []),
    ],
  };
}

/** Where on the road its name stands: as far as it can be from the labels shown (the district's among them), not in the outer fifth of the road at either end. */
function roadLabelPoint(road: readonly [number, number][], labels: readonly (readonly [number, number])[]): [number, number] {
  const inner = road.slice(Math.floor(road.length * 0.2), Math.ceil(road.length * 0.8));
  if (labels.length === 0 || inner.length === 0) return road[Math.floor(road.length / 2)]!;
  const clearance = (p: readonly [number, number]) => Math.min(...labels.map((l) => Math.hypot(p[0] - l[0], p[1] - l[1])));
  return inner.reduce((best, p) => (clearance(p) > clearance(best) ? p : best));
}

/** The alert's road as a line of dots in its colour, or its place as a marker, and its name and value in a box beside it. */
function alertSeries(alert: MapAlert, rem: number, labels: readonly (readonly [number, number])[]): ScatterSeriesOption {
  const color = severityColor(alert.severity);
  const road = alert.place?.kind === "road" ? along(alert.place.course) : [];
  const at = alert.place?.kind === "road" ? roadLabelPoint(road, labels) : alert.place!.at;
  return {
    type: "scatter",
    coordinateSystem: "geo",
    silent: true,
    z: 10,
    data: [
      ...road.map((p) => ({ value: [p[0], p[1]], symbolSize: rem * 0.55, itemStyle: { color, borderWidth: 0 }, label: { show: false } })),
      {
        name: alert.label,
        value: [at[0], at[1]],
        symbol: alert.severity === "critical" ? "diamond" : "triangle",
        symbolSize: rem * 1.6,
        itemStyle: { color, borderColor: palette.ink, borderWidth: rem * 0.12 },
        label: {
          show: true,
          position: "top",
          distance: rem * 0.5,
          formatter: `${MARK[alert.severity]}${alert.label}`,
          color: palette.ink,
          fontSize: rem * 1.15,
          fontWeight: "bold",
          backgroundColor: "rgba(8,14,28,0.9)",
          borderColor: color,
          borderWidth: rem * 0.12,
          borderRadius: rem * 0.2,
          padding: [rem * 0.2, rem * 0.45],
        },
      },
    ],
  };
}
