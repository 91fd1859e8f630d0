/**
 * The web server's Prometheus metrics, all defined here: Node's own (memory, GC, event-loop
 * delay) and the product's, prefixed `onescreen_`. scripts/web-server.ts answers GET /metrics
 * from this registry; the route handlers count into it. Next bundles the handlers apart, each
 * with its own copy of this module, so the one set of metrics lives on globalThis (as
 * lib/db/dialect.ts keeps its registry): the first copy to load makes it, the others find it.
 * docs/metrics.md lists every metric.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { EXPORT_OUTCOMES, LOGIN_OUTCOMES, TIMED_ROUTES, statusClass, type ExportOutcome, type LoginOutcome, type TimedRoute } from "./metrics-labels";

function createWebMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const logins = new Counter({
    name: "onescreen_web_logins_total",
    help: "Sign-in attempts by outcome: success, invalid (wrong name or password), throttled (too many tries for the name or address), busy (too many passwords being checked), error (database away).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  for (const outcome of LOGIN_OUTCOMES) logins.inc({ outcome }, 0);
  const requestSeconds = new Histogram({
    name: "onescreen_web_request_duration_seconds",
    help: "Time to answer history, CSV export and replay requests (for a CSV export, to the response's head: onescreen_web_csv_export_duration_seconds times the whole), by route and status class.",
    labelNames: ["route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  for (const route of TIMED_ROUTES) requestSeconds.zero({ route, status: "2xx" });
  const exportSeconds = new Histogram({
    name: "onescreen_web_csv_export_duration_seconds",
    help: "Whole CSV exports (/api/history/csv), from the request to the stream's end, by how it ended: complete, cancelled (the client went away), idle (it read nothing for 30 s), failed.",
    labelNames: ["outcome"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  for (const outcome of EXPORT_OUTCOMES) exportSeconds.zero({ outcome });
  return { registry, logins, requestSeconds, exportSeconds };
}

const globalForMetrics = globalThis as unknown as { onescreenWebMetrics?: ReturnType<typeof createWebMetrics> };
const metrics = (globalForMetrics.onescreenWebMetrics ??= createWebMetrics());

export const webRegistry = metrics.registry;

export function countLogin(outcome: LoginOutcome): void {
  metrics.logins.inc({ outcome });
}

export function observeExport(outcome: ExportOutcome, seconds: number): void {
  metrics.exportSeconds.observe({ outcome }, seconds);
}

/** A route handler whose every answer's duration is observed under `route`; one that throws counts as 5xx. */
export function timedRoute<Args extends unknown[]>(route: TimedRoute, handler: (...args: Args) => Promise<Response>): (...args: Args) => Promise<Response> {
  return async (...args) => {
    const end = metrics.requestSeconds.startTimer({ route });
    try {
      const response = await handler(...args);
      end({ status: statusClass(response.status) });
      return response;
    } catch (error) {
      end({ status: "5xx" });
      throw error;
    }
  };
}
