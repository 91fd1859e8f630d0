import type { NextRequest } from "next/server";
import { ENTITIES, METRICS, isSummaryEntity } from "@/lib/catalog";
import { retentionOf } from "@/lib/config";
import { queryReplay } from "@/lib/db/history";
import { webDatabase, webEnv } from "@/lib/db/web";
import { replayQuerySchema } from "@/lib/history/query";
import { issuesMessage } from "@/lib/issues";
import { planReplay } from "@/lib/realtime/replay";
import { unavailable } from "@/lib/web-answers";
import { timedRoute } from "@/lib/web-metrics";

export const dynamic = "force-dynamic";

export const GET = timedRoute("replay", answerReplay);

const SUMMARY_IDS = ENTITIES.filter((e) => isSummaryEntity(e.id)).map((e) => e.id);
const METRIC_IDS = METRICS.map((m) => m.id);

/**
 * GET /api/replay?from=&to=&speed=1|10|60[&entity=] — every metric of the city and its
 * districts (or of one of them) over [from, to), one averaged point per replay step
 * (speed seconds). The wall's replay fetches a couple of minutes of playback at a time.
 */
async function answerReplay(request: NextRequest): Promise<Response> {
  const parsed = replayQuerySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) {
    return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  }
  const q = parsed.data;
  const plan = planReplay({ from: q.from, speed: q.speed, now: Math.max(Date.now(), q.to), retention: retentionOf(webEnv()) });
  try {
    const series = await queryReplay(await webDatabase(), { metricIds: METRIC_IDS, entityIds: q.entity ? [q.entity] : SUMMARY_IDS, from: q.from, to: q.to, plan });
    return Response.json({ from: q.from, to: q.to, speed: q.speed, resolution: plan.resolution, stepMs: plan.bucketMs, series });
  } catch (error) {
    return unavailable("history", error);
  }
}
