/**
 * GET /metrics of a real side server (its simulator running, a real socket, a real database
 * file), the web server's registry, and the Grafana dashboard that reads them: every series
 * the dashboard queries exists, and no label can take an unbounded set of values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricNamesIn } from "@/lib/metrics-labels";
import { Event } from "@/lib/realtime/protocol";
import { webRegistry } from "@/lib/web-metrics";
import type { SideServer } from "../app";
import { bootSideServer, connect, hello, tempDir, waitForAsync, type TestClient } from "./helpers";

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus's text format, the lines that are samples. */
function parseExposition(text: string): Series[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const total = (series: Series[], name: string, labels: Record<string, string> = {}) =>
  series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

async function scrape(port: number, token?: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

/** The only label names the product's metrics may carry: each takes its values from a short fixed list. */
const BOUNDED_LABELS = new Set(["source", "domain", "level", "status", "severity", "channel", "outcome", "route", "le"]);

describe("GET /metrics on the side server", () => {
  const tmp = tempDir();
  let server: SideServer;
  let socket: TestClient;

  beforeAll(async () => {
    server = await bootSideServer(tmp.dir);
    socket = await connect(server.port);
    expect((await hello(socket)).ok).toBe(true);
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
    tmp.cleanup();
  });

  it("counts the simulator's samples as persisted, the socket, its rooms, the frames and bytes sent to it", async () => {
    const series = await waitForAsync("the simulator's samples and a frame counted", async () => {
      const { status, type, text } = await scrape(server.port);
      expect(status).toBe(200);
      expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
      const parsed = parseExposition(text);
      return total(parsed, "onescreen_samples_persisted_total", { source: "sim" }) > 0 && total(parsed, "onescreen_realtime_frames_sent_total") > 0 ? parsed : undefined;
    });
    expect(total(series, "onescreen_samples_accepted_total", { source: "sim" })).toBeGreaterThanOrEqual(total(series, "onescreen_samples_persisted_total", { source: "sim" }));
    expect(total(series, "onescreen_realtime_sockets")).toBe(1);
    // The hello joined every domain's summary room.
    expect(total(series, "onescreen_realtime_rooms")).toBeGreaterThanOrEqual(4);
    expect(total(series, "onescreen_realtime_sent_bytes_total")).toBeGreaterThan(1_000);
    expect(total(series, "onescreen_persist_batch_duration_seconds_count")).toBeGreaterThan(0);
    expect(total(series, "onescreen_persist_queue_max_samples")).toBe(200_000);
    // Node's own, for memory, GC and event-loop delay.
    for (const name of ["process_resident_memory_bytes", "nodejs_heap_size_used_bytes", "nodejs_eventloop_lag_p99_seconds"]) expect(total(series, name)).toBeGreaterThan(0);
    expect(series.some((s) => s.name === "nodejs_gc_duration_seconds_count")).toBe(true);
  });

  it("counts a rejected batch under its source's kind, never the source's name", async () => {
    const before = total(parseExposition((await scrape(server.port)).text), "onescreen_samples_rejected_total", { source: "http" });
    const result = server.pipeline.submit([{ metricId: "no-such-metric", entityId: "x", ts: Date.now(), value: 1 }, { bad: true }], "http:vendor-acme-7");
    expect(result.accepted).toBe(0);
    const { text } = await scrape(server.port);
    expect(total(parseExposition(text), "onescreen_samples_rejected_total", { source: "http" })).toBe(before + 2);
    expect(text).not.toContain("vendor-acme-7");
  });

  it("counts walls by the watchdog's status", async () => {
    const beat = (fps: number) => ({ resume: null, path: "/", fps, heapMB: 180.5, lastFrameAgeMs: 700, stalePanels: 0, viewport: { width: 3840, height: 2160, dpr: 1 } });
    const other = await connect(server.port);
    try {
      expect(await socket.timeout(5_000).emitWithAck(Event.heartbeat, beat(59.8))).toMatchObject({ ok: true });
      expect(await other.timeout(5_000).emitWithAck(Event.heartbeat, beat(0))).toMatchObject({ ok: true });
      const walls = (series: Series[]) => Object.fromEntries(series.filter((s) => s.name === "onescreen_walls" && s.value > 0).map((s) => [s.labels.status, s.value]));
      expect(walls(parseExposition((await scrape(server.port)).text))).toEqual({ ok: 1, "not-rendering": 1 });
      other.close();
      const counted = await waitForAsync("the closed wall counted as disconnected", async () => {
        const now = walls(parseExposition((await scrape(server.port)).text));
        return now.disconnected === 1 ? now : undefined;
      });
      expect(counted).toEqual({ ok: 1, disconnected: 1 });
    } finally {
      other.close();
    }
  });

  it("labels only from bounded sets: no entity id, user, token name or address", async () => {
    const series = parseExposition((await scrape(server.port)).text).concat(parseExposition(await webRegistry.metrics()));
    const product = series.filter((s) => s.name.startsWith("onescreen_"));
    expect(product.length).toBeGreaterThan(20);
    for (const s of product) for (const label of Object.keys(s.labels)) expect(BOUNDED_LABELS, `${s.name} has label ${label}`).toContain(label);
    // Walls by status: all six, whatever is connected.
    expect(series.filter((s) => s.name === "onescreen_walls").map((s) => s.labels.status).sort()).toEqual(["disconnected", "frozen", "heap-high", "not-rendering", "ok", "stale-data"]);
    // Open alerts are reported by the leader (this lone server): every severity, zeros included.
    expect(series.filter((s) => s.name === "onescreen_alerts_open").map((s) => s.labels.severity).sort()).toEqual(["critical", "info", "warning"]);
  });

  it("every metric the Grafana dashboard queries is one the servers expose", async () => {
    const dashboard = JSON.parse(readFileSync(join(process.cwd(), "deploy/grafana-dashboard.json"), "utf8")) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const exposed = new Set(
      [...(await scrape(server.port)).text.split("\n"), ...(await webRegistry.metrics()).split("\n")].flatMap((line) => /^# TYPE (\S+) /.exec(line)?.[1] ?? []),
    );
    const queried = dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => metricNamesIn(target.expr).map((name) => `${panel.title}: ${name}`)));
    expect(queried.length).toBeGreaterThan(20);
    const missing = queried.filter((entry) => !exposed.has(entry.slice(entry.lastIndexOf(": ") + 2)));
    expect(missing).toEqual([]);
  });

  it("answers only GET", async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { error: string }).error).toMatch(/^method/);
  });
});

describe("GET /metrics with METRICS_TOKEN, under PUBLIC_READ=false", () => {
  const tmp = tempDir();
  const token = "metrics-token-0123456789abcdef";
  let server: SideServer;

  beforeAll(async () => {
    server = await bootSideServer(tmp.dir, { METRICS_TOKEN: token, PUBLIC_READ: "false", SIM_ENABLED: "false" });
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it("refuses a scrape without the token, or with another (the admin token is not it), naming the header", async () => {
    for (const given of [undefined, "wrong-token-0123456789abcdef", server.adminToken]) {
      const { status, text } = await scrape(server.port, given);
      expect(status).toBe(401);
      expect((JSON.parse(text) as { error: string }).error).toMatch(/Authorization: Bearer <METRICS_TOKEN>/);
    }
  });

  it("serves the token's bearer, while reading the rest still needs a session", async () => {
    const { status, text } = await scrape(server.port, token);
    expect(status).toBe(200);
    expect(text).toContain("onescreen_persist_queue_samples 0");
    expect((await fetch(`http://127.0.0.1:${server.port}/snapshot`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
