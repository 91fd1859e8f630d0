/**
 * Ingest: sustained samples/s through the whole pipeline (validate → persist → broadcast) on
 * SQLite, against the raw driver writing the same rows in the same batches. There is no alert
 * stage and no HTTP ingest endpoint yet: batches go in by `pipeline.submit(samples, "bench")`,
 * in process, exactly as a source does; the alert stage joins when it exists.
 *
 * Database: a fresh SQLite file (applyMigrations), pre-filled with bare better-sqlite3 with
 * PREFILL_INSTANTS whole-city instants (so each series owns its last leaf page), copied for the
 * baseline. Rows: every valid (metric, entity) pair of the catalog, consecutive instants, values
 * inside metric.range; a batch is BATCH consecutive rows, so none repeats a primary key.
 *
 * Pipeline: createPipeline as server/app.ts builds it — persist = startSampleWriter(file).insert
 * (the writer thread), onPersisted = a SeriesStore (the snapshot window; history.touch is left
 * out), broadcast = broadcastFrame on a real Socket.IO server (attachRealtime) on a port in
 * 4950–4999, with one socket.io-client in a child process (this file, INGEST_ROLE=client) that
 * said hello for every domain at level "entities", so every frame really goes out and is counted.
 * The feeder submits batches back to back with at most IN_FLIGHT not yet persisted, each from
 * its own macrotask (setImmediate before each submit), as a source would. WARMUP_BATCHES first, then MEASURE_MS: samples/s = samples
 * persisted after the warm-up ÷ time from the warm-up's last ack to the last ack.
 * While measuring: monitorEventLoopDelay (resolution 1 ms, max − 1 ms), a setInterval(…, 1000)
 * "frame" timer (lateness = gap − 1000 ms), GC pauses, event-loop utilisation and process CPU.
 *
 * Baseline, same run: bare better-sqlite3 on the copy, the same batches (same rows), doing what
 * the writer thread does (rows sorted by key, sampleInserts SQL, WAL, synchronous NORMAL, no
 * automatic checkpoint, wal_checkpoint(PASSIVE) at most once a second), on the loop; timed:
 * sort + transaction + checkpoint, over the batches after the same warm-up.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { PerformanceObserver, monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import type { Socket } from "socket.io-client";
import { DOMAINS, ENTITIES, METRICS, isSummaryEntity } from "../lib/catalog";
import { applyMigrations } from "../lib/db/migrate";
import { sqlite } from "../lib/db/dialect";
import { byKey, sampleInserts, type SampleRow } from "../lib/db/samples";
import { Event, PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents, type TFrame, type TSample } from "../lib/realtime/protocol";
import { SeriesStore } from "../lib/realtime/series-store";
import { WallRegistry } from "../lib/realtime/walls";
import { createPipeline } from "../server/pipeline";
import { attachRealtime, broadcastFrame } from "../server/realtime";
import { startSampleWriter } from "../server/sample-writer";
import { wallTokens } from "../server/wall-tokens";
import { fmt, type Benchmark, type Row } from "./lib";
import { memoryLog } from "../server/test/log-lines";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "..");
const HOST = "127.0.0.1";
/** Monday 23 Nov 2026, 08:30 in Shenzhen (UTC+8). */
const START_MS = Date.UTC(2026, 10, 23, 0, 30);
const PREFILL_INSTANTS = 100;
/** server/app.ts: maxBatch; lib/config.ts: PERSIST_FLUSH_MS default. */
const BATCH = 5_000;
const FLUSH_MS = 10;
const IN_FLIGHT = 4;
const WARMUP_BATCHES = 30;
const MEASURE_MS = 20_000;
const TARGET_RATE = 50_000;
const TARGET_RATIO = 0.6;
const BUDGET_MS = 10;

interface Pair {
  metricId: TSample["metricId"];
  entityId: string;
  lo: number;
  span: number;
  phase: number;
}
const PAIRS: Pair[] = METRICS.flatMap((m) =>
  ENTITIES.filter((e) => (m.entityKinds as readonly string[]).includes(e.kind)).map((e, i) => ({
    metricId: m.id as TSample["metricId"],
    entityId: e.id,
    lo: m.range.min,
    span: Math.min(m.range.max, m.range.min + 10_000) - m.range.min,
    phase: i * 0.7,
  })),
);

