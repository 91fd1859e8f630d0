/**
 * Saving, deleting or testing a notification channel from /alerts/channels, for a signed-in
 * admin: the same checks as the rules (origin, session, role), then the side server validates
 * the channel and names any bad field; the page shows its answer. URL and secret fields left
 * empty keep what is stored: the page never has them to send back.
 */
import type { NextRequest } from "next/server";
import { can, refusal } from "@/lib/auth/roles";
import { NEW_CHANNEL, currentUser, refuseCrossSite, seeOther, sideServerRequest } from "@/lib/web-auth";

/** The form as the channel JSON the side server validates. */
function channelOf(form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const secret = text("secret").trim();
  return {
    name: text("name"),
    type: text("type"),
    ...(text("url").trim() ? { url: text("url") } : {}),
    // A checked "remove" wins; an empty field keeps the stored secret.
    ...(form.get("clearSecret") === "on" ? { secret: null } : secret ? { secret } : {}),
    ...(text("format") ? { format: text("format") } : {}),
    lang: text("channelLang") || "zh",
    severities: form.getAll("severities"),
    domains: form.getAll("domains"),
    onOpen: form.get("onOpen") === "on",
    onAcknowledge: form.get("onAcknowledge") === "on",
    onResolve: form.get("onResolve") === "on",
    enabled: form.get("enabled") === "on",
  };
}

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const form = await request.formData();
  const { id } = await params;
  const back = form.get("lang") === "en" ? "/alerts/channels?lang=en" : "/alerts/channels";
  const user = await currentUser();
  if (!user) return seeOther(`/login?${new URLSearchParams({ next: back })}`);
  if (!can(user.role, "manageChannels")) return Response.json({ error: refusal("manageChannels") }, { status: 403 });

  const url = new URL(back, "http://x");
  const path = `/alerts/channels/${encodeURIComponent(id)}`;
  const action = form.get("action");
  if (action === "test") {
    // The side server waits at most 5 s for the receiver: give it that and a little more.
    const answer = await sideServerRequest("POST", `${path}/test`, undefined, 8_000);
    const result = answer.body.result as { ok?: boolean; statusCode?: number | null; why?: string | null; ms?: number } | undefined;
    url.searchParams.set("tested", id);
    if (answer.status !== 200 || !result) url.searchParams.set("why", String(answer.body.error ?? `side server: ${answer.status}`));
    else {
      if (result.ok) url.searchParams.set("ok", "1");
      if (result.statusCode != null) url.searchParams.set("code", String(result.statusCode));
      if (result.why) url.searchParams.set("why", result.why);
      if (typeof result.ms === "number") url.searchParams.set("ms", String(result.ms));
    }
    return seeOther(`${url.pathname}${url.search}`);
  }
  const answer =
    action === "delete" ? await sideServerRequest("DELETE", path) : id === NEW_CHANNEL ? await sideServerRequest("POST", "/alerts/channels", channelOf(form)) : await sideServerRequest("PUT", path, channelOf(form));
  const saved = (answer.body.channel as { id?: string } | undefined)?.id ?? id;
  if (answer.status === 200 || answer.status === 201) url.searchParams.set(action === "delete" ? "deleted" : "saved", saved);
  else url.searchParams.set("error", `${id === NEW_CHANNEL ? String(form.get("name") ?? "") : id}: ${String(answer.body.error ?? `side server: ${answer.status}`)}`);
  return seeOther(`${url.pathname}${url.search}`);
}
