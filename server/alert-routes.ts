/**
 * Alerts over HTTP: reading is open (a wall needs no login); changing rules, acknowledging
 * and resolving need the admin token. People do not call these: the web app signs them in,
 * checks their role and calls on their behalf with `by` set to their name (app/api/alerts).
 */
import { z } from "zod";
import { USER_NAME } from "@/lib/auth/roles";
import { issuesMessage } from "@/lib/issues";
import { ZAlertRule } from "@/lib/alerts/rules";
import { ZIncidentChange, type AlertsApi } from "./alert-relay";
import { HttpError, authorizeAdmin, readJson, sendJson, type Route } from "./http-json";

const MAX_BODY_BYTES = 4 * 1024;
const MAX_LIMIT = 1_000;
/** A split may name 500 alert ids. */
const MAX_INCIDENT_BODY_BYTES = 128 * 1024;

const ZAck = z.strictObject({
  by: z.string().regex(USER_NAME, "must be a user name"),
  comment: z.string().trim().max(500, "must be at most 500 characters").nullish(),
});
const ZResolve = z.strictObject({ by: ZAck.shape.by });

/** Most alerts one bulk change takes: a desk page's worth and more, in one bounded transaction. */
export const MAX_BULK_IDS = 500;
const MAX_BULK_BODY_BYTES = 64 * 1024;
const ZBulk = z.strictObject({
  action: z.enum(["acknowledge", "resolve"]),
  ids: z
    .array(z.string().min(1, "must not be empty").max(200, "must be at most 200 characters"))
    .min(1, "must name at least one alert")
    .max(MAX_BULK_IDS, `must name at most ${MAX_BULK_IDS} alerts`)
    .refine((ids) => new Set(ids).size === ids.length, "must not name an alert twice"),
  by: ZAck.shape.by,
  comment: ZAck.shape.comment,
});

const listOf = (ids: readonly string[]) => (ids.length > 5 ? `${ids.slice(0, 5).join(", ")} and ${ids.length - 5} more` : ids.join(", "));

export function createAlertRoutes(deps: { alerts: AlertsApi; adminToken: string }): Route {
  const { alerts } = deps;
  return async (req, res, url) => {
    const method = req.method ?? "GET";
    if (url.pathname === "/alerts") {
      if (method !== "GET") throw new HttpError(405, "method: use GET");
      const state = url.searchParams.get("state") ?? "unresolved";
      if (state !== "unresolved" && state !== "all") throw new HttpError(400, "state: must be unresolved or all");
      const limit = Number(url.searchParams.get("limit") ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new HttpError(400, `limit: must be a whole number from 1 to ${MAX_LIMIT}`);
      sendJson(res, 200, { alerts: state === "all" ? await alerts.recent(limit) : alerts.current().slice(0, limit) });
      return true;
    }
    if (url.pathname === "/alerts/rules") {
      if (method !== "GET") throw new HttpError(405, "method: use GET");
      sendJson(res, 200, { rules: await alerts.rules() });
      return true;
    }
    if (url.pathname === "/alerts/bulk") {
      if (method !== "POST") throw new HttpError(405, "method: use POST");
      authorizeAdmin(req, deps.adminToken);
      const parsed = ZBulk.safeParse(await readJson(req, MAX_BULK_BODY_BYTES));
      if (!parsed.success) throw new HttpError(400, issuesMessage(parsed.error, "body"));
      const { ids, action, by, comment } = parsed.data;
      const result = await alerts.bulk(ids, action, by, comment || null);
      if (!result.ok) {
        if (result.missing.length > 0) throw new HttpError(404, `ids: no alert ${listOf(result.missing)}; nothing was changed`);
        throw new HttpError(409, `ids: resolved already: ${listOf(result.resolved)}; nothing was changed`);
      }
      sendJson(res, 200, { alerts: result.alerts });
      return true;
    }
    const change = /^\/alerts\/([^/]+)\/(ack|resolve)$/.exec(url.pathname);
    if (change?.[1] && change[1] !== "rules") {
      if (method !== "POST") throw new HttpError(405, "method: use POST");
      authorizeAdmin(req, deps.adminToken);
      const alertId = decodeURIComponent(change[1]);
      const body = await readJson(req, MAX_BODY_BYTES);
      let result;
      if (change[2] === "ack") {
        const parsed = ZAck.safeParse(body);
        if (!parsed.success) throw new HttpError(400, issuesMessage(parsed.error, "body"));
        result = await alerts.acknowledge(alertId, parsed.data.by, parsed.data.comment || null);
      } else {
        const parsed = ZResolve.safeParse(body);
        if (!parsed.success) throw new HttpError(400, issuesMessage(parsed.error, "body"));
        result = await alerts.resolve(alertId, parsed.data.by);
      }
      if (!result.ok) throw result.reason === "missing" ? new HttpError(404, `id: no alert ${alertId}`) : new HttpError(409, `id: alert ${alertId} is resolved already`);
      sendJson(res, 200, { alert: result.alert });
      return true;
    }
    if (url.pathname === "/incidents") {
      if (method !== "GET") throw new HttpError(405, "method: use GET");
      const limit = Number(url.searchParams.get("limit") ?? 500);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new HttpError(400, `limit: must be a whole number from 1 to ${MAX_LIMIT}`);
      sendJson(res, 200, { incidents: await alerts.incidents(limit) });
      return true;
    }
    const incident = /^\/incidents\/(?:merge|([^/]+)\/(split|close))$/.exec(url.pathname);
    if (incident) {
      if (method !== "POST") throw new HttpError(405, "method: use POST");
      authorizeAdmin(req, deps.adminToken);
      const body = await readJson(req, MAX_INCIDENT_BODY_BYTES);
      const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      const { by, ...rest } = fields;
      const parsedBy = ZAck.shape.by.safeParse(by);
      if (!parsedBy.success) throw new HttpError(400, issuesMessage(parsedBy.error, "by"));
      const kind = incident[2] ?? "merge";
      const parsed = ZIncidentChange.safeParse({ kind, ...rest, ...(incident[1] ? { incidentId: decodeURIComponent(incident[1]) } : {}), ...(kind === "close" ? { comment: rest.comment ?? null } : {}) });
      if (!parsed.success) throw new HttpError(400, issuesMessage(parsed.error, "body"));
      const result = await alerts.changeIncident(parsed.data, parsedBy.data);
      if (!result.ok) throw new HttpError(result.status, result.error);
      sendJson(res, 200, { incidentId: result.incidentId });
      return true;
    }
    const one = /^\/alerts\/rules\/([^/]+)$/.exec(url.pathname);
    if (!one?.[1]) return false;
    const id = decodeURIComponent(one[1]);
    if (method === "PUT") {
      authorizeAdmin(req, deps.adminToken);
      const body = await readJson(req, MAX_BODY_BYTES);
      const parsed = ZAlertRule.safeParse({ ...(typeof body === "object" && body !== null ? body : {}), id });
      if (!parsed.success) throw new HttpError(400, issuesMessage(parsed.error, "body"));
      await alerts.putRule(parsed.data);
      sendJson(res, 200, { rule: parsed.data });
      return true;
    }
    if (method === "DELETE") {
      authorizeAdmin(req, deps.adminToken);
      if (!(await alerts.deleteRule(id))) throw new HttpError(404, `id: no rule ${id}`);
      sendJson(res, 200, { deleted: id });
      return true;
    }
    throw new HttpError(405, "method: use PUT or DELETE");
  };
}
