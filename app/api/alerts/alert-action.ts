/**
 * Acknowledge / resolve on a signed-in user's behalf. In order: the request comes from
 * this site (CSRF: 403 origin), someone is signed in (401), their role allows it (403
 * role), then the side server is asked with the admin token and `by` = their name. A form
 * from /alerts gets a 303 back to the page; a JSON request gets JSON.
 */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { localPath } from "@/lib/auth/local-path";
import { can, refusal, type Action } from "@/lib/auth/roles";
import { issuesMessage } from "@/lib/issues";
import { currentUser, refuseCrossSite, seeOther, sideServerRequest } from "@/lib/web-auth";

const ZBody = z.object({
  comment: z.string().trim().max(500, "must be at most 500 characters").optional(),
  next: z.string().optional(),
});

export async function alertAction(request: NextRequest, id: string, action: Extract<Action, "acknowledge" | "resolve">): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const isForm = !(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json");
  let raw: unknown;
  try {
    raw = isForm ? Object.fromEntries([...(await request.formData()).entries()].filter(([, v]) => typeof v === "string")) : await request.json();
  } catch {
    return Response.json({ error: "body: must be a form or JSON" }, { status: 400 });
  }
  const parsed = ZBody.safeParse(raw ?? {});
  if (!parsed.success) return Response.json({ error: issuesMessage(parsed.error, "body") }, { status: 400 });
  const back = localPath(parsed.data.next, "/alerts");

  const user = await currentUser();
  if (!user) return isForm ? seeOther(`/login?${new URLSearchParams({ next: back })}`) : Response.json({ error: "session: sign in first" }, { status: 401 });
  if (!can(user.role, action)) return Response.json({ error: refusal(action) }, { status: 403 });

  const path = `/alerts/${encodeURIComponent(id)}/${action === "acknowledge" ? "ack" : "resolve"}`;
  const comment = parsed.data.comment || null;
  const answer = await sideServerRequest("POST", path, action === "acknowledge" ? { by: user.name, comment } : { by: user.name });
  if (isForm) {
    if (answer.status === 200) return seeOther(back);
    const url = new URL(back, "http://x");
    url.searchParams.set("error", String(answer.body.error ?? `side server: ${answer.status}`));
    return seeOther(`${url.pathname}${url.search}`);
  }
  // The side server's 401 would mean our token is wrong: that is our fault, not the user's.
  const status = answer.status === 401 ? 502 : answer.status;
  return Response.json(answer.body, { status });
}
