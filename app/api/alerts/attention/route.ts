import { unresolvedAlerts } from "@/lib/db/alerts";
import { webDatabase } from "@/lib/db/web";
import { unavailable } from "@/lib/web-answers";

export const dynamic = "force-dynamic";

/** How many critical alerts nobody has acknowledged: while there is one, a kiosk holds its rotation on the wall. */
export async function GET(): Promise<Response> {
  try {
    const open = await unresolvedAlerts(await webDatabase());
    const critical = open.filter((a) => a.severity === "critical" && a.acknowledgedTs === null).length;
    return Response.json({ critical }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return unavailable("alerts", error);
  }
}
