/**
 * History at any range: rollups (recomputed from raw for every minute and hour that
 * received data) and chunked retention, and the bucketed query behind /api/history.
 * Every statement is short: better-sqlite3 runs on the event loop, so nothing here
 * may hold it for long.
 */
import { RESOLUTION_MS, bucketStart, type QueryPlan } from "../history/plan";
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
  return db.$executeRawUnsafe(`DELETE FROM "${table}" WHERE rowid IN (SELECT rowid FROM "${table}" WHERE "${column}" < ? LIMIT ?)`, cutoff, limit);
}

/** [bucket start, avg, min, max, count] per non-empty bucket, oldest first; a missing bucket is a gap. */
export type HistoryPoint = [ts: number, avg: number, min: number, max: number, count: number];

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
