/**
 * Persisting without stalling frames: while the pipeline writes its batches, how long
 * is the event loop blocked at worst? Frames go out at 1 Hz per domain and no frame may
 * be delayed by more than 10 ms, so no single write may hold the loop longer than that.
 *
 * Database: a fresh SQLite file in the OS temp directory, migrated with applyMigrations
 * and opened with openDatabase (WAL, synchronous=NORMAL), exactly as the server does.
 * Before measuring, it is pre-filled with bare better-sqlite3 with PREFILL_TICKS seconds
 * of the whole city, so that each series already owns its last B-tree leaf page (a table
 * of a few rows per series would flatter every write); that file is copied for the
 * baseline, so both start from the same bytes. Rows: every valid (metric, entity) pair
 * of the catalog, one timestamp per simulated second, values inside metric.range.
 *
 * Loads, in this order, timestamps carrying on from the pre-fill: the default load
 * (reportedAt with SIM_ENTITY_EVERY = 10: city and districts every tick, each other
 * entity every 10th, staggered), the heaviest (SIM_ENTITY_EVERY = 1: every pair every
 * tick) and the pipeline's max batch (5,000 rows). Each load's batches are written three
 * ways: the baseline (below), `insertSamples` through Prisma on the event loop (how the
 * side server wrote before), and the side server's writer thread (server/sample-writer.ts,
 * what `persist` is now), each on its own copy of the file. Ticks start every PACE_MS
 * (not 1 s) to keep the run short.
 *
 * Measured during each load: the longest event-loop block, by monitorEventLoopDelay
 * (resolution 1 ms; its max minus 1 ms) and by an independent setInterval(…, 1) probe
 * (the longest gap minus 1 ms); p50/p99/max wall time per insertSamples call; rows/s
 * over the time spent writing; each SQL statement's own time (better-sqlite3's
 * Statement.run wrapped for the Prisma loads); and automatic checkpoints, seen as the
 * WAL header's checkpoint sequence number changing (the WAL restarts at the first write
 * after a complete checkpoint, so the commit of the tick before ran it).
 *
 * Baseline, same run, same rows: bare better-sqlite3 on the copy, same pragmas, one
 * transaction per tick with a prepared INSERT OR IGNORE per row. It is synchronous, so
 * it blocks the loop for its whole transaction; its per-batch time is that block.
 */
import { copyFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PerformanceObserver, monitorEventLoopDelay, performance } from "node:perf_hooks";
import Sqlite from "better-sqlite3";
import { ENTITIES, METRICS, isSummaryEntity } from "../lib/catalog";
import { openDatabase, type Database } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { insertSamples, type SampleRow } from "../lib/db/samples";
import { seededRandom } from "../lib/random";
import { startSampleWriter } from "../server/sample-writer";
import { reportedAt } from "../server/sources/simulator";
import { fmt, type Benchmark, type Row, type Verdict } from "./lib";
import { memoryLog } from "../server/test/log-lines";

const SEED = 731_000;
/** Monday 23 Nov 2026, 08:30 in Shenzhen (UTC+8). */
const START_MS = Date.UTC(2026, 10, 23, 0, 30);
const SECOND = 1_000;
/** Real time between tick starts: 10× the real 1 Hz, to bound the run (a write never overlaps the next tick either way). */
const PACE_MS = 100;
/** Per load: at most this many ticks or this much wall time. */
const BOUNDS = { maxTicks: 120, maxWallMs: 30_000 };
/** Seconds of the whole city written before measuring (≈ 3,200 rows each). */
const PREFILL_TICKS = 300;
/** SIM_ENTITY_EVERY's default (lib/config.ts). */
const ENTITY_EVERY = 10;
/** server/app.ts: maxBatch. */
const MAX_BATCH = 5_000;
/** No frame may be delayed by more than this. */
const BUDGET_MS = 10;
/** monitorEventLoopDelay's resolution, and the probe's interval: subtracted from the gaps they see. */
const RESOLUTION_MS = 1;

interface Pair {
  metricId: string;
  entityId: string;
  lo: number;
  span: number;
  phase: number;
}

function catalogPairs(): Pair[] {
  const rand = seededRandom(SEED);
  return METRICS.flatMap((m) =>
    ENTITIES.filter((e) => (m.entityKinds as readonly string[]).includes(e.kind)).map((e) => ({
      metricId: m.id,
      entityId: e.id,
      lo: m.range.min,
      span: Math.min(m.range.max, m.range.min + 10_000) - m.range.min,
      phase: rand() * 2 * Math.PI,
    })),
  );
}

