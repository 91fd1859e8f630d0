/**
 * POST /api/incidents: an operator merges, splits or closes incidents (form or JSON), on their
 * behalf at the side server. In order, as for alert actions: the request comes from this site
 * (403 origin), someone is signed in (401, a form goes to the login), their role allows it
 * (403 role), the body is valid (400 naming the field); the side server's refusal (404, 409)
 * comes back as it is. A form from /alerts gets a 303 back to the page, with the error if any.
 */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { localPath } from "@/lib/auth/local-path";
import { can, refusal } from "@/lib/auth/roles";
import { issuesMessage } from "@/lib/issues";
import { currentUser, refuseCrossSite, seeOther, sideServerRequest } from "@/lib/web-auth";

export const dynamic = "force-dynamic";

const ids = (field: string) => z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string().min(1).max(200), { message: `must list ${field}` }));
const ZBody = z.discriminatedUnion("change", [
  z.object({ change: z.literal("merge"), incidentIds: ids("incidents"), next: z.string().optional() }),
  z.object({ change: z.literal("split"), incidentId: z.string().min(1).max(200), alertIds: ids("alerts"), next: z.string().optional() }),
  z.object({ change: z.literal("close"), incidentId: z.string().min(1).max(200), comment: z.string().trim().max(500, "must be at most 500 characters").optional(), next: z.string().optional() }),
]);

export async function POST(request: NextRequest): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const isForm = !(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json");
  let raw: unknown;
  try {
    if (isForm) {
      // A form repeats a field for each ticked box: those become lists.
      const form = await request.formData();
      raw = Object.fromEntries([...new Set(form.keys())].map((key) => { const values = form.getAll(key).filter((v) => typeof v === "string"); return [key, values.length > 1 || key.endsWith("Ids") ? values : values[0]]; }));
    } else raw = await request.json();
  } catch {
    return Response.json({ error: "body: must be a form or JSON" }, { status: 400 });
  }
  const parsed = ZBody.safeParse(raw ?? {});
  const back = localPath(typeof (raw as { next?: unknown } | null)?.next === "string" ? (raw as { next: string }).next : undefined, "/alerts");
  const user = await currentUser();
  if (!user) return isForm ? seeOther(`/login?${new URLSearchParams({ next: back })}`) : Response.json({ error: "session: sign in first" }, { status: 401 });
  if (!can(user.role, "manageIncidents")) return Response.json({ error: refusal("manageIncidents") }, { status: 403 });

  let answer: { status: number; body: Record<string, unknown> };
  if (!parsed.success) answer = { status: 400, body: { error: issuesMessage(parsed.error, "body") } };
  else {
    const change = parsed.data;
    const path = change.change === "merge" ? "/incidents/merge" : `/incidents/${encodeURIComponent(change.incidentId)}/${change.change}`;
    const body = change.change === "merge" ? { by: user.name, incidentIds: change.incidentIds } : change.change === "split" ? { by: user.name, alertIds: change.alertIds } : { by: user.name, comment: change.comment || null };
    answer = await sideServerRequest("POST", path, body);
  }
  if (isForm) {
    if (answer.status === 200) return seeOther(back);
    const url = new URL(back, "http://x");
    url.searchParams.set("error", String(answer.body.error ?? `side server: ${answer.status}`));
    return seeOther(`${url.pathname}${url.search}`);
  }
  // The side server's 401 would mean our token is wrong: that is our fault, not the user's.
  return Response.json(answer.body, { status: answer.status === 401 ? 502 : answer.status });
}
