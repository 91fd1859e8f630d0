/**
 * History at any range: rollups (recomputed from raw for every minute and hour that
 * received data) and chunked retention, and the bucketed query behind /api/history.
 * Every statement is short: better-sqlite3 runs on the event loop, so nothing here
 * may hold it for long.
 */
import { RESOLUTION_MS, bucketStart, type QueryPlan, type Resolution } from "../history/plan";
import type { HistoryPoint } from "../history/series";
import type { Database } from "./client";

/** Recomputes the 1-minute rollups of every series for the given minute starts. */
export async function rollUpMinutes(db: Database, minuteStarts: readonly number[]): Promise<void> {
  if (minuteStarts.length === 0) return;
  await db.$transaction(
    minuteStarts.map((start) =>
      db.$executeRawUnsafe(
        `INSERT OR REPLACE INTO "Rollup1m" ("metricId","entityId","bucketTs","min","max","sum","count")
         SELECT "metricId","entityId",?,MIN("value"),MAX("value"),SUM("value"),COUNT(*) FROM "MetricSample"
         WHERE "ts" >= ? AND "ts" < ? GROUP BY "metricId","entityId"`,
        start,
        start,
        start + RESOLUTION_MS["1m"],
      ),
    ),
  );
}

/** Recomputes the 1-hour rollups of every series for the given hour starts, from the minutes. */
export async function rollUpHours(db: Database, hourStarts: readonly number[]): Promise<void> {
  if (hourStarts.length === 0) return;
  await db.$transaction(
    hourStarts.map((start) =>
      db.$executeRawUnsafe(
        `INSERT OR REPLACE INTO "Rollup1h" ("metricId","entityId","bucketTs","min","max","sum","count")
         SELECT "metricId","entityId",?,MIN("min"),MAX("max"),SUM("sum"),SUM("count") FROM "Rollup1m"
         WHERE "bucketTs" >= ? AND "bucketTs" < ? GROUP BY "metricId","entityId"`,
        start,
        start,
        start + RESOLUTION_MS["1h"],
      ),
    ),
  );
}

const RETAINED = { raw: ["MetricSample", "ts"], "1m": ["Rollup1m", "bucketTs"], "1h": ["Rollup1h", "bucketTs"] } as const;

/** Deletes up to `limit` rows older than `cutoff` from one resolution; returns how many went. */
export async function deleteExpired(db: Database, resolution: keyof typeof RETAINED, cutoff: number, limit: number): Promise<number> {
  const [table, column] = RETAINED[resolution];
  // The tables are WITHOUT ROWID: rows are named by their key, found through the time index.
  const key = `"metricId", "entityId", "${column}"`;
  return db.$executeRawUnsafe(`DELETE FROM "${table}" WHERE (${key}) IN (SELECT ${key} FROM "${table}" WHERE "${column}" < ? LIMIT ?)`, cutoff, limit);
}

/**
 * What a crash may have left un-rolled: the minutes holding raw rows at or after the
 * newest minute rollup, the hours holding minute rollups at or after the newest hour
 * rollup, and the newest raw timestamp. Re-rolling a bucket is idempotent, so the
 * newest (perhaps partial) bucket is simply included. Served by the time indexes.
 */
export async function bucketsToCatchUp(db: Database): Promise<{ minuteStarts: number[]; hourStarts: number[]; newestTs: number | null }> {
  const starts = async (sql: string): Promise<number[]> => (await db.$queryRawUnsafe<{ b: number | bigint }[]>(sql)).map((r) => Number(r.b));
  const [minuteStarts, hourStarts, newest] = await Promise.all([
    starts(`SELECT DISTINCT ("ts" / 60000) * 60000 AS b FROM "MetricSample" WHERE "ts" >= (SELECT COALESCE(MAX("bucketTs"), 0) FROM "Rollup1m") ORDER BY b`),
    starts(`SELECT DISTINCT ("bucketTs" / 3600000) * 3600000 AS b FROM "Rollup1m" WHERE "bucketTs" >= (SELECT COALESCE(MAX("bucketTs"), 0) FROM "Rollup1h") ORDER BY b`),
    db.$queryRawUnsafe<{ t: number | bigint | null }[]>(`SELECT MAX("ts") AS t FROM "MetricSample"`),
  ]);
  const newestTs = newest[0]?.t;
  return { minuteStarts, hourStarts, newestTs: newestTs === null || newestTs === undefined ? null : Number(newestTs) };
}

export type { HistoryPoint };