function rowsAt(pairs: readonly Pair[], ts: number, rand: () => number): SampleRow[] {
  return pairs.map((p) => ({
    metricId: p.metricId as SampleRow["metricId"],
    entityId: p.entityId,
    ts,
    value: Math.round((p.lo + p.span * (0.5 + 0.3 * Math.sin(ts / 600_000 + p.phase) + 0.15 * (rand() - 0.5))) * 100) / 100,
    source: "sim",
    drillId: null,
  }));
}

interface Load {
  label: string;
  /** What one tick writes. */
  what: string;
  /** Builds the batches of this load, starting at simulated time `ts0`; returns them and the next free second. */
  batches(pairs: readonly Pair[], ts0: number, rand: () => number): { batches: SampleRow[][]; nextTs: number };
  /** Judged against BUDGET_MS. */
  required: boolean;
}

const everyTick = (pairs: readonly Pair[], ts0: number, rand: () => number, every: number) => {
  const batches = Array.from({ length: BOUNDS.maxTicks }, (_, k) => {
    const ts = ts0 + k * SECOND;
    return every <= 1 ? rowsAt(pairs, ts, rand) : (reportedAt(rowsAt(pairs, ts, rand), k, every) as SampleRow[]);
  });
  return { batches, nextTs: ts0 + BOUNDS.maxTicks * SECOND };
};

const LOADS: readonly Load[] = [
  {
    label: "default (SIM_ENTITY_EVERY 10)",
    what: "city + districts every tick, each other entity every 10th tick (staggered)",
    batches: (pairs, ts0, rand) => everyTick(pairs, ts0, rand, ENTITY_EVERY),
    required: true,
  },
  {
    label: "heaviest (SIM_ENTITY_EVERY 1)",
    what: "every (metric, entity) pair every tick",
    batches: (pairs, ts0, rand) => everyTick(pairs, ts0, rand, 1),
    required: true,
  },
  {
    label: "max batch (5,000 rows)",
    what: "5,000 rows of consecutive whole-city instants: the pipeline's maxBatch",
    batches: (pairs, ts0, rand) => {
      const batches: SampleRow[][] = [];
      let ts = ts0;
      let pending: SampleRow[] = [];
      while (batches.length < BOUNDS.maxTicks) {
        pending.push(...rowsAt(pairs, ts, rand));
        ts += SECOND;
        while (pending.length >= MAX_BATCH && batches.length < BOUNDS.maxTicks) {
          batches.push(pending.slice(0, MAX_BATCH));
          pending = pending.slice(MAX_BATCH);
        }
      }
      return { batches, nextTs: ts };
    },
    required: false,
  },
];

const INSERT_SQL = `INSERT OR IGNORE INTO "MetricSample" ("metricId","entityId","ts","value","source","drillId") VALUES (?,?,?,?,?,?)`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** The WAL header's checkpoint sequence number (bytes 12–15, big-endian); -1 before the WAL exists. */
function walCheckpointSeq(file: string): number {
  let fd: number;
  try {
    fd = openSync(`${file}-wal`, "r");
  } catch {
    return -1;
  }
  try {
    const header = Buffer.alloc(16);
    return readSync(fd, header, 0, 16, 0) === 16 ? header.readUInt32BE(12) : -1;
  } finally {
    closeSync(fd);
  }
}

/** Time per SQL statement of the Prisma path: better-sqlite3's Statement.run, wrapped while a load runs. */
interface StatementStats {
  count: number;
  totalMs: number;
  maxMs: number;
}
type StatementLike = { source: string; run: (...args: unknown[]) => unknown };

function statementKind(sql: string): string {
  if (sql.startsWith("INSERT")) {
    const rows = sql.split("(?,?,?,?,?,?)").length - 1;
    return `INSERT ${rows === 1_000 ? "1,000" : rows >= 1_000 ? fmt(rows, 0) : "< 1,000"} rows`;
  }
  return sql.split(/\s/)[0] ?? sql;
}

function wrapStatements(probe: Sqlite.Database): { stats: Map<string, StatementStats>; perTick: number[]; restore(): void } {
  const proto = Object.getPrototypeOf(probe.prepare("SELECT 1")) as StatementLike;
  const original = proto.run;
  const stats = new Map<string, StatementStats>();
  const perTick: number[] = [];
  proto.run = function (this: StatementLike, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const ms = performance.now() - t0;
      const kind = statementKind(this.source);
      const s = stats.get(kind) ?? { count: 0, totalMs: 0, maxMs: 0 };
      s.count++;
      s.totalMs += ms;
      s.maxMs = Math.max(s.maxMs, ms);
      stats.set(kind, s);
      perTick.push(ms);
    }
  };
  return { stats, perTick, restore: () => void (proto.run = original) };
}

