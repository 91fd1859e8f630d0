/**
 * The probes an orchestrator or load balancer polls, beside /healthz (the detailed view):
 * /livez says the process is alive and its event loop turns. It does no I/O at all, so a
 * database or Redis outage the server rides out can never fail it (a failing liveness probe
 * restarts the process, which would not bring a database back). /readyz says whether it can
 * serve now (server/health.ts `readiness`): 200 or 503 with the reasons.
 */
import type { Route } from "./http-json";
import { sendJson } from "./http-json";
import type { Readiness } from "./health";

export const PROBE_PATHS = new Set(["/livez", "/readyz"]);

export interface ProbeDeps {
  startedAt: number;
  now(): number;
  /** The event loop's delay (ms) since the last reset: the loop turned, and how late. */
  loopDelayMs(): { p99: number; max: number };
  ready(): Promise<Readiness>;
}

export function createProbeRoutes(deps: ProbeDeps): Route {
  return async (_req, res, url) => {
    if (url.pathname === "/livez") {
      sendJson(res, 200, { status: "alive", uptimeSeconds: Math.round((deps.now() - deps.startedAt) / 1000), eventLoopDelayMs: deps.loopDelayMs() });
      return true;
    }
    if (url.pathname === "/readyz") {
      const readiness = await deps.ready();
      sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? "ready" : "not ready", ...readiness });
      return true;
    }
    return false;
  };
}
