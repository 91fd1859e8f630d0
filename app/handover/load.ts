/**
 * Reads what a shift handover needs (alerts, drills, stored history) and hands it to the
 * pure parts in lib/handover. Shared by the page and its CSV route, so both say the same.
 * Reads are bounded: rows per section (lib/handover/report.ts) and a span of at most 7 days.
 */
import { z } from "zod";
import { retentionOf } from "@/lib/config";
import { CITY_ID, DISTRICTS, DOMAINS } from "@/lib/catalog";
import { alertsOverlapping, ruleNames } from "@/lib/db/alerts";
import { drillsOverlapping } from "@/lib/db/drills";
import { queryHistory } from "@/lib/db/history";
import { webDatabase, webEnv } from "@/lib/db/web";
import { alertEvents, stillOpen } from "@/lib/handover/alerts";
import { spanFigure } from "@/lib/handover/figures";
import { groupOutages, outageSpans, outageThresholdMs, worstOutages } from "@/lib/handover/outages";
import { MAX_ALERT_ROWS, MAX_DRILL_ROWS, MAX_OUTAGE_ROWS, type HandoverOutage, type HandoverReport } from "@/lib/handover/report";
import { spanDaysBefore, type HandoverSpan } from "@/lib/handover/span";
import { planQuery } from "@/lib/history/plan";
import { MAX_POINTS_LIMIT } from "@/lib/history/query";
import { SCENARIOS, type ScenarioId } from "@/lib/sim/scenarios";
import { sideServerGet } from "@/lib/web-auth";
import { DOMAIN_PANELS } from "@/components/wall/domains";

const ZHealth = z.object({ clock: z.object({ simulatedTime: z.string(), speed: z.number().positive() }) });

/** The source clock (simulated time may run fast) and its speed; the machine's clock at ×1 when the side server does not answer. */
export async function sourceClock(): Promise<{ now: number; speed: number }> {
  const health = await sideServerGet("/healthz", ZHealth);
  return health ? { now: Date.parse(health.clock.simulatedTime), speed: health.clock.speed } : { now: Date.now(), speed: 1 };
}

/** Buckets per series when looking for outages: an 8-hour shift in 15 s buckets. */
const OUTAGE_POINTS = 2_000;
/** Buckets per series for a key figure: only their weighted mean and extremes are kept. */
const FIGURE_POINTS = 10;

export async function loadHandover(span: HandoverSpan, clock: { now: number; speed: number }): Promise<HandoverReport> {
  const db = await webDatabase();
  const retention = retentionOf(webEnv());
  // The data's clock may run ahead of real time (an accelerated simulator): plan against whichever is later.
  const planNow = Math.max(Date.now(), clock.now);
  const series = (metricId: string, entityId: string, s: HandoverSpan, maxPoints: number) => {
    const plan = planQuery({ from: s.from, to: s.to, now: Math.max(planNow, s.to), maxPoints: Math.min(maxPoints, MAX_POINTS_LIMIT), retention });
    return queryHistory(db, { metricId, entityId, from: s.from, to: s.to, plan }).then((points) => ({ points, bucketMs: plan.bucketMs }));
  };

  // One more than listed: says whether the list is whole. `from - 1`: an alert resolved at the span's first instant is its event.
  const alerts = await alertsOverlapping(db, { from: span.from - 1, to: span.to, limit: MAX_ALERT_ROWS + 1 });
  const alertsTruncated = alerts.length > MAX_ALERT_ROWS;
  const kept = alerts.slice(0, MAX_ALERT_ROWS);
  const drills = await drillsOverlapping(db, { from: span.from, to: span.to, limit: MAX_DRILL_ROWS + 1 });

  // The city and every district on the metric each domain maps by: where a domain or district went silent.
  const outages: (Omit<HandoverOutage, "entityIds"> & { entityId: string })[] = [];
  let outageThresholdMax = 0;
  // A summary series reports every tick of the source clock.
  const declaredMs = 1_000 * clock.speed;
  for (const domain of DOMAINS) {
    const metricId = DOMAIN_PANELS[domain].byDistrict;
    for (const entityId of [CITY_ID, ...DISTRICTS.map((d) => d.id)]) {
      const { points, bucketMs } = await series(metricId, entityId, span, OUTAGE_POINTS);
      outageThresholdMax = Math.max(outageThresholdMax, outageThresholdMs(points, bucketMs, declaredMs));
      for (const outage of outageSpans(points, bucketMs, declaredMs, span)) outages.push({ domain, metricId, entityId, outage });
    }
  }

  const grouped: HandoverOutage[] = groupOutages(outages);

  const figures: HandoverReport["figures"] = [];
  for (const domain of DOMAINS) {
    const comparisons = [];
    for (const { metricId } of DOMAIN_PANELS[domain].kpis) {
      const figure = async (s: HandoverSpan) => spanFigure((await series(metricId, CITY_ID, s, FIGURE_POINTS)).points);
      comparisons.push({ metricId, shift: await figure(span), dayBefore: await figure(spanDaysBefore(span, 1)), weekBefore: await figure(spanDaysBefore(span, 7)) });
    }
    figures.push({ domain, comparisons });
  }

  return {
    span,
    madeAt: clock.now,
    events: alertEvents(kept, span),
    open: stillOpen(kept, span),
    alertsTruncated,
    ruleNames: await ruleNames(db),
    drills: drills.slice(0, MAX_DRILL_ROWS).map((d) => ({
      id: d.id,
      name: SCENARIOS[d.scenarioId as ScenarioId]?.name ?? { zh: d.scenarioId, en: d.scenarioId },
      startTs: d.startMs,
      endTs: d.endMs,
      stopped: d.stopped,
      startedBy: d.startedBy,
    })),
    drillsTruncated: drills.length > MAX_DRILL_ROWS,
    outages: worstOutages(grouped, MAX_OUTAGE_ROWS).sort((a, b) => a.outage.from - b.outage.from || DOMAINS.indexOf(a.domain) - DOMAINS.indexOf(b.domain)),
    outagesFound: grouped.length,
    outageThresholdMs: outageThresholdMax,
    figures,
  };
}
