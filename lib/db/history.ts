/**
 * History at any range: rollups (recomputed from raw for every minute and hour that
 * received data) and chunked retention, and the bucketed query behind /api/history.
 * Every statement is short: better-sqlite3 runs on the event loop, so nothing here
 * may hold it for long. Each query is written once; lib/db/dialect.ts adapts
 * placeholders and time to SQLite or PostgreSQL.
 */
import { RESOLUTION_MS, bucketStart, type QueryPlan, type Resolution } from "../history/plan";
import type { HistoryPoint } from "../history/series";
import type { Database } from "./client";
import { dialectOf, type Dialect } from "./dialect";
import { LIST_PARTITIONS_SQL, expiredPartitions } from "./partitions";
import { forgetPartitions } from "./samples";

/**
 * The SQL that (re)computes one bucket of `table` from `source`: an upsert, so a bucket
 * rolled again (a late sample, a retry) replaces its row. Both SQLite and PostgreSQL
 * take INSERT … SELECT … ON CONFLICT DO UPDATE (the WHERE keeps SQLite's parser unambiguous).
 * Sums add in time order: a float sum depends on its order, and PostgreSQL's depends on the
 * plan of the moment (a heap or an index scan), so a bucket rolled again would differ in its last digits.
 */
function rollupSql(d: Dialect, table: "Rollup1m" | "Rollup1h", select: string, from: string, column: string): string {
  return d.sql(
    `INSERT INTO "${table}" ("metricId","entityId","bucketTs","min","max","sum","count")
     SELECT "metricId","entityId",${d.time("?")},${select} FROM "${from}"
     WHERE "${column}" >= ${d.time("?")} AND "${column}" < ${d.time("?")} GROUP BY "metricId","entityId"
     ON CONFLICT ("metricId","entityId","bucketTs") DO UPDATE SET "min" = excluded."min", "max" = excluded."max", "sum" = excluded."sum", "count" = excluded."count"`,
  );
}

/** Recomputes the 1-minute rollups of every series for the given minute starts. */
export async function rollUpMinutes(db: Database, minuteStarts: readonly number[]): Promise<void> {
  if (minuteStarts.length === 0) return;
  const sql = rollupSql(dialectOf(db), "Rollup1m", `MIN("value"),MAX("value"),SUM("value" ORDER BY "ts"),COUNT(*)`, "MetricSample", "ts");
  await db.$transaction(minuteStarts.map((start) => db.$executeRawUnsafe(sql, start, start, start + RESOLUTION_MS["1m"])));
}

/** Recomputes the 1-hour rollups of every series for the given hour starts, from the minutes. */
export async function rollUpHours(db: Database, hourStarts: readonly number[]): Promise<void> {
  if (hourStarts.length === 0) return;
  const sql = rollupSql(dialectOf(db), "Rollup1h", `MIN("min"),MAX("max"),SUM("sum" ORDER BY "bucketTs"),SUM("count")`, "Rollup1m", "bucketTs");
  await db.$transaction(hourStarts.map((start) => db.$executeRawUnsafe(sql, start, start, start + RESOLUTION_MS["1h"])));
}

const RETAINED = { raw: ["MetricSample", "ts"], "1m": ["Rollup1m", "bucketTs"], "1h": ["Rollup1h", "bucketTs"] } as const;

/** Deletes up to `limit` rows older than `cutoff` from one resolution; returns how many went. */
export async function deleteExpired(db: Database, resolution: keyof typeof RETAINED, cutoff: number, limit: number): Promise<number> {
  const [table, column] = RETAINED[resolution];
  const d = dialectOf(db);
  // Rows are named by their key (SQLite's tables are WITHOUT ROWID), found through the time index.
  const key = `"metricId", "entityId", "${column}"`;
  return db.$executeRawUnsafe(d.sql(`DELETE FROM "${table}" WHERE (${key}) IN (SELECT ${key} FROM "${table}" WHERE "${column}" < ${d.time("?")} LIMIT ?)`), cutoff, limit);
}

/**
 * PostgreSQL: drops the day partitions of raw samples that hold only rows older than
 * `cutoff` (one catalog change each, instead of deleting a day's rows one by one); what
 * remains older than `cutoff` is left to deleteExpired. Returns the partitions dropped;
 * none on SQLite, which has no partitions.
 */
export async function dropExpiredPartitions(db: Database, cutoff: number): Promise<string[]> {
  if (dialectOf(db).provider !== "postgresql") return [];
  const names = (await db.$queryRawUnsafe<{ name: string }[]>(LIST_PARTITIONS_SQL)).map((r) => r.name);
  const expired = expiredPartitions(names, cutoff).sort();
  for (const name of expired) await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
  if (expired.length > 0) forgetPartitions(db);
  return expired;
}