/** [bucket start, avg, min, max, count] per non-empty bucket, oldest first; a missing bucket is a gap. */
export async function queryHistory(
  db: Database,
  q: { metricId: string; entityId: string; from: number; to: number; plan: QueryPlan },
): Promise<HistoryPoint[]> {
  const { bucketMs, resolution } = q.plan;
  // Rollup rows sit on their minute or hour grid: buckets start there, or a bucket would mix intervals.
  const origin = resolution === "raw" ? q.from : bucketStart(q.from, RESOLUTION_MS[resolution]);
  const sql =
    resolution === "raw"
      ? `SELECT CAST(("ts" - ?) / ? AS INTEGER) AS b, AVG("value") AS avg, MIN("value") AS min, MAX("value") AS max, COUNT(*) AS n
         FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" >= ? AND "ts" < ? GROUP BY b ORDER BY b`
      : `SELECT CAST(("bucketTs" - ?) / ? AS INTEGER) AS b, SUM("sum") / SUM("count") AS avg, MIN("min") AS min, MAX("max") AS max, SUM("count") AS n
         FROM "${resolution === "1m" ? "Rollup1m" : "Rollup1h"}" WHERE "metricId" = ? AND "entityId" = ? AND "bucketTs" >= ? AND "bucketTs" < ? GROUP BY b ORDER BY b`;
  const rows = await db.$queryRawUnsafe<{ b: number | bigint; avg: number; min: number; max: number; n: number | bigint }[]>(
    sql,
    origin,
    bucketMs,
    q.metricId,
    q.entityId,
    origin,
    q.to,
  );
  // SUM/COUNT in floating point can land a hair outside [min, max] (three 1.9s average 1.8999…97).
  return rows.map((r) => [origin + Number(r.b) * bucketMs, Math.min(r.max, Math.max(r.min, r.avg)), r.min, r.max, Number(r.n)]);
}

/** One page of a full-resolution export: the stored rows of one series from `from` (inclusive), oldest first. */
export async function exportPage(
  db: Database,
  q: { metricId: string; entityId: string; from: number; to: number; resolution: Resolution; limit: number },
): Promise<HistoryPoint[]> {
  if (q.resolution === "raw") {
    const rows = await db.$queryRawUnsafe<{ ts: number | bigint; value: number }[]>(
      `SELECT "ts", "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" >= ? AND "ts" < ? ORDER BY "ts" LIMIT ?`,
      q.metricId,
      q.entityId,
      q.from,
      q.to,
      q.limit,
    );
    return rows.map((r) => [Number(r.ts), r.value, r.value, r.value, 1]);
  }
  const rows = await db.$queryRawUnsafe<{ ts: number | bigint; min: number; max: number; sum: number; n: number | bigint }[]>(
    `SELECT "bucketTs" AS ts, "min", "max", "sum", "count" AS n FROM "${q.resolution === "1m" ? "Rollup1m" : "Rollup1h"}"
     WHERE "metricId" = ? AND "entityId" = ? AND "bucketTs" >= ? AND "bucketTs" < ? ORDER BY "bucketTs" LIMIT ?`,
    q.metricId,
    q.entityId,
    q.from,
    q.to,
    q.limit,
  );
  return rows.map((r) => [Number(r.ts), Math.min(r.max, Math.max(r.min, r.sum / Number(r.n))), r.min, r.max, Number(r.n)]);
}

/** How many rows exportPage would return over the whole range (a count over the primary key). */
export async function exportRowCount(db: Database, q: { metricId: string; entityId: string; from: number; to: number; resolution: Resolution }): Promise<number> {
  const [table, column] = q.resolution === "raw" ? ["MetricSample", "ts"] : [q.resolution === "1m" ? "Rollup1m" : "Rollup1h", "bucketTs"];
  const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
    `SELECT COUNT(*) AS n FROM "${table}" WHERE "metricId" = ? AND "entityId" = ? AND "${column}" >= ? AND "${column}" < ?`,
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
  const origin = bucketStart(q.from, RESOLUTION_MS[resolution]);
  const list = (n: number) => Array.from({ length: n }, () => "?").join(", ");
  const sql =
    resolution === "raw"
      ? `SELECT "metricId" AS m, "entityId" AS e, MAX("ts") AS t, AVG("value") AS v FROM "MetricSample"
         WHERE "metricId" IN (${list(q.metricIds.length)}) AND "entityId" IN (${list(q.entityIds.length)}) AND "ts" >= ? AND "ts" < ?
         GROUP BY m, e, CAST(("ts" - ?) / ? AS INTEGER) ORDER BY m, e, t`
      : `SELECT "metricId" AS m, "entityId" AS e, MIN("bucketTs") AS t, SUM("sum") / SUM("count") AS v FROM "${resolution === "1m" ? "Rollup1m" : "Rollup1h"}"
         WHERE "metricId" IN (${list(q.metricIds.length)}) AND "entityId" IN (${list(q.entityIds.length)}) AND "bucketTs" >= ? AND "bucketTs" < ?
         GROUP BY m, e, CAST(("bucketTs" - ?) / ? AS INTEGER) ORDER BY m, e, t`;
  const rows = await db.$queryRawUnsafe<{ m: string; e: string; t: number | bigint; v: number }[]>(sql, ...q.metricIds, ...q.entityIds, origin, q.to, origin, bucketMs);
  const series = new Map<string, ReplaySeries>();
  for (const row of rows) {
    const key = `${row.m}|${row.e}`;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { metricId: row.m, entityId: row.e, points: [] }));
    entry.points.push([Number(row.t), row.v]);
  }
  return [...series.values()];
}
