/**
 * History at scale: with ≥ 10 million raw samples on disk, how fast does the query
 * behind /api/history answer a 24-hour and a 30-day range of one series, on SQLite and,
 * in the same run, on PostgreSQL?
 *
 * Data, the same rows on both (one seeded generator, run once per database): 58 real
 * catalog series (metric × entity pairs the API accepts) × 1 sample/s × 48 h (the default
 * raw retention) = 10,022,400 raw rows, in time order as the pipeline writes them, so one
 * series' rows are interleaved with the others'. 1-minute rollups cover 32 days: the 48 h
 * of raw are rolled up in SQL (INSERT…SELECT…GROUP BY, one hour per statement, as
 * rollUpMinutes does per minute), the 30 days before are synthesised in time order;
 * 1-hour rollups are computed from the minutes.
 *
 * SQLite: a fresh file in the OS temp directory, migrated as at start-up, filled with
 * better-sqlite3 directly (prepared INSERT, 600-second transactions, WAL, synchronous=OFF
 * for the load only), checkpointed; the file is deleted at the end.
 *
 * PostgreSQL (BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres, a
 * user allowed to CREATE DATABASE): a scratch database made for this run, migrated as at
 * start-up (day partitions of MetricSample), dropped at the end, on failure and on
 * SIGINT/SIGTERM too. Unreachable, the run says so in one line and measures SQLite only.
 * Raw rows go in through the side server's write path (lib/db/samples.ts sampleInserts:
 * multi-row INSERT … ON CONFLICT DO NOTHING, 1,000 rows per statement; each second's rows
 * sorted by key as server/postgres-sample-writer.ts sorts a batch; day partitions made
 * first by ensurePartitions), one transaction per 600 s of data as on SQLite, over two
 * connections (the writer's pool size) with synchronous_commit=off for the load only, no
 * COPY. Synthesised minutes: multi-row INSERTs likewise. Then VACUUM (ANALYZE) and a
 * CHECKPOINT, as a server's autovacuum would have done by then.
 *
 * Measured, each over the same series and end times (varied over the last 22 h), per
 * database: `queryHistory` exactly as app/api/history/route.ts calls it (planQuery with the
 * default retention and maxPoints 2,000, "now" = max(clock, to), through Prisma's driver
 * adapter); the same SQL through the bare driver (better-sqlite3; pg with one connection —
 * what the adapter costs); and the baseline, a bare primary-key range SELECT of the rows
 * that range covers in the table the plan reads (ts, value from raw; bucketTs, sum, count
 * from the 1-minute rollups; pg hands timestamps over as text, not parsed into Dates). Each
 * database's "× baseline" is against its own baseline; "PG ÷ SQLite" compares the two.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { ENTITIES, METRICS } from "../lib/catalog";
import { describeTarget } from "../lib/config";
import { openDatabase, type Database } from "../lib/db/client";
import { postgres, sqlite, type Dialect } from "../lib/db/dialect";
import { bucketOrigin, historyStatement, queryHistory, type HistoryQuery } from "../lib/db/history";
import { DEFAULT_POSTGRES_SERVER, applyMigrations } from "../lib/db/migrate";
import { daysOf, ensurePartitions } from "../lib/db/partitions";
import { createDatabase, dropDatabase, scratchDatabaseName } from "../lib/db/postgres-admin";
import { byKey, sampleInserts, type SampleRow } from "../lib/db/samples";
import { planQuery, bucketStart, type QueryPlan } from "../lib/history/plan";
import type { HistoryPoint } from "../lib/history/series";
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
/** PostgreSQL load: connections writing transactions side by side (server/postgres-sample-writer.ts has a pool of two). */
const PG_LOAD_CONNECTIONS = 2;
/** PostgreSQL load: rows per multi-row INSERT of synthesised minutes (as sampleInserts' 1,000 for raw). */
const PG_ROWS_PER_STATEMENT = 1_000;

/** Every case: untimed warm-up runs, then at least `min` timed runs, up to `max` or the wall limit. */
const BOUNDS = { warmup: 5, min: 50, max: 200, maxWallMs: 15_000 };
/** Required of the 24 h and 30-day queries at p95. */
const TARGET_MS = 100;

type DbName = "SQLite" | "PostgreSQL";

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

