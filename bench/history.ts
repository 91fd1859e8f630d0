/**
 * History at scale: with ≥ 10 million raw samples on disk, how fast does the query
 * behind /api/history answer a 24-hour and a 30-day range of one series?
 *
 * Load: a fresh SQLite file in the OS temp directory, migrated as at start-up, then
 * filled with better-sqlite3 directly (prepared INSERT, large transactions, WAL,
 * synchronous=OFF for the load only): 58 real catalog series (metric × entity pairs
 * the API accepts) × 1 sample/s × 48 h (the default raw retention) = 10,022,400 raw
 * rows, written in time order as the pipeline writes them, so one series' rows are
 * interleaved with the others'. 1-minute rollups cover 32 days: the 48 h of raw are
 * rolled up in SQL (INSERT…SELECT…GROUP BY, one hour per statement, as rollUpMinutes
 * does), the 30 days before are synthesised in time order; 1-hour rollups are
 * computed from the minutes. The file is deleted at the end.
 *
 * Measured, each over the same series and end times (varied over the last 22 h):
 * `queryHistory` exactly as app/api/history/route.ts calls it (planQuery with the
 * default retention and maxPoints 2,000, "now" = max(clock, to), through Prisma's
 * better-sqlite3 adapter); the same SQL through bare better-sqlite3 (what the adapter
 * costs); and the baseline, a bare primary-key range SELECT of the rows that range
 * covers in the table the plan reads (ts, value from raw; bucketTs, sum, count from
 * the 1-minute rollups).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Sqlite from "better-sqlite3";
import { ENTITIES, METRICS } from "../lib/catalog";
import { openDatabase } from "../lib/db/client";
import { queryHistory } from "../lib/db/history";
import { applyMigrations } from "../lib/db/migrate";
import { planQuery, RESOLUTION_MS, bucketStart, type QueryPlan } from "../lib/history/plan";
import { seededRandom } from "../lib/random";
import { fmt, type Benchmark, type Row, type Verdict } from "./lib";

const SEED = 1_020_000;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The defaults of RETENTION_RAW_HOURS / _MINUTE_DAYS / _HOUR_DAYS (lib/config.ts), as retentionOf() returns them. */
const RETENTION = { rawMs: 48 * HOUR, minuteMs: 90 * DAY, hourMs: 730 * DAY };
/** The API's default maxPoints (lib/history/query.ts). */
const MAX_POINTS = 2_000;

/** 58 series × 172,800 s = 10,022,400 raw rows. */
const SERIES = 58;
const RAW_SPAN_MS = RETENTION.rawMs;
/** Minute rollups synthesised before the raw period: enough for a 30-day range ending anywhere in the last 22 h. */
const OLDER_MINUTES_MS = 30 * DAY;
/**
 * Query end times are spread over this much of the most recent data: a 24 h range ending
 * earlier would start before "now − raw retention" and the plan would switch to 1 m rollups.
 */
const END_SPREAD_MS = 22 * HOUR;
/** Raw rows per load transaction. */
const SECONDS_PER_TRANSACTION = 600;

/** Every case: untimed warm-up runs, then at least `min` timed runs, up to `max` or the wall limit. */
const BOUNDS = { warmup: 5, min: 50, max: 200, maxWallMs: 15_000 };
/** Required of the 24 h and 30-day queries at p95. */
const TARGET_MS = 100;

interface Series {
  metricId: string;
  entityId: string;
  lo: number;
  span: number;
  phase: number;
}

/** Valid metric × entity pairs spread evenly over the catalog (the first is the city's congestion index). */
function pickSeries(): Series[] {
  const pairs = METRICS.flatMap((m) => ENTITIES.filter((e) => (m.entityKinds as readonly string[]).includes(e.kind)).map((e) => ({ m, e })));
  const rand = seededRandom(SEED);
  return Array.from({ length: SERIES }, (_, i) => {
    const { m, e } = pairs[Math.floor((i * pairs.length) / SERIES)] ?? pairs[0]!;
    const max = Math.min(m.range.max, m.range.min + 10_000);
    return { metricId: m.id, entityId: e.id, lo: m.range.min, span: max - m.range.min, phase: rand() * 2 * Math.PI };
  });
}

/** A daily rhythm plus noise, inside the metric's range. */
function valueAt(s: Series, ts: number, noise: number): number {
  const daily = Math.sin((2 * Math.PI * (ts % DAY)) / DAY + s.phase);
  return Math.round((s.lo + s.span * (0.45 + 0.3 * daily + 0.2 * noise)) * 100) / 100;
}

