/**
 * The side server's Prometheus metrics (GET /metrics), all defined here: one registry per
 * process, Node's own (memory, GC, event-loop delay, handles) plus the product's, prefixed
 * `onescreen_`. Counters are incremented at the seams (pipeline, writer, broadcast, notifier);
 * what is a state rather than an event (queue depth, sockets, walls, open alerts) is read from
 * the running server at scrape time through `watchSideServer`. Labels come from fixed lists
 * (lib/metrics-labels.ts): no entity id, token name or address ever becomes a series.
 * docs/metrics.md lists every metric.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { DOMAINS } from "@/lib/catalog";
import type { TAlert } from "@/lib/realtime/protocol";
import type { WallStatus } from "@/lib/realtime/walls";
import { metricsRefusal } from "@/lib/metrics-access";
import { SOURCE_KINDS, sourceKind } from "@/lib/metrics-labels";
import { HttpError, SIDE_SERVER_SECURITY_HEADERS, type Route } from "./http-json";

const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** What the running side server is, read at each scrape. */
export interface SideServerView {
  queuedSamples(): number;
  maxQueuedSamples: number;
  sockets(): number;
  /** Rooms some socket is in, but each socket's own. */
  rooms(): number;
  wallStatuses(): readonly WallStatus[];
  /** Open alerts, on the leader only (null elsewhere): in a cluster each alert is counted once. */
  openAlertSeverities(): readonly TAlert["severity"][] | null;
}

// Several side servers share a process only in tests; each adds its own and removes it when it closes.
const views = new Set<SideServerView>();
const sum = (read: (view: SideServerView) => number) => [...views].reduce((total, view) => total + read(view), 0);

export function watchSideServer(view: SideServerView): () => void {
  views.add(view);
  return () => views.delete(view);
}

const samples = (outcome: string, help: string) =>
  new Counter({ name: `onescreen_samples_${outcome}_total`, help, labelNames: ["source"] as const, registers: [registry] });

export const samplesAccepted = samples("accepted", "Samples that passed validation and were queued to be written, by source kind.");
export const samplesRejected = samples("rejected", "Samples in batches refused by validation (a batch is taken whole or not at all), by source kind.");
export const samplesRefused = samples("refused", "Valid samples refused because the persist queue was full (PERSIST_QUEUE_MAX_SAMPLES), by source kind.");
export const samplesPersisted = samples("persisted", "Samples written to the database, by source kind.");
export const samplesDuplicate = samples("duplicate", "Samples not written because their metric, entity and instant were stored already, by source kind.");

/** Every source kind starts at 0, so rate() sees the first sample of a kind and the dashboard shows all kinds. */
for (const counter of [samplesAccepted, samplesRejected, samplesRefused, samplesPersisted, samplesDuplicate]) {
  for (const source of SOURCE_KINDS) counter.inc({ source }, 0);
}

/** Counts a source's samples under its kind (`http:vendor` → `http`). */
export const bySource = (counter: Counter<"source">, source: string, count: number): void => {
  if (count > 0) counter.inc({ source: sourceKind(source) }, count);
};

export const persistFailures = new Counter({ name: "onescreen_persist_failures_total", help: "Batches whose write failed for good (transient failures are retried and not counted).", registers: [registry] });

export const persistBatchSeconds = new Histogram({
  name: "onescreen_persist_batch_duration_seconds",
  help: "Time to write one batch, retries included, from the writer taking it to its commit.",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

new Gauge({
  name: "onescreen_persist_queue_samples",
  help: "Samples accepted and not yet written: what PERSIST_QUEUE_MAX_SAMPLES bounds.",
  registers: [registry],
  collect() {
    this.set(sum((view) => view.queuedSamples()));
  },
});

new Gauge({
  name: "onescreen_persist_queue_max_samples",
  help: "PERSIST_QUEUE_MAX_SAMPLES: past it, new samples are refused.",
  registers: [registry],
  collect() {
    this.set(sum((view) => view.maxQueuedSamples));
  },
});

new Gauge({
  name: "onescreen_realtime_sockets",
  help: "Socket.IO connections open (walls, desks, kiosks).",
  registers: [registry],
  collect() {
    this.set(sum((view) => view.sockets()));
  },
});

new Gauge({
  name: "onescreen_realtime_rooms",
  help: "Socket.IO rooms with at least one socket (domain, level and scope subscriptions), each socket's own room not counted.",
  registers: [registry],
  collect() {
    this.set(sum((view) => view.rooms()));
  },
});

export const framesSent = new Counter({
  name: "onescreen_realtime_frames_sent_total",
  help: "Frames broadcast to a room, by domain and level (one per room it went to, whatever the number of sockets in it).",
  labelNames: ["domain", "level"] as const,
  registers: [registry],
});
for (const domain of DOMAINS) for (const level of ["summary", "entities"]) framesSent.inc({ domain, level }, 0);

export const bytesSent = new Counter({
  name: "onescreen_realtime_sent_bytes_total",
  help: "Bytes of Socket.IO packets written to clients (frames, snapshots, alerts, drills), before transport framing and compression.",
  registers: [registry],
});

const WALL_STATUSES = ["ok", "disconnected", "frozen", "not-rendering", "stale-data", "heap-high"] as const satisfies readonly WallStatus[];
new Gauge({
  name: "onescreen_walls",
  help: "Walls reporting heartbeats, by the watchdog's status (ok, disconnected, frozen, not-rendering, stale-data, heap-high).",
  labelNames: ["status"] as const,
  registers: [registry],
  collect() {
    const statuses = [...views].flatMap((view) => view.wallStatuses());
    for (const status of WALL_STATUSES) this.set({ status }, statuses.filter((s) => s === status).length);
  },
});

const SEVERITIES = ["info", "warning", "critical"] as const satisfies readonly TAlert["severity"][];
new Gauge({
  name: "onescreen_alerts_open",
  help: "Alerts open (unresolved), by severity; reported by the leader only.",
  labelNames: ["severity"] as const,
  registers: [registry],
  collect() {
    this.reset();
    const open = [...views].map((view) => view.openAlertSeverities()).filter((list) => list !== null);
    if (open.length === 0) return;
    for (const severity of SEVERITIES) this.set({ severity }, open.reduce((total, list) => total + list.filter((s) => s === severity).length, 0));
  },
});

export const notificationDeliveries = new Counter({
  name: "onescreen_notification_deliveries_total",
  help: "Notification attempts by channel type and outcome: sent, retry (failed, tried again later) or failed (given up).",
  labelNames: ["channel", "outcome"] as const,
  registers: [registry],
});

/** GET /metrics: the registry in Prometheus's text format, to whoever metricsRefusal lets through. */
export function metricsRoute(token: string | undefined): Route {
  return async (req, res, url) => {
    if (url.pathname !== "/metrics") return false;
    if (req.method !== "GET") throw new HttpError(405, "method: use GET");
    const refusal = metricsRefusal(req.headers.authorization, token);
    if (refusal) throw new HttpError(401, refusal, {}, { "www-authenticate": "Bearer" });
    const text = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store", ...SIDE_SERVER_SECURITY_HEADERS });
    res.end(text);
    return true;
  };
}