/**
 * The data, generated the same way for each database: one generator per load, seeded
 * alike, consumed in the same order (raw seconds oldest first, then the synthesised
 * minutes oldest first, series in the same order within each instant), so both get
 * identical rows whatever they do with them.
 */
class Generator {
  private readonly rand = seededRandom(SEED + 1);
  constructor(private readonly series: readonly Series[]) {}

  /** The raw samples of [from, to): calls `row` per sample, second by second, series in order. */
  raw(from: number, to: number, row: (s: Series, ts: number, value: number) => void): void {
    for (let ts = from; ts < to; ts += SECOND) for (const s of this.series) row(s, ts, valueAt(s, ts, this.rand()));
  }

  /** The synthesised 1-minute rollups of [from, to): calls `row` per bucket (count is always 60). */
  minutes(from: number, to: number, row: (s: Series, ts: number, min: number, max: number, sum: number) => void): void {
    for (let ts = from; ts < to; ts += MINUTE) {
      for (const s of this.series) {
        const avg = valueAt(s, ts, this.rand());
        const half = s.span * 0.05 * this.rand();
        row(s, ts, avg - half, avg + half, avg * 60);
      }
    }
  }
}

interface Load {
  rawRows: number;
  minuteRows: number;
  hourRows: number;
  migrateMs: number;
  rawMs: number;
  minuteFromRawMs: number;
  minuteSynthMs: number;
  hourMs: number;
  /** SQLite: wal_checkpoint(TRUNCATE). PostgreSQL: VACUUM (ANALYZE) and CHECKPOINT. */
  finishMs: number;
  /** From the first raw row to the end of finishing (migrations not included). */
  totalMs: number;
  /** The SQLite file, or pg_database_size. */
  bytes: number;
}

/** The load's phases from their boundaries: raw rows, minutes from raw, synthesised minutes, hours, finishing. */
function phaseTimes(...[t0, t1, t2, t3, t4, t5]: [number, number, number, number, number, number]): Pick<Load, "rawMs" | "minuteFromRawMs" | "minuteSynthMs" | "hourMs" | "finishMs" | "totalMs"> {
  return { rawMs: t1 - t0, minuteFromRawMs: t2 - t1, minuteSynthMs: t3 - t2, hourMs: t4 - t3, finishMs: t5 - t4, totalMs: t5 - t0 };
}

function loadSqlite(file: string, series: readonly Series[], rawStart: number, rawEnd: number): Omit<Load, "migrateMs"> {
  const db = new Sqlite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const data = new Generator(series);
  const t0 = performance.now();

  const insertRaw = db.prepare(`INSERT INTO "MetricSample" ("metricId","entityId","ts","value","source","drillId") VALUES (?,?,?,?,'sim',NULL)`);
  const rawChunk = db.transaction((from: number, to: number) => data.raw(from, to, (s, ts, value) => insertRaw.run(s.metricId, s.entityId, ts, value)));
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
  const minuteChunk = db.transaction((from: number, to: number) => data.minutes(from, to, (s, ts, min, max, sum) => insertMinute.run(s.metricId, s.entityId, ts, min, max, sum)));
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
    ...phaseTimes(t0, t1, t2, t3, t4, t5),
    bytes: statSync(file).size,
  };
}

/**
 * Runs `next()` items through `write` on every connection side by side until `next` returns
 * undefined. `next` runs synchronously in turn, so items are generated in order whatever the
 * interleaving of the writes. The first error stops the other connections after their item.
 */
