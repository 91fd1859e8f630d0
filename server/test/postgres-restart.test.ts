/**
 * PostgreSQL going away under a running side server, through a TCP proxy the test stops
 * and starts (server/test/tcp-proxy.ts), and PostgreSQL killing its connections
 * (pg_terminate_backend, as a restart does). What must hold: a sample is acknowledged
 * only once committed, every acknowledged sample is stored when PostgreSQL is back, what
 * waits is bounded by PERSIST_QUEUE_MAX_SAMPLES, past the bound new samples are refused
 * at once and loudly, never taken and dropped, and a shutdown during an outage still ends.
 * The probes tell the truth meanwhile: /livez never fails, /readyz is 503 exactly while
 * samples are refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZServerEnv, parseEnv } from "@/lib/config";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import { withPgClient } from "@/lib/db/postgres-admin";
import { createTestDatabase, unavailable, type TestDatabase } from "@/lib/db/test-databases";
import { memoryLog } from "./log-lines";
import { startSideServer, type SideServer } from "../app";
import { PersistQueueFull } from "../pipeline";
import { api, sleep, waitFor } from "./helpers";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

const BOUND = 1_000;
const BATCH = 200;
const CITY = { metricId: "traffic.congestionIndex", entityId: "shenzhen" };

describe.skipIf(unavailable("postgresql"))("PostgreSQL restarting under the side server", () => {
  let database: TestDatabase;
  let directUrl: string;
  let proxy: TcpProxy;
  let server: SideServer;
  const { log, events: logs } = memoryLog("info");
  const dir = mkdtempSync(join(tmpdir(), "onescreen-pg-restart-"));
  /** Sample times are unique across the file: each batch takes the next BATCH milliseconds of an hour ago. */
  let nextTs = Date.now() - 3_600_000;
  const batch = () => Array.from({ length: BATCH }, () => ({ ...CITY, ts: nextTs++, value: 3 }));

  /** The stored times in [from, to), read straight from PostgreSQL (not through the proxy). */
  const storedTimes = (from: number, to: number) =>
    withPgClient(directUrl, async (client) => {
      const rows = await client.query<{ t: string }>(
        `SELECT (EXTRACT(EPOCH FROM "ts") * 1000)::bigint AS t FROM "MetricSample" WHERE "metricId" = $1 AND "entityId" = $2 AND "ts" >= to_timestamp($3::float8 / 1000) AT TIME ZONE 'UTC' AND "ts" < to_timestamp($4::float8 / 1000) AT TIME ZONE 'UTC' ORDER BY 1`,
        [CITY.metricId, CITY.entityId, from, to],
      );
      return rows.rows.map((r) => Number(r.t));
    });

  beforeAll(async () => {
    database = await createTestDatabase("postgresql", "restart");
    if (database.target.provider !== "postgresql") throw new Error("unreachable");
    directUrl = database.target.url;
    const direct = new URL(directUrl);
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
    const proxied = new URL(directUrl);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const env = parseEnv(ZServerEnv, {
      REALTIME_PORT: "0",
      REALTIME_HOST: "127.0.0.1",
      DATABASE_URL: proxied.toString(),
      SIM_ENABLED: "false",
      ADMIN_TOKEN: "postgres-restart-test-admin-token",
      PERSIST_QUEUE_MAX_SAMPLES: String(BOUND),
      INGEST_MAX_SAMPLES: String(BATCH),
    });
    server = await startSideServer(env, { cwd: dir, now: Date.now, log });
  }, 60_000);

  afterAll(async () => {
    await proxy?.start().catch(() => undefined);
    await server?.close();
    await proxy?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("R1 an outage: batches wait unacknowledged up to the bound, the next is refused at once and loudly, and every acknowledged sample is stored once PostgreSQL is back", async () => {
    const from = nextTs;
    const before = server.pipeline.submit(batch(), "test");
    await before.persisted;
    const token = await createIngestToken(server.db, "restart-feed");

    await proxy.stop();
    // Liveness throughout the outage: polled every 100 ms from here until PostgreSQL is back and the queue drained.
    const livez: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        livez.push((await api(server.port, "GET", "/livez")).status);
        await sleep(100);
      }
    })();
    // Away, but the queue has room: still ready (server/health.ts `readiness` says why), and /readyz says the database is unreachable.
    const early = await api(server.port, "GET", "/readyz");
    expect(early).toMatchObject({ status: 200, body: { status: "ready", checks: { database: "unreachable", writeQueue: { samples: 0, max: BOUND, refusing: false } } } });
    // HTTP ingest checks its token in the database: "not now, send again", not a 500.
    const http = await api(server.port, "POST", "/ingest", { token, body: { samples: [{ ...CITY, ts: Date.now() - 7_200_000, value: 4 }] } });
    expect(http).toMatchObject({ status: 503, body: { error: expect.stringMatching(/^database: cannot check the ingest token now/) } });
    expect(http.headers.get("retry-after")).toBe("5");
    const waiting = Array.from({ length: BOUND / BATCH }, () => {
      const samples = batch();
      const result = server.pipeline.submit(samples, "test");
      const outcome = { samples, acknowledged: false, error: null as unknown };
      result.persisted.then(
        () => (outcome.acknowledged = true),
        (error: unknown) => (outcome.error = error),
      );
      return { result, outcome };
    });
    expect(waiting.map((w) => w.result.accepted)).toEqual(Array(BOUND / BATCH).fill(BATCH));
    const refusedSamples = batch();
    const refused = server.pipeline.submit(refusedSamples, "test");
    await expect(refused.persisted).rejects.toBeInstanceOf(PersistQueueFull);
    expect(logs).toContainEqual(expect.objectContaining({ component: "pipeline", msg: expect.stringMatching(/^REFUSING SAMPLES/), queued: BOUND, bound: BOUND }));

    // Two seconds of outage: retried with backoff, never acknowledged, said so.
    await sleep(2_000);
    expect(waiting.filter((w) => w.outcome.acknowledged || w.outcome.error)).toEqual([]);
    await waitFor("the writer to report the failure", () => logs.find((e) => e.database === "PostgreSQL" && e.msg.startsWith("write failed")));
    const health = await api(server.port, "GET", "/healthz");
    expect(health.body).toMatchObject({ status: "degraded", database: { reachable: false }, persistQueue: { samples: BOUND, max: BOUND, refused: BATCH } });
    // The queue is full and samples are refused: not ready, and why.
    const full = await api(server.port, "GET", "/readyz");
    expect(full).toMatchObject({ status: 503, body: { status: "not ready", ready: false, checks: { database: "unreachable", writeQueue: { samples: BOUND, max: BOUND, refusing: true } } } });
    expect((full.body as { reasons: string[] }).reasons).toEqual([expect.stringMatching(/^write queue full \(1000 of PERSIST_QUEUE_MAX_SAMPLES=1000\): new samples are refused; the database is unreachable$/)]);

    await proxy.start();
    await Promise.all(waiting.map((w) => w.result.persisted));
    expect(logs).toContainEqual(expect.objectContaining({ database: "PostgreSQL", msg: "write recovered: the batch committed", attempts: expect.any(Number), samples: expect.any(Number) }));
    const stored = await storedTimes(from, nextTs);
    const acknowledged = [before.accepted, ...waiting.map((w) => w.result.accepted)].reduce((a, b) => a + b, 0);
    expect(stored).toHaveLength(acknowledged);
    expect(stored).toEqual([...Array(BATCH).keys()].map((i) => from + i).concat(waiting.flatMap((w) => w.outcome.samples.map((s) => s.ts))));
    expect(stored.some((t) => refusedSamples.some((s) => s.ts === t))).toBe(false); // refused: none of it stored
    expect(server.pipeline.stats.queued).toBe(0);
    expect(await api(server.port, "GET", "/readyz")).toMatchObject({ status: 200, body: { ready: true, reasons: [], checks: { database: "reachable", writeQueue: { samples: 0, refusing: false } } } });
    polling = false;
    await poller;
    // Never once failed, over the whole outage (≥ 2 s of it at 100 ms a poll).
    expect(livez.length).toBeGreaterThanOrEqual(15);
    expect(livez.filter((status) => status !== 200)).toEqual([]);

    // Room again: the next batch is taken, written and acknowledged.
    await server.pipeline.submit(batch(), "test").persisted;
    expect(logs).toContainEqual(expect.objectContaining({ msg: "write queue has room again: accepting samples" }));
  }, 60_000);

  it("R2 connections killed by PostgreSQL (pg_terminate_backend) while batches stream in: no write fails, and exactly the acknowledged samples are stored", async () => {
    const from = nextTs;
    const outcomes: Promise<{ times: number[]; outcome: "acknowledged" | "refused" | "failed" }>[] = [];
    let kills = 0;
    const killer = setInterval(() => {
      kills++;
      void withPgClient(directUrl, (client) =>
        client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`),
      );
    }, 400);
    const deadline = Date.now() + 2_500;
    while (Date.now() < deadline) {
      const samples = batch();
      const times = samples.map((s) => s.ts);
      outcomes.push(
        server.pipeline.submit(samples, "test").persisted.then(
          () => ({ times, outcome: "acknowledged" as const }),
          (error: unknown) => ({ times, outcome: error instanceof PersistQueueFull ? ("refused" as const) : ("failed" as const) }),
        ),
      );
      await sleep(50);
    }
    clearInterval(killer);
    const settled = await Promise.all(outcomes);
    expect(kills).toBeGreaterThanOrEqual(5);
    // A killed connection is retried, never reported as a failed write; the bound may refuse some while retries catch up.
    expect(settled.filter((s) => s.outcome === "failed")).toEqual([]);
    expect(logs.filter((e) => e.msg === "persist failed")).toEqual([]);
    const acknowledged = settled.filter((s) => s.outcome === "acknowledged").flatMap((s) => s.times);
    expect(acknowledged.length).toBeGreaterThan(settled.length * BATCH * 0.5);
    expect(await storedTimes(from, nextTs)).toEqual(acknowledged.sort((a, b) => a - b));
  }, 60_000);

  it("R3 shutting down while PostgreSQL is away ends within the grace: the pending batch is given up, never acknowledged, never half-stored", async () => {
    const from = nextTs;
    await proxy.stop();
    const pending = server.pipeline.submit(batch(), "test");
    let acknowledged = false;
    const outcome = pending.persisted.then(
      () => (acknowledged = true),
      (error: unknown) => error,
    );
    await sleep(300);
    const began = Date.now();
    await server.close();
    const took = Date.now() - began;
    expect(took).toBeLessThan(15_000);
    expect(acknowledged).toBe(false);
    expect(await outcome).toBeInstanceOf(Error);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "persist failed", samples: BATCH }));
    await proxy.start();
    expect(await storedTimes(from, nextTs)).toEqual([]);
  }, 60_000);
});