interface Load {
  rawRows: number;
  minuteRows: number;
  hourRows: number;
  rawMs: number;
  minuteFromRawMs: number;
  minuteSynthMs: number;
  hourMs: number;
  checkpointMs: number;
  totalMs: number;
  fileBytes: number;
}

function load(file: string, series: readonly Series[], rawStart: number, rawEnd: number): Load {
  const db = new Sqlite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const rand = seededRandom(SEED + 1);
  const t0 = performance.now();

  const insertRaw = db.prepare(`INSERT INTO "MetricSample" ("metricId","entityId","ts","value","source","drillId") VALUES (?,?,?,?,'sim',NULL)`);
  const rawChunk = db.transaction((from: number, to: number) => {
    for (let ts = from; ts < to; ts += SECOND) for (const s of series) insertRaw.run(s.metricId, s.entityId, ts, valueAt(s, ts, rand()));
  });
  for (let from = rawStart; from < rawEnd; from += SECONDS_PER_TRANSACTION * SECOND) rawChunk(from, Math.min(rawEnd, from + SECONDS_PER_TRANSACTION * SECOND));
  const t1 = performance.now();

  // The raw period's minutes, from raw, one hour per statement (rollUpMinutes does one minute per statement).
  const minutesFromRaw = db.prepare(
    `INSERT INTO "Rollup1m" ("metricId","entityId","bucketTs","min","max","sum","count")
     SELECT "metricId","entityId",("ts" / ${MINUTE}) * ${MINUTE},MIN("value"),MAX("value"),SUM("value"),COUNT(*) FROM "MetricSample"
     WHERE "ts" >= ? AND "ts" < ? GROUP BY "metricId","entityId",("ts" / ${MINUTE})`,
  );
  db.transaction(() => {
    for (let from = rawStart; from < rawEnd; from += HOUR) minutesFromRaw.run(from, from + HOUR);
  })();
  const t2 = performance.now();

  // The 30 days before: synthesised minutes, in time order.
  const insertMinute = db.prepare(`INSERT INTO "Rollup1m" ("metricId","entityId","bucketTs","min","max","sum","count") VALUES (?,?,?,?,?,?,60)`);
  const minuteChunk = db.transaction((from: number, to: number) => {
    for (let ts = from; ts < to; ts += MINUTE) {
      for (const s of series) {
        const avg = valueAt(s, ts, rand());
        const half = s.span * 0.05 * rand();
        insertMinute.run(s.metricId, s.entityId, ts, avg - half, avg + half, avg * 60);
      }
    }
  });
  for (let from = rawStart - OLDER_MINUTES_MS; from < rawStart; from += DAY) minuteChunk(from, from + DAY);
  const t3 = performance.now();

  db.prepare(
    `INSERT INTO "Rollup1h" ("metricId","entityId","bucketTs","min","max","sum","count")
     SELECT "metricId","entityId",("bucketTs" / ${HOUR}) * ${HOUR},MIN("min"),MAX("max"),SUM("sum"),SUM("count") FROM "Rollup1m"
     GROUP BY "metricId","entityId",("bucketTs" / ${HOUR})`,
  ).run();
  const t4 = performance.now();

  db.pragma("wal_checkpoint(TRUNCATE)");
  const t5 = performance.now();
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const rawRows = count("MetricSample");
  const minuteRows = count("Rollup1m");
  const hourRows = count("Rollup1h");
  db.close();
  return {
    rawRows,
    minuteRows,
    hourRows,
    rawMs: t1 - t0,
    minuteFromRawMs: t2 - t1,
    minuteSynthMs: t3 - t2,
    hourMs: t4 - t3,
    checkpointMs: t5 - t4,
    totalMs: t5 - t0,
    fileBytes: statSync(file).size,
  };
}

interface Query {
  metricId: string;
  entityId: string;
  from: number;
  to: number;
  plan: QueryPlan;
}