async function pump<T>(clients: readonly pg.Client[], next: () => T | undefined, write: (client: pg.Client, item: T) => Promise<void>): Promise<void> {
  let failed = false;
  const results = await Promise.allSettled(
    clients.map(async (client) => {
      try {
        for (let item = failed ? undefined : next(); item !== undefined; item = failed ? undefined : next()) await write(client, item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (rejected) throw rejected.reason;
}

async function inTransaction(client: pg.Client, statements: readonly { sql: string; params: unknown[] }[]): Promise<void> {
  await client.query("BEGIN");
  try {
    for (const { sql, params } of statements) await client.query(sql, params);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function loadPostgres(url: string, series: readonly Series[], rawStart: number, rawEnd: number): Promise<Omit<Load, "migrateMs">> {
  const clients = Array.from({ length: PG_LOAD_CONNECTIONS }, () => new pg.Client({ connectionString: url }));
  for (const client of clients) client.on("error", () => undefined); // the query under way fails instead
  try {
    for (const client of clients) {
      await client.connect();
      await client.query("SET synchronous_commit = off"); // the load only, as SQLite's synchronous = OFF
    }
    const [main] = clients as [pg.Client];
    const d = postgres;
    const data = new Generator(series);
    // The writer sorts each batch by key; here a batch is one second of every series.
    const asRow = (s: Series): SampleRow => ({ metricId: s.metricId as SampleRow["metricId"], entityId: s.entityId, ts: 0, value: 0, source: "sim", drillId: null });
    const order = series.map((_, i) => i).sort((a, b) => byKey(asRow(series[a]!), asRow(series[b]!)));
    const partitions = new Set<number>();
    const t0 = performance.now();

    let rawFrom = rawStart;
    await pump(
      clients,
      () => {
        if (rawFrom >= rawEnd) return undefined;
        const to = Math.min(rawEnd, rawFrom + SECONDS_PER_TRANSACTION * SECOND);
        const rows: SampleRow[] = [];
        let second: SampleRow[] = [];
        data.raw(rawFrom, to, (s, ts, value) => {
          second.push({ metricId: s.metricId as SampleRow["metricId"], entityId: s.entityId, ts, value, source: "sim", drillId: null });
          if (second.length === series.length) {
            for (const i of order) rows.push(second[i]!);
            second = [];
          }
        });
        rawFrom = to;
        return rows;
      },
      async (client, rows) => {
        await ensurePartitions((sql) => client.query(sql), partitions, daysOf(rows));
        await inTransaction(client, sampleInserts(rows, d));
      },
    );
    const t1 = performance.now();

    // The raw period's minutes, from raw, one hour per statement.
    const minute = `date_trunc('minute', "ts")`;
    const minutesFromRaw = d.sql(
      `INSERT INTO "Rollup1m" ("metricId","entityId","bucketTs","min","max","sum","count")
       SELECT "metricId","entityId",${minute},MIN("value"),MAX("value"),SUM("value"),COUNT(*) FROM "MetricSample"
       WHERE "ts" >= ${d.time("?")} AND "ts" < ${d.time("?")} GROUP BY "metricId","entityId",${minute}`,
    );
    const hours: { sql: string; params: unknown[] }[] = [];
    for (let from = rawStart; from < rawEnd; from += HOUR) hours.push({ sql: minutesFromRaw, params: [from, from + HOUR] });
    await inTransaction(main, hours);
    const t2 = performance.now();

    // The 30 days before: synthesised minutes, in time order, a day per transaction.
    const minuteRow = `(?,?,${d.time("?")},?,?,?,60)`;
    let dayFrom = rawStart - OLDER_MINUTES_MS;
    await pump(
      clients,
      () => {
        if (dayFrom >= rawStart) return undefined;
        const params: (string | number)[] = [];
        data.minutes(dayFrom, dayFrom + DAY, (s, ts, min, max, sum) => params.push(s.metricId, s.entityId, ts, min, max, sum));
        dayFrom += DAY;
        const statements: { sql: string; params: unknown[] }[] = [];
        const perRow = 6;
        for (let i = 0; i < params.length; i += PG_ROWS_PER_STATEMENT * perRow) {
          const chunk = params.slice(i, i + PG_ROWS_PER_STATEMENT * perRow);
          const values = Array.from({ length: chunk.length / perRow }, () => minuteRow).join(",");
          statements.push({ sql: d.sql(`INSERT INTO "Rollup1m" ("metricId","entityId","bucketTs","min","max","sum","count") VALUES ${values}`), params: chunk });
        }
        return statements;
      },
      (client, statements) => inTransaction(client, statements),
    );
    const t3 = performance.now();

    const hour = `date_trunc('hour', "bucketTs")`;
    await main.query(
      `INSERT INTO "Rollup1h" ("metricId","entityId","bucketTs","min","max","sum","count")
       SELECT "metricId","entityId",${hour},MIN("min"),MAX("max"),SUM("sum"),SUM("count") FROM "Rollup1m"
       GROUP BY "metricId","entityId",${hour}`,
    );
    const t4 = performance.now();

    await main.query(`VACUUM (ANALYZE) "MetricSample", "Rollup1m", "Rollup1h"`);
    await main.query("CHECKPOINT");
    const t5 = performance.now();
    const count = async (table: string) => Number((await main.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`)).rows[0]?.n ?? 0);
    const size = await main.query<{ n: string }>(`SELECT pg_database_size(current_database()) AS n`);
    return {
      rawRows: await count("MetricSample"),
      minuteRows: await count("Rollup1m"),
      hourRows: await count("Rollup1h"),
      ...phaseTimes(t0, t1, t2, t3, t4, t5),
      bytes: Number(size.rows[0]?.n ?? 0),
    };
  } finally {
    for (const client of clients) await client.end().catch(() => undefined);
  }
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
async function time(queries: readonly HistoryQuery[], body: (q: HistoryQuery) => Promise<number> | number): Promise<Timing> {
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

const rollupTable = (resolution: QueryPlan["resolution"]) => (resolution === "1m" ? "Rollup1m" : "Rollup1h");

/** The baseline: the bare primary-key range over the table the plan reads. Parameters: metric, entity, from, to. */
function baselineSql(d: Dialect, resolution: QueryPlan["resolution"]): string {
  return d.sql(
    resolution === "raw"
      ? `SELECT "ts", "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" >= ${d.time("?")} AND "ts" < ${d.time("?")}`
      : `SELECT "bucketTs", "sum", "count" FROM "${rollupTable(resolution)}" WHERE "metricId" = ? AND "entityId" = ? AND "bucketTs" >= ${d.time("?")} AND "bucketTs" < ${d.time("?")}`,
  );
}

/** One case's bare-driver statements on one database. */
interface BareCase {
  baseline(q: HistoryQuery, origin: number): Promise<number> | number;
  history(q: HistoryQuery): Promise<number> | number;
  /** The query plan of the history SQL, in one line. */
  explain(q: HistoryQuery): Promise<string> | string;
}

interface Target {
  name: DbName;
  /** "better-sqlite3" or "pg". */
  driver: string;
  db: Database;
  bare(resolution: QueryPlan["resolution"]): BareCase;
  close(): Promise<void>;
}

function sqliteTarget(file: string, db: Database): Target {
  const bare = new Sqlite(file, { readonly: true, fileMustExist: true });
  return {
    name: "SQLite",
    driver: "better-sqlite3",
    db,
    bare(resolution) {
      const statement = historyStatement(sqlite, resolution);
      const history = bare.prepare(statement.sql);
      const baseline = bare.prepare(baselineSql(sqlite, resolution));
      return {
        baseline: (q, origin) => baseline.all(q.metricId, q.entityId, origin, q.to).length,
        history: (q) => history.all(...statement.params(q)).length,
        explain: (q) =>
          bare
            .prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
            .all(...statement.params(q))
            .map((r) => (r as { detail: string }).detail)
            .join("; "),
      };
    },
    async close() {
      bare.close();
      await db.$disconnect();
    },
  };
}

const TIMESTAMP_OID = 1114;

interface PgPlanNode {
  "Node Type": string;
  Strategy?: string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Heap Fetches"?: number;
  "Exact Heap Blocks"?: number;
  "Subplans Removed"?: number;
  Plans?: PgPlanNode[];
}

/** EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) in one line: each node with what it read, children after "←". */
function describePgPlan(explained: { Plan: PgPlanNode & { "Shared Hit Blocks"?: number; "Shared Read Blocks"?: number }; "Execution Time"?: number }): string {
  const node = (n: PgPlanNode): string => {
    const extras = [
      n["Actual Rows"] !== undefined ? `${fmt(n["Actual Rows"] * (n["Actual Loops"] ?? 1), 0)} rows` : "",
      n["Heap Fetches"] !== undefined ? `heap fetches ${fmt(n["Heap Fetches"], 0)}` : "",
      n["Exact Heap Blocks"] !== undefined ? `heap blocks ${fmt(n["Exact Heap Blocks"], 0)}` : "",
      n["Subplans Removed"] ? `${n["Subplans Removed"]} partitions pruned at run time` : "",
    ].filter(Boolean);
    const label = `${n.Strategy && n.Strategy !== "Plain" ? `${n.Strategy} ` : ""}${n["Node Type"]}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""}${n["Relation Name"] ? ` on ${n["Relation Name"]}` : ""}`;
    const children = n.Plans ?? [];
    return `${label}${extras.length ? ` (${extras.join(", ")})` : ""}${children.length ? ` ← ${children.length > 1 ? `[${children.map(node).join(" + ")}]` : node(children[0]!)}` : ""}`;
  };
  const p = explained.Plan;
  return `${node(p)}; buffers hit ${fmt(p["Shared Hit Blocks"] ?? 0, 0)}, read ${fmt(p["Shared Read Blocks"] ?? 0, 0)}; ${fmt(explained["Execution Time"] ?? 0, 1)} ms`;
}

async function postgresTarget(url: string, db: Database): Promise<Target> {
  // Bare: one connection, pg's own parsing of results except timestamps, kept as text (as
  // SQLite's epoch-ms integers are kept as they are), so the baseline measures reading rows.
  const bare = new pg.Client({
    connectionString: url,
    types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === TIMESTAMP_OID ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  bare.on("error", () => undefined);
  await bare.connect();
  return {
    name: "PostgreSQL",
    driver: "pg",
    db,
    bare(resolution) {
      const history = historyStatement(postgres, resolution);
      const baseline = baselineSql(postgres, resolution);
      return {
        baseline: async (q, origin) => (await bare.query(baseline, [q.metricId, q.entityId, origin, q.to])).rowCount ?? 0,
        history: async (q) => (await bare.query(history.sql, history.params(q))).rowCount ?? 0,
        explain: async (q) => {
          const result = await bare.query<{ "QUERY PLAN": Parameters<typeof describePgPlan>[0][] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${history.sql}`, history.params(q));
          const plan = result.rows[0]?.["QUERY PLAN"][0];
          return plan ? describePgPlan(plan) : "(no plan)";
        },
      };
    },
    async close() {
      await bare.end().catch(() => undefined);
      await db.$disconnect();
    },
  };
}

/** Whether two answers are the same points (sums in another order may differ in the last bits). */
function samePoints(a: readonly HistoryPoint[], b: readonly HistoryPoint[]): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return a.length === b.length && a.every((p, i) => p.every((v, j) => close(v, b[i]![j]!)));
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

const PATHS = ["baseline: bare PK range SELECT", "same SQL, bare driver", "queryHistory (Prisma adapter)"] as const;
type PathName = (typeof PATHS)[number];

/** The PostgreSQL server to make the scratch database on. */
const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_SERVER;

/** A scratch PostgreSQL database for this run, or null (said in one line) when the server cannot be used. */
async function scratchPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const where = describeTarget({ provider: "postgresql", url: POSTGRES_SERVER });
  const name = scratchDatabaseName("onescreen_bench_history");
  try {
    const url = await createDatabase(POSTGRES_SERVER, name);
    let dropped: Promise<void> | undefined;
    return { url, drop: () => (dropped ??= dropDatabase(POSTGRES_SERVER, name)) };
  } catch (error) {
    console.log(`PostgreSQL not reachable at ${where} (${error instanceof Error ? error.message : String(error)}): measuring SQLite only`);
    return null;
  }
}

async function run() {
  const series = pickSeries();
  const dir = mkdtempSync(path.join(tmpdir(), "onescreen-bench-history-"));
  const file = path.join(dir, "history.db");
  const scratch = await scratchPostgres();
  // Interrupted (Ctrl-C), the scratch database is still dropped.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: dropping the scratch PostgreSQL database`);
    rmSync(dir, { recursive: true, force: true });
    void (scratch?.drop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const targets: Target[] = [];
  try {
    // Data up to the current minute, so the plan sees it as recent, as the API would.
    const rawEnd = bucketStart(Date.now(), MINUTE);
    const rawStart = rawEnd - RAW_SPAN_MS;

    const loads: Partial<Record<DbName, Load>> = {};
    const m0 = performance.now();
    await applyMigrations(file);
    const sqliteMigrateMs = performance.now() - m0;
    loads.SQLite = { ...loadSqlite(file, series, rawStart, rawEnd), migrateMs: sqliteMigrateMs };
    targets.push(sqliteTarget(file, await openDatabase(file)));
    if (scratch) {
      const target = { provider: "postgresql", url: scratch.url } as const;
      const p0 = performance.now();
      await applyMigrations(target);
      const migrateMs = performance.now() - p0;
      loads.PostgreSQL = { ...(await loadPostgres(scratch.url, series, rawStart, rawEnd)), migrateMs };
      targets.push(await postgresTarget(scratch.url, await openDatabase(target)));
    }
    for (const [name, l] of Object.entries(loads)) {
      console.log(
        `${name}: loaded ${fmt(l.rawRows, 0)} raw rows in ${fmt(l.rawMs / 1000, 1)} s, ${fmt(l.minuteRows, 0)} 1 m + ${fmt(l.hourRows, 0)} 1 h rollups; total ${fmt(l.totalMs / 1000, 1)} s, ${fmt(l.bytes / 2 ** 30, 2)} GiB`,
      );
    }

    const rows: Row[] = [];
    const verdicts: Verdict[] = [];
    const plans: Record<string, { plan: QueryPlan; explain: Partial<Record<DbName, { sql: string; plan: string }>> }> = {};
    const timings: Record<string, Partial<Record<DbName, Record<PathName, Timing>>>> = {};
    const agreement: string[] = [];
    for (const c of CASES) {
      // End times spread over the most recent 22 h (to the second), series cycling: no two runs read the same rows.
      const rand = seededRandom(SEED + c.rangeMs / MINUTE);
      const queries: HistoryQuery[] = Array.from({ length: BOUNDS.max }, (_, i) => {
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
      plans[c.label] = { plan: first.plan, explain: {} };
      timings[c.label] = {};

      // Same data, same answer: the first query's points from every database.
      const answers = await Promise.all(targets.map((t) => queryHistory(t.db, first)));
      if (answers.length > 1) {
        const same = answers.every((a) => samePoints(a, answers[0]!));
        agreement.push(`${c.label}: ${same ? `same ${fmt(answers[0]!.length, 0)} points` : `DIFFERENT answers (${answers.map((a) => a.length).join(" vs ")} points)`}`);
      }

      const byTarget: Partial<Record<DbName, Record<PathName, Timing>>> = {};
      for (const t of targets) {
        const bare = t.bare(resolution);
        plans[c.label]!.explain[t.name] = { sql: historyStatement(t.name === "SQLite" ? sqlite : postgres, resolution).sql.replace(/\s+/g, " "), plan: await bare.explain(first) };
        // Baseline first, then the same SQL bare, then the real path.
        const base = await time(queries, (q) => bare.baseline(q, bucketOrigin(q.from, resolution)));
        const sameSql = await time(queries, (q) => bare.history(q));
        const real = await time(queries, async (q) => (await queryHistory(t.db, q)).length);
        byTarget[t.name] = { [PATHS[0]]: base, [PATHS[1]]: sameSql, [PATHS[2]]: real };
        if (c.required) {
          verdicts.push({
            target: `${t.name}: ${c.label} query of one series p95 < ${TARGET_MS} ms`,
            figure: `p95 ${fmt(real.p95, 2)} ms (p50 ${fmt(real.p50, 2)}, p99 ${fmt(real.p99, 2)}, ${real.runs} runs, ~${fmt(real.rows, 0)} points from ${resolution}) = ${fmt(real.p95 / base.p95, 2)}× the bare PK range SELECT's p95 ${fmt(base.p95, 2)} ms`,
            pass: real.p95 < TARGET_MS,
          });
        }
      }
      timings[c.label] = byTarget;

      const plan = `${resolution}, ${bucketMs / SECOND} s buckets`;
      for (const p of PATHS) {
        const of = targets.map((t) => byTarget[t.name]![p]);
        const joined = (f: (t: Timing) => string) => [...new Set(of.map(f))].join(" / ");
        const unit = p === PATHS[0] ? "rows" : "points";
        const row: Row = { range: c.label, path: p, plan, runs: joined((t) => fmt(t.runs, 0)), returned: `${joined((t) => fmt(t.rows, 0))} ${unit}` };
        for (const t of targets) {
          const own = byTarget[t.name]!;
          const timing = own[p];
          const short = t.name === "SQLite" ? "SQLite" : "PG";
          row[`${short} p50 ms`] = fmt(timing.p50, 2);
          row[`${short} p95 ms`] = fmt(timing.p95, 2);
          row[`${short} p99 ms`] = fmt(timing.p99, 2);
          row[`${short} max ms`] = fmt(timing.max, 2);
          row[`${short} p95 × baseline`] = `${fmt(timing.p95 / own[PATHS[0]].p95, 2)}×`;
        }
        const sq = byTarget.SQLite?.[p];
        const pgT = byTarget.PostgreSQL?.[p];
        if (sq && pgT) row["PG p95 ÷ SQLite p95"] = `${fmt(pgT.p95 / sq.p95, 2)}×`;
        rows.push(row);
      }
    }

    const loadNote = (name: DbName, l: Load) =>
      `${name} load: ${fmt(l.rawRows, 0)} raw rows (${SERIES} series × 1 Hz × ${RAW_SPAN_MS / HOUR} h, time order) in ${fmt(l.rawMs / 1000, 1)} s (${fmt(l.rawRows / (l.rawMs / 1000), 0)} rows/s); 1 m rollups from raw ${fmt(l.minuteFromRawMs / 1000, 1)} s, ${fmt(OLDER_MINUTES_MS / DAY, 0)} days synthesised ${fmt(l.minuteSynthMs / 1000, 1)} s (${fmt(l.minuteRows, 0)} rows), 1 h rollups ${fmt(l.hourMs / 1000, 1)} s (${fmt(l.hourRows, 0)} rows), ${name === "SQLite" ? "checkpoint" : "VACUUM (ANALYZE) + CHECKPOINT"} ${fmt(l.finishMs / 1000, 1)} s; total ${fmt(l.totalMs / 1000, 1)} s plus ${fmt(l.migrateMs / 1000, 1)} s of migrations. ${name === "SQLite" ? "File" : "Database"}: ${fmt(l.bytes / 2 ** 30, 2)} GiB (${fmt(l.bytes / l.rawRows, 0)} bytes per raw row, rollups included).`;
    return {
      rows,
      verdicts,
      notes: [
        ...(["SQLite", "PostgreSQL"] as const).flatMap((name) => (loads[name] ? [loadNote(name, loads[name])] : [])),
        ...(scratch
          ? [
              `PostgreSQL load path: sampleInserts (${fmt(1_000, 0)}-row INSERT … ON CONFLICT DO NOTHING) in ${SECONDS_PER_TRANSACTION}-s transactions of ${fmt(SECONDS_PER_TRANSACTION * SERIES, 0)} rows over ${PG_LOAD_CONNECTIONS} connections, synchronous_commit = off; no COPY.`,
              `Same data, same answer (first query of each case, queryHistory on both): ${agreement.join("; ")}.`,
            ]
          : []),
        `Each case: ${BOUNDS.warmup} warm-up runs, then ${BOUNDS.min}–${BOUNDS.max} timed runs (≤ ${BOUNDS.maxWallMs / 1000} s), one series per run (cycling over the ${SERIES}), "to" at random seconds over the most recent ${END_SPREAD_MS / HOUR} h of data; the plan is planQuery with the default retention and maxPoints ${MAX_POINTS}, as app/api/history/route.ts. "p95 × baseline" = p95 ÷ the same database's bare PK range SELECT's p95 over the same ranges; "returned" and "runs" are per run (SQLite / PostgreSQL when they differ).`,
        ...Object.entries(plans).flatMap(([label, p]) => Object.entries(p.explain).map(([name, e]) => `query plan, ${name} (${label}): ${e.plan}`)),
      ],
      data: {
        seed: SEED,
        series: series.map((s) => `${s.metricId}/${s.entityId}`),
        rawStart,
        rawEnd,
        retention: RETENTION,
        maxPoints: MAX_POINTS,
        bounds: BOUNDS,
        postgres: scratch ? describeTarget({ provider: "postgresql", url: POSTGRES_SERVER }) : null,
        loads,
        plans,
        agreement,
        timings,
      },
    };
  } finally {
    for (const t of targets) await t.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await scratch?.drop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

export const historyBenchmark: Benchmark = {
  name: "history",
  summary: "/api/history's query over ≥ 10 M raw samples and 30 days of rollups — 24 h and 30-day ranges of one series, p95, SQLite and PostgreSQL",
  run,
};