/** Row n of the stream: pair n mod |PAIRS| at instant n div |PAIRS|; deterministic, so both runs see the same rows. The pre-fill is rows [0, FIRST). */
const FIRST = PREFILL_INSTANTS * PAIRS.length;
function sampleAt(n: number): TSample {
  const p = PAIRS[n % PAIRS.length]!;
  const ts = START_MS + Math.floor(n / PAIRS.length) * 1_000;
  return { metricId: p.metricId, entityId: p.entityId, ts, value: Math.round((p.lo + p.span * (0.5 + 0.4 * Math.sin(ts / 600_000 + p.phase))) * 100) / 100 };
}
const batchAt = (b: number): TSample[] => Array.from({ length: BATCH }, (_, i) => sampleAt(FIRST + b * BATCH + i));
const asRows = (samples: readonly TSample[]): SampleRow[] => samples.map((s) => ({ ...s, source: "bench", drillId: null }));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** What the writer thread does (server/sample-writer-worker.ts: keep in step with it), on the loop. */
const CHECKPOINT_EVERY_MS = 1_000;
function openBare(file: string): { write(rows: SampleRow[]): number; close(): void } {
  const db = new Sqlite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("wal_autocheckpoint = 0");
  const prepared = new Map<string, Sqlite.Statement>();
  const stmt = (sql: string) => prepared.get(sql) ?? prepared.set(sql, db.prepare(sql)).get(sql)!;
  const tx = db.transaction((rows: SampleRow[]) => sum(sampleInserts(rows.sort(byKey), sqlite).map(({ sql, params }) => stmt(sql).run(...params).changes)));
  let lastCheckpoint = 0;
  return {
    write(rows) {
      const n = tx(rows);
      if (Date.now() - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
        db.pragma("wal_checkpoint(PASSIVE)");
        lastCheckpoint = Date.now();
      }
      return n;
    },
    close: () => db.close(),
  };
}

// ───────────────────────── the client process ─────────────────────────

async function runClient(): Promise<void> {
  const { io } = await import("socket.io-client");
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://${HOST}:${process.env.INGEST_PORT}`, { transports: ["websocket"], reconnection: false, forceNew: true });
  let frames = 0;
  let samples = 0;
  socket.on(Event.frame, (frame) => {
    frames++;
    samples += frame.samples.length;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  const reply = await socket.timeout(10_000).emitWithAck(Event.hello, { protocolVersion: PROTOCOL_VERSION, domains: [...DOMAINS], level: "entities" });
  if (!reply.ok) throw new Error(`hello refused: ${reply.message}`);
  process.on("message", (m) => {
    if (m === "report") process.send?.({ frames, samples });
    if (m === "close") {
      socket.close();
      process.disconnect();
    }
  });
  process.send?.({ ready: true });
}
if (process.env.INGEST_ROLE === "client") {
  runClient().catch((error: unknown) => {
    console.error("[ingest client]", error);
    process.exit(1);
  });
}

// ───────────────────────── the bench process ─────────────────────────

async function listen(http: HttpServer): Promise<number> {
  for (let port = 4950; port <= 4999; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      http.once("error", () => resolve(false));
      http.listen(port, HOST, () => resolve(true));
    });
    if (ok) return port;
  }
  throw new Error("no free port in 4950–4999");
}

function startClient(port: number) {
  const child = spawn(process.execPath, ["--import", "tsx", SELF], { cwd: ROOT, env: { ...process.env, INGEST_ROLE: "client", INGEST_PORT: String(port) }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <T>() => new Promise<T>((resolve, reject) => {
    child.once("message", (m) => resolve(m as T));
    child.once("exit", (code) => reject(new Error(`client exited (${code})`)));
  });
  return {
    ready: next<{ ready: true }>(),
    report: () => {
      const r = next<{ frames: number; samples: number }>();
      child.send("report");
      return r;
    },
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.send("close");
      setTimeout(() => child.kill(), 2_000).unref();
    }),
  };
}

