/**
 * Acknowledge / resolve on a signed-in user's behalf, one alert or a selection. In order: the
 * request comes from this site (CSRF: 403 origin), its body is valid (400 naming the field),
 * someone is signed in (401), their role allows it (403 role), then the side server is asked
 * with the admin token and `by` = their name. A form from /alerts gets a 303 back to the page
 * (with `?error=` when refused); a JSON request gets JSON.
 */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { localPath } from "@/lib/auth/local-path";
import { can, refusal, type Action } from "@/lib/auth/roles";
import { issuesMessage } from "@/lib/issues";
import { currentUser, refuseCrossSite, seeOther, sideServerRequest } from "@/lib/web-auth";

type AlertAction = Extract<Action, "acknowledge" | "resolve">;

const ZComment = z.string().trim().max(500, "must be at most 500 characters").optional();
const ZBody = z.object({ comment: ZComment, next: z.string().optional() });
const ZBulkBody = z.object({
  action: z.enum(["acknowledge", "resolve"]),
  // A form names each selected alert in a field `id` of its own.
  ids: z.array(z.string()).min(1, "select at least one alert"),
  comment: ZComment,
  next: z.string().optional(),
});

type Parsed<T> = { ok: true; isForm: boolean; body: T } | { ok: false; response: Response };

async function readBody<T>(request: NextRequest, schema: z.ZodType<T>, fromForm: (form: FormData) => unknown): Promise<Parsed<T>> {
  const refused = refuseCrossSite(request);
  if (refused) return { ok: false, response: refused };
  const isForm = !(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json");
  let raw: unknown;
  try {
    raw = isForm ? fromForm(await request.formData()) : await request.json();
  } catch {
    return { ok: false, response: Response.json({ error: "body: must be a form or JSON" }, { status: 400 }) };
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const error = issuesMessage(parsed.error, "body");
    // A form is a person at the desk (without script): back to the page, told why (nothing ticked, say).
    if (isForm) return { ok: false, response: backWithError((raw as { next?: unknown } | null)?.next, error) };
    return { ok: false, response: Response.json({ error }, { status: 400 }) };
  }
  return { ok: true, isForm, body: parsed.data };
}

function backWithError(next: unknown, error: string): Response {
  const url = new URL(localPath(next, "/alerts"), "http://x");
  url.searchParams.set("error", error);
  return seeOther(`${url.pathname}${url.search}`);
}

const textFields = (form: FormData) => Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));

/** Signs the user in and checks the role, then asks the side server; answers as the request came (form or JSON). */
async function onBehalf(isForm: boolean, next: string | undefined, action: AlertAction, call: (by: string) => Promise<{ status: number; body: Record<string, unknown> }>): Promise<Response> {
  const back = localPath(next, "/alerts");
  const user = await currentUser();
  if (!user) return isForm ? seeOther(`/login?${new URLSearchParams({ next: back })}`) : Response.json({ error: "session: sign in first" }, { status: 401 });
  if (!can(user.role, action)) return Response.json({ error: refusal(action) }, { status: 403 });
  const answer = await call(user.name);
  if (isForm) return answer.status === 200 ? seeOther(back) : backWithError(back, String(answer.body.error ?? `side server: ${answer.status}`));
  // The side server's 401 would mean our token is wrong: that is our fault, not the user's.
  const status = answer.status === 401 ? 502 : answer.status;
  return Response.json(answer.body, { status });
}

export async function alertAction(request: NextRequest, id: string, action: AlertAction): Promise<Response> {
  const read = await readBody(request, ZBody, textFields);
  if (!read.ok) return read.response;
  const { comment, next } = read.body;
  const path = `/alerts/${encodeURIComponent(id)}/${action === "acknowledge" ? "ack" : "resolve"}`;
  return onBehalf(read.isForm, next, action, (by) => sideServerRequest("POST", path, action === "acknowledge" ? { by, comment: comment || null } : { by }));
}

/** A selection acknowledged or resolved at once, with one comment: one side-server request, one transaction there. */
export async function bulkAlertAction(request: NextRequest): Promise<Response> {
  const read = await readBody(request, ZBulkBody, (form) => ({ ...textFields(form), ids: form.getAll("id").filter((v) => typeof v === "string") }));
  if (!read.ok) return read.response;
  const { action, ids, comment, next } = read.body;
  // A resolve keeps no comment: one typed into the bar is not silently dropped, it is refused by the side server.
  return onBehalf(read.isForm, next, action, (by) => sideServerRequest("POST", "/alerts/bulk", { action, ids, by, comment: comment || null }));
}
