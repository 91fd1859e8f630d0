/**
 * Label values for the Prometheus metrics of both servers (server/metrics.ts, lib/web-metrics.ts).
 * A label takes its values from a short fixed list: each value is a time series Prometheus keeps,
 * so an entity id, a token's name or an address as a label would grow without bound.
 */

/** The kinds of sample source; a pipeline source string is `sim`, `mqtt`, `http:<token name>` or `ngsi-ld:<token name>`. */
export const SOURCE_KINDS = ["sim", "mqtt", "http", "ngsi-ld", "other"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The source's kind, never its name: `http:meter-vendor-7` counts as `http`. */
export function sourceKind(source: string): SourceKind {
  const kind = source.split(":", 1)[0];
  return SOURCE_KINDS.find((known) => known === kind) ?? "other";
}

/** The web routes whose durations are measured. */
export const TIMED_ROUTES = ["history", "history_csv", "replay", "replay_alerts"] as const;
export type TimedRoute = (typeof TIMED_ROUTES)[number];

/** What became of a sign-in: success, or why not (the form's own error names, and error for a database away). */
export const LOGIN_OUTCOMES = ["success", "invalid", "throttled", "busy", "error"] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

/** How a CSV export's stream ended: every row sent, the client went away, it read nothing for too long, or a read failed. */
export const EXPORT_OUTCOMES = ["complete", "cancelled", "idle", "failed"] as const;
export type ExportOutcome = (typeof EXPORT_OUTCOMES)[number];

/** An HTTP status as a label: the class (2xx … 5xx), so a client inventing codes adds no series. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "other";
}

/**
 * The metric names a PromQL expression reads (`onescreen_…`, `nodejs_…`, `process_…`), with a
 * histogram's `_bucket`, `_sum` and `_count` series named by their family. Used to check that
 * the Grafana dashboard asks only for what the servers expose.
 */
export function metricNamesIn(expr: string): string[] {
  const names = expr.match(/\b(?:onescreen|nodejs|process)_[a-zA-Z0-9_]*/g) ?? [];
  return [...new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, "")))];
}