/**
 * What a crash may have left un-rolled: the minutes holding raw rows at or after the
 * newest minute rollup, the hours holding minute rollups at or after the newest hour
 * rollup, and the newest raw timestamp. Re-rolling a bucket is idempotent, so the
 * newest (perhaps partial) bucket is simply included. Served by the time indexes.
 */
export async function bucketsToCatchUp(db: Database): Promise<{ minuteStarts: number[]; hourStarts: number[]; newestTs: number | null }> {
  const d = dialectOf(db);
  const starts = async (sql: string): Promise<number[]> => (await db.$queryRawUnsafe<{ b: number | bigint }[]>(sql)).map((r) => Number(r.b));
  const [minuteStarts, hourStarts, newest] = await Promise.all([
    starts(`SELECT DISTINCT (${d.ms('"ts"')} / 60000) * 60000 AS b FROM "MetricSample" WHERE "ts" >= (SELECT COALESCE(MAX("bucketTs"), ${d.time("0")}) FROM "Rollup1m") ORDER BY b`),
    starts(`SELECT DISTINCT (${d.ms('"bucketTs"')} / 3600000) * 3600000 AS b FROM "Rollup1m" WHERE "bucketTs" >= (SELECT COALESCE(MAX("bucketTs"), ${d.time("0")}) FROM "Rollup1h") ORDER BY b`),
    db.$queryRawUnsafe<{ t: number | bigint | null }[]>(`SELECT ${d.ms('MAX("ts")')} AS t FROM "MetricSample"`),
  ]);
  const newestTs = newest[0]?.t;
  return { minuteStarts, hourStarts, newestTs: newestTs === null || newestTs === undefined ? null : Number(newestTs) };
}

export type { HistoryPoint };

const rollupTable = (resolution: Exclude<Resolution, "raw">) => (resolution === "1m" ? "Rollup1m" : "Rollup1h");

/** One series over a range, bucketed as planned: what queryHistory answers. */
export interface HistoryQuery {
  metricId: string;
  entityId: string;
  from: number;
  to: number;
  plan: QueryPlan;
}

/** Where the buckets of a query from `from` start: rollup rows sit on their minute or hour grid, so buckets start there, or a bucket would mix intervals. */
export function bucketOrigin(from: number, resolution: Resolution): number {
  return resolution === "raw" ? from : bucketStart(from, RESOLUTION_MS[resolution]);
}

/**
 * queryHistory's statement at one resolution in `d`'s dialect: the text, and each query's
 * parameters in the order of its placeholders. The text does not depend on the query, so a
 * caller can prepare it once; bench/history.ts runs it on the bare drivers to measure what
 * Prisma's adapter costs.
 */
export function historyStatement(
  d: Dialect,
  resolution: Resolution,
): { sql: string; params(q: HistoryQuery): [origin: number, bucketMs: number, metricId: string, entityId: string, origin: number, to: number] } {
  const sql =
    resolution === "raw"
      ? `SELECT ${d.bucket(d.ms('"ts"'), "?", "?")} AS b, AVG("value") AS avg, MIN("value") AS min, MAX("value") AS max, COUNT(*) AS n
         FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" >= ${d.time("?")} AND "ts" < ${d.time("?")} GROUP BY b ORDER BY b`
      : `SELECT ${d.bucket(d.ms('"bucketTs"'), "?", "?")} AS b, SUM("sum") / SUM("count") AS avg, MIN("min") AS min, MAX("max") AS max, SUM("count") AS n
         FROM "${rollupTable(resolution)}" WHERE "metricId" = ? AND "entityId" = ? AND "bucketTs" >= ${d.time("?")} AND "bucketTs" < ${d.time("?")} GROUP BY b ORDER BY b`;
  return {
    sql: d.sql(sql),
    params: (q) => {
      const origin = bucketOrigin(q.from, resolution);
      return [origin, q.plan.bucketMs, q.metricId, q.entityId, origin, q.to];
    },
  };
}

/** [bucket start, avg, min, max, count] per non-empty bucket, oldest first; a missing bucket is a gap. */
export async function queryHistory(db: Database, q: HistoryQuery): Promise<HistoryPoint[]> {
  const { bucketMs, resolution } = q.plan;
  const { sql, params } = historyStatement(dialectOf(db), resolution);
  const rows = await db.$queryRawUnsafe<{ b: number | bigint; avg: number; min: number; max: number; n: number | bigint }[]>(sql, ...params(q));
  const origin = bucketOrigin(q.from, resolution);
  // SUM/COUNT in floating point can land a hair outside [min, max] (three 1.9s average 1.8999…97).
  return rows.map((r) => [origin + Number(r.b) * bucketMs, Math.min(r.max, Math.max(r.min, r.avg)), r.min, r.max, Number(r.n)]);
}