interface Probe {
  /** Longest block by monitorEventLoopDelay, ms. */
  eldMs: number;
  eldP99Ms: number;
  /** Longest block by the setInterval probe, ms, and whether it overlapped a write. */
  driftMs: number;
  driftIdleMs: number;
  /** Longest garbage-collection pause while the load ran (the loop is blocked by it too). */
  gcMaxMs: number;
}

/** Both loop probes, running until stop(). `writing` intervals classify the drift probe's gaps. */
function startProbes(): { stop(writes: readonly [number, number][]): Probe } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const gaps: [number, number][] = [];
  let gcMaxMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMaxMs = Math.max(gcMaxMs, entry.duration);
  });
  gc.observe({ entryTypes: ["gc"] });
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > RESOLUTION_MS + 0.5) gaps.push([last, now]);
    last = now;
  }, RESOLUTION_MS);
  return {
    stop(writes) {
      clearInterval(timer);
      histogram.disable();
      gc.disconnect();
      let driftMs = 0;
      let driftIdleMs = 0;
      for (const [a, b] of gaps) {
        const block = b - a - RESOLUTION_MS;
        if (writes.some(([s, e]) => s < b && e > a)) driftMs = Math.max(driftMs, block);
        else driftIdleMs = Math.max(driftIdleMs, block);
      }
      return {
        eldMs: Math.max(0, histogram.max / 1e6 - RESOLUTION_MS),
        eldP99Ms: Math.max(0, histogram.percentile(99) / 1e6 - RESOLUTION_MS),
        driftMs,
        driftIdleMs,
        gcMaxMs,
      };
    },
  };
}