async function runPipeline(file: string) {
  // Anything the pipeline, the writer or the sockets log fails the run (below).
  const { log, events: logged } = memoryLog("info");
  const http = createServer();
  const port = await listen(http);
  const io = attachRealtime(http, {
    allowedOrigins: "*",
    snapshot: () => ({ serverTime: Date.now(), windowMs: 0, entityIntervalMs: 10_000, clock: { speed: 1, realOrigin: 0, simOrigin: 0 }, drills: [], alerts: [], latest: [], history: [] }),
    walls: new WallRegistry(),
    wallTokens: wallTokens("bench"),
    trustedProxies: [],
    now: Date.now,
    log,
  });
  const client = startClient(port);
  await client.ready;
  const writer = await startSampleWriter(file, { log });
  const recent = new SeriesStore({ maxPoints: 15 * 60 + 60, maxAgeMs: 15 * 60_000 }, isSummaryEntity);
  // Main-thread ms while measuring: the source building batches, submit (zod validation), posting to the writer (structured clone), onPersisted (SeriesStore), broadcast (Socket.IO encode + send).
  const t = { generate: 0, submit: 0, post: 0, onPersisted: 0, broadcast: 0 };
  const longest = { ...t };
  let [framesSent, samplesSent, measureStart] = [0, 0, 0];
  const timed = <A extends unknown[], R>(key: keyof typeof t, f: (...a: A) => R) => (...a: A): R => {
    const t0 = performance.now();
    const r = f(...a);
    const ms = performance.now() - t0;
    if (measureStart > 0) [t[key], longest[key]] = [t[key] + ms, Math.max(longest[key], ms)];
    return r;
  };
  const pipeline = createPipeline({
    persist: timed("post", (rows: readonly SampleRow[]) => writer.insert(rows)),
    onPersisted: timed("onPersisted", (samples: readonly TSample[]) => recent.add(samples)),
    broadcast: timed("broadcast", (frame: TFrame) => {
      framesSent++;
      samplesSent += frame.samples.length;
      broadcastFrame(io, frame);
    }),
    flushMs: FLUSH_MS,
    maxBatch: BATCH,
    maxQueued: Number.POSITIVE_INFINITY, // the bench measures throughput, not refusals
    log,
    // The stream's instants are synthetic (START_MS on): every check runs, the time window lets them all in.
    window: () => ({ oldest: 0, newest: Number.MAX_SAFE_INTEGER }),
  });

  const eld = monitorEventLoopDelay({ resolution: 1 });
  let gcMaxMs = 0;
  const gc = new PerformanceObserver((list) => list.getEntries().forEach((e) => (gcMaxMs = Math.max(gcMaxMs, e.duration))));
  const late: number[] = [];
  let frameTimer: ReturnType<typeof setInterval> | undefined;
  let elu = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  const startMeasuring = () => {
    measureStart = performance.now();
    elu = performance.eventLoopUtilization();
    cpu = process.cpuUsage();
    eld.enable();
    gc.observe({ entryTypes: ["gc"] });
    let last = performance.now();
    frameTimer = setInterval(() => {
      const now = performance.now();
      late.push(Math.max(0, now - last - 1_000));
      last = now;
    }, 1_000);
  };

  const inFlight: Promise<void>[] = [];
  const roundTrip: number[] = [];
  let batches = 0;
  let lastAck = 0;
  let rejected = 0;
  while (measureStart === 0 || performance.now() - measureStart < MEASURE_MS) {
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    // A source submits from its own macrotask (a request, a tick), not from the ack of an earlier batch.
    await new Promise((resolve) => setImmediate(resolve));
    if (batches === WARMUP_BATCHES && measureStart === 0) {
      await Promise.all(inFlight.splice(0));
      startMeasuring();
    }
    const samples = timed("generate", batchAt)(batches);
    const sent = performance.now();
    const result = timed("submit", pipeline.submit)(samples, "bench");
    rejected += result.rejected.length;
    const index = batches++;
    inFlight.push(result.persisted.then(() => {
      lastAck = performance.now();
      if (index >= WARMUP_BATCHES) roundTrip.push(lastAck - sent);
    }));
  }
  await Promise.all(inFlight);
  const windowMs = lastAck - measureStart;
  const cpuUsed = process.cpuUsage(cpu);
  const busy = performance.eventLoopUtilization(elu).utilization;
  clearInterval(frameTimer);
  eld.disable();
  gc.disconnect();

  // Let the client drain what is still on the wire.
  let received = await client.report();
  for (let i = 0; i < 50 && received.samples < samplesSent; i++) {
    await sleep(100);
    received = await client.report();
  }
  await client.close();
  await writer.close();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  if (logged.length > 0) throw new Error(`pipeline: ${logged.map((e) => e.msg).join("; ")}`);

  const measured = (batches - WARMUP_BATCHES) * BATCH;
  return {
    ...{ port, batches, measured, windowMs, rate: measured / (windowMs / 1000), rtP50: percentile(roundTrip, 0.5), rtP99: percentile(roundTrip, 0.99) },
    ...{ eldMaxMs: Math.max(0, eld.max / 1e6 - 1), eldP99Ms: Math.max(0, eld.percentile(99) / 1e6 - 1), lateMaxMs: Math.max(0, ...late), lateTicks: late.length, gcMaxMs, busy },
    ...{ cores: (cpuUsed.user + cpuUsed.system) / 1000 / windowMs, rejected, persistedNew: pipeline.stats.persisted, framesSent, samplesSent, received, longest },
    /** Main-thread ms per measured batch. */
    mainMs: Object.fromEntries(Object.entries(t).map(([k, ms]) => [k, ms / Math.max(1, batches - WARMUP_BATCHES)])) as typeof t,
  };
}

