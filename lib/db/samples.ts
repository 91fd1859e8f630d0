/** Reading and writing metric samples: the hot write path and the recent-window read. */
import type { TSample } from "../realtime/protocol";
import type { Database } from "./client";

/** Rows per INSERT statement: 6 parameters each, well under SQLite's 32766-variable limit. */
const ROWS_PER_STATEMENT = 1_000;

/**
 * Inserts a batch in one transaction. Multi-row raw INSERTs are ~7× faster than
 * createMany here (TOOLCHAIN.md); OR IGNORE makes a retried sample a no-op because
 * (metric, entity, ts) is the primary key.
 */
export interface SampleRow extends TSample {
  /** Which source produced it: "sim", later "http", "mqtt". */
  source: string;
  /** The drill(s) running when the simulator produced it, comma-separated; null otherwise. */
  drillId: string | null;
}

/** The batch as INSERT statements of up to ROWS_PER_STATEMENT rows: the one SQL every writer of samples runs. */
export function sampleInserts(samples: readonly SampleRow[]): { sql: string; params: (string | number | null)[] }[] {
  const statements = [];
  for (let i = 0; i < samples.length; i += ROWS_PER_STATEMENT) {
    const chunk = samples.slice(i, i + ROWS_PER_STATEMENT);
    statements.push({
      sql: `INSERT OR IGNORE INTO "MetricSample" ("metricId","entityId","ts","value","source","drillId") VALUES ${chunk.map(() => "(?,?,?,?,?,?)").join(",")}`,
      params: chunk.flatMap((s) => [s.metricId, s.entityId, s.ts, s.value, s.source, s.drillId]),
    });
  }
  return statements;
}

/**
 * Inserts a batch in one transaction through Prisma (tests, tools). The side server
 * writes through its writer thread instead (server/sample-writer.ts), same SQL.
 * Returns how many rows were new (a retried sample is ignored, not counted).
 */
export async function insertSamples(db: Database, samples: readonly SampleRow[]): Promise<number> {
  if (samples.length === 0) return 0;
  const inserted = await db.$transaction(sampleInserts(samples).map(({ sql, params }) => db.$executeRawUnsafe(sql, ...params)));
  return inserted.reduce((sum, n) => sum + n, 0);
}

/** Samples of the given entities at or after `sinceMs`, oldest first, for the recent window after a restart. */
export async function samplesSince(db: Database, sinceMs: number, entityIds: readonly string[]): Promise<TSample[]> {
  const rows = await db.$queryRawUnsafe<{ metricId: string; entityId: string; ts: number | bigint; value: number }[]>(
    `SELECT "metricId","entityId","ts","value" FROM "MetricSample" WHERE "ts" >= ? AND "entityId" IN (${entityIds.map(() => "?").join(",")}) ORDER BY "ts"`,
    sinceMs,
    ...entityIds,
  );
  return rows.map((r) => ({ metricId: r.metricId as TSample["metricId"], entityId: r.entityId, ts: Number(r.ts), value: r.value }));
}
