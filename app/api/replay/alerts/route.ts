import type { NextRequest } from "next/server";
import { alertsOverlapping, ruleNames, wireAlert } from "@/lib/db/alerts";
import { webDatabase } from "@/lib/db/web";
import { replayAlertsQuerySchema } from "@/lib/history/query";
import { issuesMessage } from "@/lib/issues";
import { MAX_REPLAY_ALERTS, type TReplayAlert } from "@/lib/realtime/replay";
import { timedRoute } from "@/lib/web-metrics";

export const dynamic = "force-dynamic";

export const GET = timedRoute("replay_alerts", answerReplayAlerts);

/**
 * GET /api/replay/alerts?from=&to= — the stored alerts open at some instant of [from, to)
 * (source-clock ms or ISO 8601), newest first, at most MAX_REPLAY_ALERTS, each with when it
 * was acknowledged and resolved: a replay shows them as they were at its replayed instant.
 */
async function answerReplayAlerts(request: NextRequest): Promise<Response> {
  const parsed = replayAlertsQuerySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) {
    return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  }
  const { from, to } = parsed.data;
  try {
    const db = await webDatabase();
    const [records, names] = await Promise.all([alertsOverlapping(db, { from, to, limit: MAX_REPLAY_ALERTS }), ruleNames(db)]);
    const alerts: TReplayAlert[] = records.map((a) => ({ ...wireAlert(a, names.get(a.ruleId)), resolvedTs: a.resolvedTs }));
    return Response.json({ from, to, alerts });
  } catch (error) {
    return Response.json({ error: `alert history unavailable: ${error instanceof Error ? error.message : String(error)}` }, { status: 503 });
  }
}