function runBaseline(file: string, batches: number) {
  const bare = openBare(file);
  const times: number[] = [];
  let inserted = 0;
  try {
    for (let b = 0; b < batches; b++) {
      const rows = asRows(batchAt(b));
      const t0 = performance.now();
      inserted += bare.write(rows);
      if (b >= WARMUP_BATCHES) times.push(performance.now() - t0);
    }
  } finally {
    bare.close();
  }
  const ms = sum(times);
  return { inserted, ms, rate: (times.length * BATCH) / (ms / 1000), p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

function prefill(file: string): number {
  const db = new Sqlite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insert = db.prepare(`INSERT INTO "MetricSample" ("metricId","entityId","ts","value","source","drillId") VALUES (?,?,?,?,?,?)`);
  db.transaction(() => {
    for (let n = 0; n < FIRST; n++) {
      const s = sampleAt(n);
      insert.run(s.metricId, s.entityId, s.ts, s.value, "prefill", null);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return FIRST;
}

const countRows = (file: string) => {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM "MetricSample" WHERE "source" <> 'prefill'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

async function run() {
  const dir = mkdtempSync(path.join(tmpdir(), "onescreen-bench-ingest-"));
  const ours = path.join(dir, "pipeline.db");
  const bareFile = path.join(dir, "baseline.db");
  try {
    await applyMigrations(ours);
    const pre = performance.now();
    const prefilled = prefill(ours);
    copyFileSync(ours, bareFile);
    console.log(`pre-filled ${fmt(prefilled, 0)} rows in ${fmt((performance.now() - pre) / 1000, 1)} s`);

    const p = await runPipeline(ours);
    const onDisk = countRows(ours);
    const base = runBaseline(bareFile, p.batches);
    const baseOnDisk = countRows(bareFile);
    const ratio = p.rate / base.rate;
    const m = p.mainMs;
    const mainTotal = m.generate + m.submit + m.post + m.onPersisted + m.broadcast;

    const rows: Row[] = [
      { path: "baseline: bare better-sqlite3, the writer's work on the loop", batches: fmt(p.batches, 0), "rows on disk": fmt(baseOnDisk, 0), "samples/s": fmt(base.rate, 0), "× raw": "1.00×", "batch p50 ms": fmt(base.p50, 1), "batch p99 ms": fmt(base.p99, 1), "ELD max ms": "", "1 Hz late max ms": "", "client got": "" },
      { path: `pipeline: submit → writer thread → Socket.IO (${IN_FLIGHT} in flight)`, batches: fmt(p.batches, 0), "rows on disk": fmt(onDisk, 0), "samples/s": fmt(p.rate, 0), "× raw": `${fmt(ratio, 2)}×`, "batch p50 ms": fmt(p.rtP50, 1), "batch p99 ms": fmt(p.rtP99, 1), "ELD max ms": fmt(p.eldMaxMs, 1), "1 Hz late max ms": fmt(p.lateMaxMs, 1), "client got": `${fmt(p.received.frames, 0)} frames / ${fmt(p.received.samples, 0)} samples` },
    ];
    return {
      rows,
      verdicts: [
        { target: `pipeline ≥ ${fmt(TARGET_RATE, 0)} samples/s persisted on SQLite`, figure: `${fmt(p.rate, 0)} samples/s over ${fmt(p.windowMs / 1000, 1)} s (${fmt(p.rate / TARGET_RATE, 2)}× the target)`, pass: p.rate >= TARGET_RATE },
        { target: `pipeline ≥ ${TARGET_RATIO}× the raw driver, same rows and batches`, figure: `${fmt(ratio, 2)}× (${fmt(p.rate, 0)} vs ${fmt(base.rate, 0)} samples/s)`, pass: ratio >= TARGET_RATIO },
        { target: `1 Hz frame timer never late by more than ${BUDGET_MS} ms while ingesting`, figure: `max ${fmt(p.lateMaxMs, 1)} ms over ${p.lateTicks} ticks`, pass: p.lateMaxMs <= BUDGET_MS },
        { target: `longest event-loop block while ingesting ≤ ${BUDGET_MS} ms (any frame's worst case)`, figure: `monitorEventLoopDelay max ${fmt(p.eldMaxMs, 1)} ms (p99 ${fmt(p.eldP99Ms, 1)} ms, longest GC pause ${fmt(p.gcMaxMs, 1)} ms)`, pass: p.eldMaxMs <= BUDGET_MS },
      ],
      notes: [
        `${fmt(BATCH, 0)} consecutive whole-city rows per batch (${fmt(PAIRS.length, 0)} pairs per instant), pre-fill ${fmt(prefilled, 0)} rows (${PREFILL_INSTANTS} instants) copied for the baseline; ${WARMUP_BATCHES} warm-up batches, then ${MEASURE_MS / 1000} s. Baseline: the same ${p.batches} batches, timed sort + transaction + checkpoint (≤ 1/s) over the ${p.batches - WARMUP_BATCHES} after warm-up. Pipeline batch ms = submit → persisted (includes queueing behind ${IN_FLIGHT - 1} batches).`,
        `Main thread per batch: ${fmt(mainTotal, 1)} ms = build ${fmt(m.generate, 1)} + submit/validate ${fmt(m.submit, 1)} + post to writer ${fmt(m.post, 1)} + onPersisted ${fmt(m.onPersisted, 1)} + broadcast ${fmt(m.broadcast, 1)} (longest single submit ${fmt(p.longest.submit, 1)}, broadcast ${fmt(p.longest.broadcast, 1)}, onPersisted ${fmt(p.longest.onPersisted, 1)}, post ${fmt(p.longest.post, 1)} ms); event-loop utilisation ${fmt(p.busy * 100, 0)} %, process CPU ${fmt(p.cores, 2)} cores (writer thread and GC included); raw driver ${fmt(base.ms / (p.batches - WARMUP_BATCHES), 1)} ms per batch.`,
        `Checks: ${fmt(p.measured + WARMUP_BATCHES * BATCH, 0)} submitted, ${p.rejected} rejected, ${fmt(p.persistedNew, 0)} new per the pipeline, ${fmt(onDisk, 0)} on disk; ${fmt(p.framesSent, 0)} frames / ${fmt(p.samplesSent, 0)} samples broadcast, ${fmt(p.received.frames, 0)} / ${fmt(p.received.samples, 0)} received by the client (port ${p.port}).`,
      ],
      data: { batch: BATCH, inFlight: IN_FLIGHT, warmupBatches: WARMUP_BATCHES, measureMs: MEASURE_MS, prefilled, pipeline: p, baseline: { ...base, onDisk: baseOnDisk } },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ingestBenchmark: Benchmark = {
  name: "ingest",
  summary: `sustained samples/s through validate → persist (writer thread) → broadcast on SQLite vs the raw driver (≥ ${fmt(TARGET_RATE, 0)}/s, ≥ ${TARGET_RATIO}×), frames ≤ ${BUDGET_MS} ms late`,
  run,
};