interface Timing {
  runs: number;
  /** Mean rows (points) returned per run. */
  rows: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Runs `body` over `queries` (cycling), warm-up first; returns wall-time percentiles of single runs. */
async function time(queries: readonly Query[], body: (q: Query) => Promise<number> | number): Promise<Timing> {
  for (let i = 0; i < BOUNDS.warmup; i++) await body(queries[queries.length - 1 - (i % queries.length)]!);
  const durations: number[] = [];
  let rows = 0;
  const t0 = performance.now();
  while (durations.length < BOUNDS.min || (durations.length < BOUNDS.max && performance.now() - t0 < BOUNDS.maxWallMs)) {
    const q = queries[durations.length % queries.length]!;
    const start = performance.now();
    rows += await body(q);
    durations.push(performance.now() - start);
  }
  const sorted = durations.sort((a, b) => a - b);
  return { runs: sorted.length, rows: rows / sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? 0 };
}

/** queryHistory's SQL (lib/db/history.ts), for bare better-sqlite3. */
function historySql(resolution: QueryPlan["resolution"]): string {
  return resolution === "raw"
    ? `SELECT CAST(("ts" - ?) / ? AS INTEGER) AS b, AVG("value") AS avg, MIN("value") AS min, MAX("value") AS max, COUNT(*) AS n
       FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" >= ? AND "ts" < ? GROUP BY b ORDER BY b`
    : `SELECT CAST(("bucketTs" - ?) / ? AS INTEGER) AS b, SUM("sum") / SUM("count") AS avg, MIN("min") AS min, MAX("max") AS max, SUM("count") AS n
       FROM "${resolution === "1m" ? "Rollup1m" : "Rollup1h"}" WHERE "metricId" = ? AND "entityId" = ? AND "bucketTs" >= ? AND "bucketTs" < ? GROUP BY b ORDER BY b`;
}

/** The baseline: the bare primary-key range over the table the plan reads. */
function baselineSql(resolution: QueryPlan["resolution"]): string {
  return resolution === "raw"
    ? `SELECT "ts", "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" >= ? AND "ts" < ?`
    : `SELECT "bucketTs", "sum", "count" FROM "${resolution === "1m" ? "Rollup1m" : "Rollup1h"}" WHERE "metricId" = ? AND "entityId" = ? AND "bucketTs" >= ? AND "bucketTs" < ?`;
}

interface Case {
  label: string;
  rangeMs: number;
  /** Judged against TARGET_MS at p95. */
  required: boolean;
}

const CASES: readonly Case[] = [
  { label: "1 h", rangeMs: HOUR, required: false },
  { label: "24 h", rangeMs: DAY, required: true },
  { label: "7 d", rangeMs: 7 * DAY, required: false },
  { label: "30 d", rangeMs: 30 * DAY, required: true },
];

async function run() {
  const series = pickSeries();
  const dir = mkdtempSync(path.join(tmpdir(), "onescreen-bench-history-"));
  const file = path.join(dir, "history.db");
  try {
    // Data up to the current minute, so the plan sees it as recent, as the API would.
    const rawEnd = bucketStart(Date.now(), MINUTE);
    const rawStart = rawEnd - RAW_SPAN_MS;

    const m0 = performance.now();
    await applyMigrations(file);
    const migrateMs = performance.now() - m0;
    const loaded = load(file, series, rawStart, rawEnd);
    console.log(
      `loaded ${fmt(loaded.rawRows, 0)} raw rows in ${fmt(loaded.rawMs / 1000, 1)} s, ${fmt(loaded.minuteRows, 0)} 1 m + ${fmt(loaded.hourRows, 0)} 1 h rollups; total ${fmt(loaded.totalMs / 1000, 1)} s, file ${fmt(loaded.fileBytes / 2 ** 30, 2)} GiB`,
    );

    const db = await openDatabase(file);
    const bare = new Sqlite(file, { readonly: true, fileMustExist: true });
    const rows: Row[] = [];
    const verdicts: Verdict[] = [];
    const plans: Record<string, { plan: QueryPlan; sql: string; explain: unknown[] }> = {};
    const raw: Record<string, Record<string, Timing>> = {};
    try {
      for (const c of CASES) {
        // End times spread over the most recent 22 h (to the second), series cycling: no two runs read the same rows.
        const rand = seededRandom(SEED + c.rangeMs / MINUTE);
        const queries: Query[] = Array.from({ length: BOUNDS.max }, (_, i) => {
          const s = series[(i * 7) % series.length]!;
          const to = rawEnd - Math.floor(rand() * (END_SPREAD_MS / SECOND)) * SECOND;
          const from = to - c.rangeMs;
          // As the route: plan against whichever is later, the clock or `to`.
          const plan = planQuery({ from, to, now: Math.max(Date.now(), to), maxPoints: MAX_POINTS, retention: RETENTION });
          return { metricId: s.metricId, entityId: s.entityId, from, to, plan };
        });
        const first = queries[0]!;
        const { resolution, bucketMs } = first.plan;
        if (queries.some((q) => q.plan.resolution !== resolution || q.plan.bucketMs !== bucketMs)) throw new Error(`${c.label}: the plan varies between runs`);

        const history = bare.prepare(historySql(resolution));
        const baseline = bare.prepare(baselineSql(resolution));
        const origin = (q: Query) => (resolution === "raw" ? q.from : bucketStart(q.from, RESOLUTION_MS[resolution]));
        const explain = bare.prepare(`EXPLAIN QUERY PLAN ${historySql(resolution)}`).all(origin(first), bucketMs, first.metricId, first.entityId, origin(first), first.to);
        plans[c.label] = { plan: first.plan, sql: historySql(resolution).replace(/\s+/g, " "), explain };

        // Baseline first, then the same SQL bare, then the real path.
        const base = await time(queries, (q) => baseline.all(q.metricId, q.entityId, origin(q), q.to).length);
        const sameSql = await time(queries, (q) => history.all(origin(q), bucketMs, q.metricId, q.entityId, origin(q), q.to).length);
        const real = await time(queries, async (q) => (await queryHistory(db, q)).length);
        raw[c.label] = { baseline: base, bareSql: sameSql, queryHistory: real };

        const plan = `${resolution}, ${bucketMs / SECOND} s buckets`;
        const line = (path: string, t: Timing, returned: string): Row => ({
          range: c.label,
          path,
          plan,
          runs: fmt(t.runs, 0),
          returned,
          "p50 ms": fmt(t.p50, 2),
          "p95 ms": fmt(t.p95, 2),
          "p99 ms": fmt(t.p99, 2),
          "max ms": fmt(t.max, 2),
          "p95 × baseline": `${fmt(t.p95 / base.p95, 2)}×`,
        });
        rows.push(line("baseline: bare PK range SELECT", base, `${fmt(base.rows, 0)} rows`));
        rows.push(line("same SQL, bare better-sqlite3", sameSql, `${fmt(sameSql.rows, 0)} points`));
        rows.push(line("queryHistory (Prisma adapter)", real, `${fmt(real.rows, 0)} points`));
        if (c.required) {
          verdicts.push({
            target: `${c.label} query of one series p95 < ${TARGET_MS} ms`,
            figure: `p95 ${fmt(real.p95, 2)} ms (p50 ${fmt(real.p50, 2)}, p99 ${fmt(real.p99, 2)}, ${real.runs} runs, ~${fmt(real.rows, 0)} points from ${resolution}) = ${fmt(real.p95 / base.p95, 2)}× the bare PK range SELECT's p95 ${fmt(base.p95, 2)} ms`,
            pass: real.p95 < TARGET_MS,
          });
        }
      }
    } finally {
      bare.close();
      await db.$disconnect();
    }

    return {
      rows,
      verdicts,
      notes: [
        `load: ${fmt(loaded.rawRows, 0)} raw rows (${SERIES} series × 1 Hz × ${RAW_SPAN_MS / HOUR} h, time order) in ${fmt(loaded.rawMs / 1000, 1)} s (${fmt(loaded.rawRows / (loaded.rawMs / 1000), 0)} rows/s); 1 m rollups from raw ${fmt(loaded.minuteFromRawMs / 1000, 1)} s, ${fmt(OLDER_MINUTES_MS / DAY, 0)} days synthesised ${fmt(loaded.minuteSynthMs / 1000, 1)} s (${fmt(loaded.minuteRows, 0)} rows), 1 h rollups ${fmt(loaded.hourMs / 1000, 1)} s (${fmt(loaded.hourRows, 0)} rows), checkpoint ${fmt(loaded.checkpointMs / 1000, 1)} s; total ${fmt(loaded.totalMs / 1000, 1)} s plus ${fmt(migrateMs / 1000, 1)} s of migrations. File: ${fmt(loaded.fileBytes / 2 ** 30, 2)} GiB (${fmt(loaded.fileBytes / loaded.rawRows, 0)} bytes per raw row, rollups included).`,
        `Each case: ${BOUNDS.warmup} warm-up runs, then ${BOUNDS.min}–${BOUNDS.max} timed runs (≤ ${BOUNDS.maxWallMs / 1000} s), one series per run (cycling over the ${SERIES}), "to" at random seconds over the most recent ${END_SPREAD_MS / HOUR} h of data; the plan is planQuery with the default retention and maxPoints ${MAX_POINTS}, as app/api/history/route.ts. "p95 × baseline" = p95 ÷ the bare PK range SELECT's p95 over the same ranges; "returned" is the mean per run.`,
        ...Object.entries(plans).map(([label, p]) => `query plan (${label}): ${p.explain.map((r) => (r as { detail: string }).detail).join("; ")}`),
      ],
      data: { seed: SEED, series: series.map((s) => `${s.metricId}/${s.entityId}`), rawStart, rawEnd, retention: RETENTION, maxPoints: MAX_POINTS, bounds: BOUNDS, load: { ...loaded, migrateMs }, plans, timings: raw },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const historyBenchmark: Benchmark = {
  name: "history",
  summary: "/api/history's query over ≥ 10 M raw samples and 30 days of rollups — 24 h and 30-day ranges of one series, p95",
  run,
};
