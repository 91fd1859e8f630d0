/**
 * Alerts over HTTP: reading is open (a wall needs no login); changing rules needs the
 * admin token until operator logins exist.
 */
import { issuesMessage } from "@/lib/issues";
import { ZAlertRule } from "@/lib/alerts/rules";
import type { Alerts } from "./alerts";
import { HttpError, authorizeAdmin, readJson, sendJson, type Route } from "./http-json";

const MAX_BODY_BYTES = 4 * 1024;
const MAX_LIMIT = 1_000;

export function createAlertRoutes(deps: { alerts: Alerts; adminToken: string }): Route {
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
      sendJson(res, 200, { rules: alerts.rules() });
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