interface Result {
  ticks: number;
  rows: number;
  writeMs: number;
  p50: number;
  p99: number;
  max: number;
  probe: Probe;
  /** Ticks whose commit ran an automatic checkpoint, and the write times of those and of the others. */
  checkpoints: number;
  maxWithCheckpoint: number;
  maxWithout: number;
  /** Sum of statement times per tick (Prisma path only): the rest of a write is JavaScript. */
  sqlMsP50?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs `write` once per batch, paced, with both probes on. */
async function drive(batches: readonly SampleRow[][], file: string | null, write: (rows: readonly SampleRow[]) => Promise<unknown> | unknown, sqlPerTick?: number[]): Promise<Result> {
  await sleep(50); // let the loop settle after building the batches
  const probes = startProbes();
  const durations: number[] = [];
  const writes: [number, number][] = [];
  const sqlMs: number[] = [];
  // file null: no WAL-header reads (with the writer in a worker they would wait on its writes and fsyncs, on the loop).
  const seq: number[] = [file ? walCheckpointSeq(file) : -1];
  let rows = 0;
  const t0 = performance.now();
  for (const batch of batches) {
    if (performance.now() - t0 > BOUNDS.maxWallMs) break;
    const tickStart = t0 + durations.length * PACE_MS;
    await sleep(tickStart - performance.now());
    if (sqlPerTick) sqlPerTick.length = 0;
    const start = performance.now();
    await write(batch);
    const end = performance.now();
    durations.push(end - start);
    writes.push([start, end]);
    if (sqlPerTick) sqlMs.push(sqlPerTick.reduce((a, b) => a + b, 0));
    rows += batch.length;
    seq.push(file ? walCheckpointSeq(file) : -1);
  }
  await sleep(PACE_MS);
  const probe = probes.stop(writes);

  // seq[i + 1] is read after tick i. A change seen after tick i means the WAL restarted in tick i: tick i − 1's commit checkpointed.
  const checkpointed = durations.map((_, i) => i + 2 < seq.length && seq[i + 2] !== seq[i + 1] && seq[i + 1] !== -1);
  const sorted = [...durations].sort((a, b) => a - b);
  const sortedSql = [...sqlMs].sort((a, b) => a - b);
  return {
    ticks: durations.length,
    rows,
    writeMs: durations.reduce((a, b) => a + b, 0),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? 0,
    probe,
    checkpoints: checkpointed.filter(Boolean).length,
    maxWithCheckpoint: Math.max(0, ...durations.filter((_, i) => checkpointed[i])),
    maxWithout: Math.max(0, ...durations.filter((_, i) => !checkpointed[i])),
    sqlMsP50: sqlPerTick ? percentile(sortedSql, 0.5) : undefined,
  };
}

function prefill(file: string, pairs: readonly Pair[], rand: () => number): { rows: number; ms: number } {
  const db = new Sqlite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insert = db.prepare(INSERT_SQL);
  const t0 = performance.now();
  let rows = 0;
  const tick = db.transaction((batch: readonly SampleRow[]) => {
    for (const r of batch) insert.run(r.metricId, r.entityId, r.ts, r.value, r.source, r.drillId);
  });
  for (let k = 0; k < PREFILL_TICKS; k++) {
    const batch = rowsAt(pairs, START_MS + k * SECOND, rand);
    tick(batch);
    rows += batch.length;
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { rows, ms: performance.now() - t0 };
}

async function run() {
  const pairs = catalogPairs();
  const summaryPairs = pairs.filter((p) => isSummaryEntity(p.entityId)).length;
  const dir = mkdtempSync(path.join(tmpdir(), "onescreen-bench-writes-"));
  const ours = path.join(dir, "writes.db");
  const bareFile = path.join(dir, "baseline.db");
  const workerFile = path.join(dir, "worker.db");
  try {
    await applyMigrations(ours);
    const filled = prefill(ours, pairs, seededRandom(SEED + 1));
    copyFileSync(ours, bareFile);
    copyFileSync(ours, workerFile);
    console.log(`pre-filled ${fmt(filled.rows, 0)} rows (${PREFILL_TICKS} s × ${fmt(pairs.length, 0)} pairs) in ${fmt(filled.ms / 1000, 1)} s`);

    const db: Database = await openDatabase(ours);
    const bare = new Sqlite(bareFile);
    bare.pragma("journal_mode = WAL");
    bare.pragma("synchronous = NORMAL");
    bare.pragma("busy_timeout = 5000");
    const insert = bare.prepare(INSERT_SQL);
    const bareTx = bare.transaction((batch: readonly SampleRow[]) => {
      for (const r of batch) insert.run(r.metricId, r.entityId, r.ts, r.value, r.source, r.drillId);
    });

    const rows: Row[] = [];
    const verdicts: Verdict[] = [];
    const notes: string[] = [];
    const writerLog = memoryLog("info");
    const raw: Record<string, { baseline: Result; insertSamples: Result; writer: Result; statements: Record<string, StatementStats> }> = {};
    // The side server's writer, on its own copy of the pre-filled file (as the server runs it: its thread checkpoints).
    const writer = await startSampleWriter(workerFile, { log: writerLog.log });
    // What the writer logged (a checkpoint failing, the thread restarting) belongs in the report.
    const writerNotes = () => writerLog.events.map((e) => e.msg);
    const rand = seededRandom(SEED + 2);
    let ts = START_MS + PREFILL_TICKS * SECOND;
    try {
      for (const load of LOADS) {
        const { batches, nextTs } = load.batches(pairs, ts, rand);
        ts = nextTs;
        const rowsPerTick = batches.reduce((n, b) => n + b.length, 0) / batches.length;

        // Baseline first, then the previous path (insertSamples on the loop), then the side server's writer thread, on the same rows.
        const base = await drive(batches, bareFile, (batch) => bareTx(batch));
        const wrap = wrapStatements(bare);
        let onLoop: Result;
        try {
          onLoop = await drive(batches, ours, (batch) => insertSamples(db, batch), wrap.perTick);
        } finally {
          wrap.restore();
        }
        // No WAL-header reads here (file null): with the writer in a thread they would wait on its writes and fsyncs, on the loop.
        const threaded = await drive(batches, null, (batch) => writer.insert(batch));
        raw[load.label] = { baseline: base, insertSamples: onLoop, writer: threaded, statements: Object.fromEntries(wrap.stats) };

        const line = (pathLabel: string, r: Result, block: string, checkpoints: string): Row => ({
          load: load.label,
          path: pathLabel,
          ticks: fmt(r.ticks, 0),
          "rows/tick": fmt(rowsPerTick, 0),
          "rows/s": fmt(r.rows / (r.writeMs / 1000), 0),
          "p50 ms": fmt(r.p50, 2),
          "p99 ms": fmt(r.p99, 2),
          "max ms": fmt(r.max, 2),
          "block ELD ms": fmt(r.probe.eldMs, 1),
          "block probe ms": fmt(r.probe.driftMs, 1),
          checkpoints,
          "block × baseline": block,
        });
        const blockOf = (r: Result) => Math.max(r.probe.eldMs, r.probe.driftMs);
        rows.push(line("baseline: bare better-sqlite3 on the loop, 1 tx", base, "1.00×", fmt(base.checkpoints, 0)));
        rows.push(line("before: insertSamples (Prisma) on the loop", onLoop, `${fmt(blockOf(onLoop) / base.max, 2)}×`, fmt(onLoop.checkpoints, 0)));
        rows.push(line("sample writer (worker thread)", threaded, `${fmt(blockOf(threaded) / base.max, 2)}×`, "in thread"));

        const stmts = [...wrap.stats.entries()].map(([k, st]) => `${k} ×${st.count} mean ${fmt(st.totalMs / st.count, 2)} / max ${fmt(st.maxMs, 2)} ms`).join("; ");
        notes.push(
          `${load.label}: ${load.what}. insertSamples on the loop — statements: ${stmts}; writes with an automatic checkpoint in their commit: ${onLoop.checkpoints} (max ${fmt(onLoop.maxWithCheckpoint, 2)} ms) vs without: max ${fmt(onLoop.maxWithout, 2)} ms. ` +
            `Writer thread: p50/p99/max are the round trip (post → committed → reply); longest gap while idle ${fmt(threaded.probe.driftIdleMs, 1)} ms, ELD p99 ${fmt(threaded.probe.eldP99Ms, 1)} ms, longest GC pause ${fmt(threaded.probe.gcMaxMs, 1)} ms (on the loop: ${fmt(onLoop.probe.gcMaxMs, 1)} ms).`,
        );
        if (load.required) {
          verdicts.push({
            target: `${load.label}: longest event-loop block while persisting ≤ ${BUDGET_MS} ms (a frame is never delayed more)`,
            figure: `${fmt(blockOf(threaded), 1)} ms with the writer thread (monitorEventLoopDelay ${fmt(threaded.probe.eldMs, 1)}, setInterval probe ${fmt(threaded.probe.driftMs, 1)}), ${threaded.ticks} writes of ~${fmt(rowsPerTick, 0)} rows, round trip p50 ${fmt(threaded.p50, 2)} / p99 ${fmt(threaded.p99, 2)} ms; = ${fmt(blockOf(threaded) / base.max, 2)}× the bare on-loop transaction's longest ${fmt(base.max, 2)} ms (insertSamples on the loop: ${fmt(blockOf(onLoop), 1)} ms)`,
            pass: blockOf(threaded) <= BUDGET_MS,
          });
        }
      }
    } finally {
      bare.close();
      await writer.close();
      notes.push(...writerNotes());
      await db.$disconnect();
    }

    return {
      rows,
      verdicts,
      notes: [
        `Pre-fill: ${fmt(filled.rows, 0)} rows (${PREFILL_TICKS} s of all ${fmt(pairs.length, 0)} catalog pairs, ${summaryPairs} of them city/district) in ${fmt(filled.ms / 1000, 1)} s, copied for the baseline. Each load: ≤ ${BOUNDS.maxTicks} writes or ${BOUNDS.maxWallMs / 1000} s, one every ${PACE_MS} ms (10× the real pace); baseline first, then insertSamples, same rows; timestamps continue across loads.`,
        `"block ELD" = monitorEventLoopDelay(resolution ${RESOLUTION_MS} ms) max − ${RESOLUTION_MS} ms over the whole load (writes and idle); "block probe" = the longest setInterval(…, ${RESOLUTION_MS}) gap − ${RESOLUTION_MS} ms overlapping a write. "block × baseline" = max(block ELD, block probe) ÷ the baseline's longest transaction (which blocks the loop throughout). rows/s = rows ÷ time spent writing (not paced). checkpoints = writes whose commit ran SQLite's automatic checkpoint (WAL ≥ 1,000 pages).`,
        ...notes,
      ],
      data: { seed: SEED, pairs: pairs.length, summaryPairs, paceMs: PACE_MS, bounds: BOUNDS, prefill: filled, budgetMs: BUDGET_MS, results: raw },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const writesBenchmark: Benchmark = {
  name: "writes",
  summary: "persisting at the default, heaviest and max-batch loads (bare driver, Prisma on the loop, the writer thread) — the longest event-loop block (≤ 10 ms)",
  run,
};
