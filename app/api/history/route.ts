import type { NextRequest } from "next/server";
import { retentionOf } from "@/lib/config";
import { alertPeriods } from "@/lib/db/alerts";
import { queryHistory } from "@/lib/db/history";
import { webDatabase, webEnv } from "@/lib/db/web";
import { planQuery } from "@/lib/history/plan";
import { historyQuerySchema } from "@/lib/history/query";
import { issuesMessage } from "@/lib/issues";
import { unavailable } from "@/lib/web-answers";
import { timedRoute } from "@/lib/web-metrics";

export const dynamic = "force-dynamic";

export const GET = timedRoute("history", answerHistory);

/**
 * GET /api/history?metric=&entity=&from=&to=[&maxPoints=] — one series over any range,
 * from raw samples or rollups, bucketed to at most maxPoints points of
 * [bucket start, avg, min, max, count] (min and max keep the peaks). See docs/api.md.
 */
async function answerHistory(request: NextRequest): Promise<Response> {
  const retention = retentionOf(webEnv());
  const parsed = historyQuerySchema(retention.hourMs).safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) {
    return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  }
  const q = parsed.data;
  // The data's clock may run ahead of real time (an accelerated simulator): plan against whichever is later.
  const plan = planQuery({ from: q.from, to: q.to, now: Math.max(Date.now(), q.to), maxPoints: q.maxPoints, retention });
  try {
    const db = await webDatabase();
    const points = await queryHistory(db, { metricId: q.metric, entityId: q.entity, from: q.from, to: q.to, plan });
    // When alerts on this series were open within the range, for the chart to shade.
    const alerts = await alertPeriods(db, { metricId: q.metric, entityId: q.entity, from: q.from, to: q.to });
    return Response.json({ metric: q.metric, entity: q.entity, from: q.from, to: q.to, resolution: plan.resolution, bucketMs: plan.bucketMs, points, alerts });
  } catch (error) {
    return unavailable("history", error);
  }
}
