/**
 * Saving or deleting an alert rule from /alerts/rules, on a signed-in operator's behalf:
 * the same checks as acknowledging (origin, session, role), then the side server validates
 * the rule and names any bad field; the page shows its answer.
 */
import type { NextRequest } from "next/server";
import { can, refusal } from "@/lib/auth/roles";
import { NEW_RULE, currentUser, refuseCrossSite, seeOther, sideServerRequest } from "@/lib/web-auth";

/** The form's fields as the rule JSON the side server validates; numbers stay strings when not numbers, so its message names them. */
function ruleOf(form: Record<string, string>) {
  const number = (value: string | undefined) => (value !== undefined && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value);
  return {
    name: { zh: form.nameZh ?? "", en: form.nameEn ?? "" },
    metricId: form.metricId,
    scope: form.scope,
    ...(form.kind ? { kind: form.kind } : {}),
    direction: form.direction,
    threshold: number(form.threshold),
    clearAt: number(form.clearAt),
    forSeconds: number(form.forSeconds),
    severity: form.severity,
    enabled: form.enabled === "on",
    // Empty: not a counting rule.
    ...(form.atLeast?.trim() ? { atLeast: number(form.atLeast) } : {}),
    ...(form.atLeastPercent?.trim() ? { atLeastPercent: number(form.atLeastPercent) } : {}),
  };
}

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const form = Object.fromEntries([...(await request.formData()).entries()].filter((e): e is [string, string] => typeof e[1] === "string"));
  // The new-rule form posts to NEW_RULE (no rule can have that id) and names the id in a field.
  const { id: segment } = await params;
  const id = segment === NEW_RULE ? (form.id ?? "") : segment;
  const back = form.lang === "en" ? "/alerts/rules?lang=en" : "/alerts/rules";
  const user = await currentUser();
  if (!user) return seeOther(`/login?${new URLSearchParams({ next: back })}`);
  if (!can(user.role, "editRules")) return Response.json({ error: refusal("editRules") }, { status: 403 });

  const path = `/alerts/rules/${encodeURIComponent(id)}`;
  const answer = form.action === "delete" ? await sideServerRequest("DELETE", path) : await sideServerRequest("PUT", path, ruleOf(form));
  const url = new URL(back, "http://x");
  if (answer.status === 200) url.searchParams.set("saved", id);
  else url.searchParams.set("error", `${id}: ${String(answer.body.error ?? `side server: ${answer.status}`)}`);
  return seeOther(`${url.pathname}${url.search}`);
}
