/**
 * The simulated city raises critical alerts of its own now and then (a road in gridlock
 * in the evening rush), and an unacknowledged one puts the wall in its attention state: the
 * map zooms to a district and a kiosk holds on the wall. Specs that measure the plain wall
 * or the kiosk rotation first take the default critical rules away and acknowledge what is
 * open, so their result does not depend on what the city did that minute. Specs about
 * alerts make the alerts they need with rules of their own.
 */
import { DEFAULT_RULES } from "@/lib/alerts/rules";
import { REALTIME_URL } from "../playwright.config";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const CRITICAL_DEFAULT_RULES = DEFAULT_RULES.filter((r) => r.severity === "critical").map((r) => r.id);

export async function calmWall(): Promise<void> {
  for (const id of CRITICAL_DEFAULT_RULES) {
    const res = await fetch(`${REALTIME_URL}/alerts/rules/${id}`, { method: "DELETE", headers: auth });
    if (res.status !== 200 && res.status !== 404) throw new Error(`DELETE rule ${id}: ${res.status} ${await res.text()}`);
  }
  const { alerts } = (await (await fetch(`${REALTIME_URL}/alerts?limit=1000`)).json()) as { alerts: { id: string; severity: string; acknowledged: unknown }[] };
  for (const alert of alerts.filter((a) => a.severity === "critical" && !a.acknowledged)) {
    const res = await fetch(`${REALTIME_URL}/alerts/${alert.id}/ack`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ by: "e2e", comment: "the spec measures the plain wall" }),
    });
    if (res.status !== 200 && res.status !== 409) throw new Error(`ack ${alert.id}: ${res.status} ${await res.text()}`);
  }
}