/** One page of a full-resolution export: the stored rows of one series from `from` (inclusive), oldest first. */
export async function exportPage(
  db: Database,
  q: { metricId: string; entityId: string; from: number; to: number; resolution: Resolution; limit: number },
): Promise<HistoryPoint[]> {
  const d = dialectOf(db);
  if (q.resolution === "raw") {
    const rows = await db.$queryRawUnsafe<{ t: number | bigint; value: number }[]>(
      d.sql(`SELECT ${d.ms('"ts"')} AS t, "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" >= ${d.time("?")} AND "ts" < ${d.time("?")} ORDER BY "ts" LIMIT ?`),
      q.metricId,
      q.entityId,
      q.from,
      q.to,
      q.limit,
    );
    return rows.map((r) => [Number(r.t), r.value, r.value, r.value, 1]);
  }
  const rows = await db.$queryRawUnsafe<{ t: number | bigint; min: number; max: number; sum: number; n: number | bigint }[]>(
    d.sql(`SELECT ${d.ms('"bucketTs"')} AS t, "min", "max", "sum", "count" AS n FROM "${rollupTable(q.resolution)}"
     WHERE "metricId" = ? AND "entityId" = ? AND "bucketTs" >= ${d.time("?")} AND "bucketTs" < ${d.time("?")} ORDER BY "bucketTs" LIMIT ?`),
    q.metricId,
    q.entityId,
    q.from,
    q.to,
    q.limit,
  );
  return rows.map((r) => [Number(r.t), Math.min(r.max, Math.max(r.min, r.sum / Number(r.n))), r.min, r.max, Number(r.n)]);
}

/** How many rows exportPage would return over the whole range (a count over the primary key). */
export async function exportRowCount(db: Database, q: { metricId: string; entityId: string; from: number; to: number; resolution: Resolution }): Promise<number> {
  const d = dialectOf(db);
  const [table, column] = q.resolution === "raw" ? ["MetricSample", "ts"] : [rollupTable(q.resolution), "bucketTs"];
  const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
    d.sql(`SELECT COUNT(*) AS n FROM "${table}" WHERE "metricId" = ? AND "entityId" = ? AND "${column}" >= ${d.time("?")} AND "${column}" < ${d.time("?")}`),
    q.metricId,
    q.entityId,
    q.from,
    q.to,
  );
  return Number(rows[0]?.n ?? 0);
}

/** One series of a replay window: [ts, value] per step, oldest first. */
export interface ReplaySeries {
  metricId: string;
  entityId: string;
  points: [ts: number, value: number][];
}

/**
 * Many series over one window, one average per step (replay). A raw step is stamped
 * with its newest sample, so replay never shows a value before it was measured; a
 * rollup step (60×, or a window older than raw retention) with the start of its first
 * bucket, the only time a rollup row knows. One statement: the primary key serves
 * every (metric, entity) pair of the IN lists as a range scan.
 */
export async function queryReplay(
  db: Database,
  q: { metricIds: readonly string[]; entityIds: readonly string[]; from: number; to: number; plan: QueryPlan },
): Promise<ReplaySeries[]> {
  const { bucketMs, resolution } = q.plan;
  if (q.metricIds.length === 0 || q.entityIds.length === 0) return [];
  const d = dialectOf(db);
  const origin = bucketStart(q.from, RESOLUTION_MS[resolution]);
  const list = (n: number) => Array.from({ length: n }, () => "?").join(", ");
  const sql =
    resolution === "raw"
      ? `SELECT "metricId" AS m, "entityId" AS e, ${d.ms('MAX("ts")')} AS t, AVG("value") AS v FROM "MetricSample"
         WHERE "metricId" IN (${list(q.metricIds.length)}) AND "entityId" IN (${list(q.entityIds.length)}) AND "ts" >= ${d.time("?")} AND "ts" < ${d.time("?")}
         GROUP BY m, e, ${d.bucket(d.ms('"ts"'), "?", "?")} ORDER BY m, e, t`
      : `SELECT "metricId" AS m, "entityId" AS e, ${d.ms('MIN("bucketTs")')} AS t, SUM("sum") / SUM("count") AS v FROM "${rollupTable(resolution)}"
         WHERE "metricId" IN (${list(q.metricIds.length)}) AND "entityId" IN (${list(q.entityIds.length)}) AND "bucketTs" >= ${d.time("?")} AND "bucketTs" < ${d.time("?")}
         GROUP BY m, e, ${d.bucket(d.ms('"bucketTs"'), "?", "?")} ORDER BY m, e, t`;
  const rows = await db.$queryRawUnsafe<{ m: string; e: string; t: number | bigint; v: number }[]>(d.sql(sql), ...q.metricIds, ...q.entityIds, origin, q.to, origin, bucketMs);
  const series = new Map<string, ReplaySeries>();
  for (const row of rows) {
    const key = `${row.m}|${row.e}`;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { metricId: row.m, entityId: row.e, points: [] }));
    entry.points.push([Number(row.t), row.v]);
  }
  return [...series.values()];
}
