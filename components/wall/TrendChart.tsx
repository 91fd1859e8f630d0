"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { isSummaryEntity, type MetricDefinition } from "@/lib/catalog";
import type { SeverityLevel } from "@/lib/charts/severity";
import { trendOption, type TrendPoint } from "@/lib/charts/trend";
import { csvFilename, historyCsv } from "@/lib/history/csv";
import { RANGES, gapThresholdMs, joinHistoryAndLive, reportingIntervalMs, type HistoryPoint, type TimeRange } from "@/lib/history/series";
import { pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { EChart, type EChartInstance } from "../charts/EChart";
import { useLive } from "../realtime/LiveProvider";
import { saveFile, useCsvDownload } from "./csv-download";
import { RangeControl, rangeCaption } from "./RangeControl";
import { useRem } from "./hooks";
import { useHistory, type HistoryQuery } from "./use-history";

/** A history answer this wide is enough for any chart on the wall; min/max bands keep its peaks. */
const MAX_POINTS = 1_000;
/** Live ranges refetch their stored part once a minute of real time; the live tail fills in between. */
const REFRESH_REAL_MS = 60_000;

/**
 * A metric's history for one entity: the live window from the socket, longer ranges
 * from /api/history joined to the live tail, a fixed window picked by the range
 * control or by zooming (wheel or drag), and a CSV of exactly what is drawn.
 */
export function TrendChart(props: {
  id: string;
  metric: MetricDefinition;
  entityId: string;
  scope: string;
  lang: Lang;
  /** Where the value is a warning or critical (default: the metric's catalog thresholds); an entity page adds its rules'. */
  levels?: readonly SeverityLevel[];
  /** A page that keeps its range in the URL passes it here; the wall's charts keep their own. */
  range?: TimeRange;
  onRangeChange?: (range: TimeRange) => void;
}) {
  const { id, metric, entityId, scope, lang, levels } = props;
  const live = useLive();
  const rem = useRem();
  const [ownRange, setOwnRange] = useState<TimeRange>({ kind: "live", key: "15m" });
  const range = props.range ?? ownRange;
  const setRange = props.onRangeChange ?? setOwnRange;
  // No live window of a road, lot, institution or node is kept for a snapshot.
  const summary = isSummaryEntity(entityId);
  const livePoints = live.store.points(metric.id, entityId);
  const sourceNow = live.sourceNow();
  const newest = livePoints[livePoints.length - 1]?.[0] ?? sourceNow ?? 0;

  const windowMs = range.kind === "live" ? RANGES[range.key] : range.to - range.from;
  const endMs = range.kind === "live" ? newest : range.to;
  const fromMs = endMs - windowMs;
  const needsHistory = range.kind === "fixed" || windowMs > live.windowMs || !summary;
  const query = historyQuery(range, metric.id, entityId, sourceNow, REFRESH_REAL_MS * live.clock.speed, needsHistory);
  const history = useHistory(query);

  // This series' own state: the store's version moves with every domain's frame and every second,
  // and rebuilding the option then would redraw the chart with nothing new.
  const seriesKey = `${livePoints.length}|${livePoints[0]?.[0]}|${newest}`;
  const shown: TrendPoint[] = useMemo(
    () => (needsHistory ? joinHistoryAndLive(history.points, history.bucketMs, livePoints, fromMs, endMs + 1) : livePoints.filter(([ts]) => ts >= fromMs)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- livePoints is mutated in place; seriesKey tracks it
    [needsHistory, history.points, history.bucketMs, seriesKey, fromMs, endMs],
  );
  // Live and replayed points are single reports; history comes in buckets.
  const bucketMs = needsHistory ? history.bucketMs : 0;
  // Gaps are judged against how often this series reports (a minute-spaced recording, a 15-minute
  // feed), as its points show, not against the replay's speed or the live simulator's tick.
  const declaredMs = live.declaredIntervalMs(entityId);
  const intervalMs = useMemo(() => reportingIntervalMs(shown, declaredMs), [shown, declaredMs]);
  // Resolved alerts come with the stored history; open ones from the live announcements, up to now.
  const openAlerts = live.alerts.filter((a) => a.metricId === metric.id && a.entityId === entityId);
  const alertsKey = openAlerts.map((a) => a.id).join("|");
  const alertPeriods = useMemo(
    () => [
      ...history.alerts.flatMap((p) => (p.to === null ? [] : [{ severity: p.severity, from: p.from, to: p.to }])),
      ...openAlerts.map((a) => ({ severity: a.severity, from: a.sinceTs, to: endMs })),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- alertsKey stands for openAlerts' content
    [history.alerts, alertsKey, endMs],
  );
  const neverReported = shown.length === 0 && live.store.latest(metric.id, entityId) === undefined && (!needsHistory || history.status === "ok");
  const option = useMemo(
    () =>
      trendOption({
        metric,
        points: shown,
        endMs,
        windowMs,
        rem,
        gapMs: gapThresholdMs(bucketMs, intervalMs),
        // A series nothing has ever reported (the simulator off, no feed yet) says so, rather than "no data" of an outage.
        noDataLabel: t(lang, neverReported ? "chart.noSource" : "chart.noData"),
        band: bucketMs > intervalMs,
        zoom: true,
        topInset: 1.5,
        alerts: alertPeriods,
        levels,
      }),
    [metric, shown, endMs, windowMs, rem, bucketMs, intervalMs, lang, alertPeriods, levels, neverReported],
  );

  const zoomTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The zoom handler is bound once (a new onEvents rebinds every handler); it reaches the current setter here.
  const setRangeRef = useRef(setRange);
  useEffect(() => {
    setRangeRef.current = setRange;
  });
  const onEvents = useMemo(
    () => ({
      // Zooming narrows the range itself (refetched at a finer resolution), then the zoom resets.
      datazoom: (_: unknown, chart: EChartInstance) => {
        if (zoomTimer.current) clearTimeout(zoomTimer.current);
        zoomTimer.current = setTimeout(() => {
          const window = zoomWindow(chart);
          if (!window) return;
          chart.dispatchAction({ type: "dataZoom", start: 0, end: 100 });
          setRangeRef.current({ kind: "fixed", from: Math.round(window.from / 1_000) * 1_000, to: Math.round(window.to / 1_000) * 1_000 });
        }, 400);
      },
    }),
    [],
  );

  const exportShown = () => {
    const rows: HistoryPoint[] = shown.map((p) => (p.length === 2 ? [p[0], p[1], p[1], p[1], 1] : [...p]));
    saveFile(new Blob([historyCsv(rows)], { type: "text/csv;charset=utf-8" }), csvFilename({ metricId: metric.id, entityId, from: fromMs, to: endMs }));
  };
  const download = useCsvDownload();
  const exportFull = () => download.start(`/api/history/csv?${new URLSearchParams({ metric: metric.id, entity: entityId, from: String(fromMs), to: String(endMs + 1) })}`);

  const status = needsHistory ? history.status : "ok";
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div data-testid={testIds.chartCaption(id)} className="truncate text-[0.85rem] text-ink-dim">
        {pick(lang, metric.label)} · {rangeCaption(lang, range)} · {scope}
        {status === "loading" && <span className="ml-[0.4rem] text-accent">{t(lang, "chart.loading")}</span>}
        {status === "error" && <span className="ml-[0.4rem] text-warn">⚠ {t(lang, "chart.historyError")}</span>}
      </div>
      <div className="relative min-h-0 flex-1" data-range={range.kind === "live" ? range.key : "fixed"} data-history={status} data-points={shown.length} data-newest={shown.at(-1)?.[0]}>
        <EChart option={option} testId={testIds.chart(id)} label={`${pick(lang, metric.label)} · ${rangeCaption(lang, range)}`} onEvents={onEvents} />
        <RangeControl
          id={id}
          lang={lang}
          range={range}
          endMs={endMs}
          onChange={setRange}
          shownPoints={shown.length}
          onExport={exportShown}
          onExportFull={exportFull}
          exportState={download.state}
          onCancelExport={download.cancel}
        />
      </div>
    </div>
  );
}

function historyQuery(range: TimeRange, metric: string, entity: string, sourceNow: number | null, refreshMs: number, needed: boolean): HistoryQuery | null {
  if (!needed) return null;
  if (range.kind === "fixed") return { metric, entity, from: range.from, to: range.to, maxPoints: MAX_POINTS };
  if (sourceNow === null) return null;
  // `to` steps once per refresh so the query (and its fetch) changes once a minute, not every second.
  const to = Math.ceil(sourceNow / refreshMs) * refreshMs;
  return { metric, entity, from: to - RANGES[range.key] - refreshMs, to, maxPoints: MAX_POINTS };
}

/** The visible time window after a zoom or pan, or null when the whole axis is visible again. */
function zoomWindow(chart: EChartInstance): { from: number; to: number } | null {
  const zoom = (chart.getOption() as { dataZoom?: { start?: number; end?: number; startValue?: number; endValue?: number }[] }).dataZoom?.[0];
  if (!zoom || zoom.startValue === undefined || zoom.endValue === undefined) return null;
  if ((zoom.start ?? 0) <= 0 && (zoom.end ?? 100) >= 100) return null;
  return { from: zoom.startValue, to: zoom.endValue };
}
