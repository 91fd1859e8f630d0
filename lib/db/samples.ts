/** Reading and writing metric samples: the hot write path and the recent-window read. */
import type { TSample } from "../realtime/protocol";
import type { Database } from "./client";

/** Rows per INSERT statement: 5 parameters each, well under SQLite's 32766-variable limit. */
const ROWS_PER_STATEMENT = 1_000;

/**
 * Inserts a batch in one transaction. Multi-row raw INSERTs are ~7× faster than
 * createMany here (TOOLCHAIN.md); OR IGNORE makes a retried sample a no-op because
 * (metric, entity, ts) is the primary key.
 */
export interface SampleRow extends TSample {
  /** Which source produced it: "sim", later "http", "mqtt". */
  source: string;
}

export async function insertSamples(db: Database, samples: readonly SampleRow[]): Promise<void> {
  if (samples.length === 0) return;
  const statements = [];
  for (let i = 0; i < samples.length; i += ROWS_PER_STATEMENT) {
    const chunk = samples.slice(i, i + ROWS_PER_STATEMENT);
    const placeholders = chunk.map(() => "(?,?,?,?,?)").join(",");
    const params = chunk.flatMap((s) => [s.metricId, s.entityId, s.ts, s.value, s.source]);
    statements.push(
      db.$executeRawUnsafe(`INSERT OR IGNORE INTO "MetricSample" ("metricId","entityId","ts","value","source") VALUES ${placeholders}`, ...params),
    );
  }
  await db.$transaction(statements);
}

/** Every sample at or after `sinceMs`, oldest first, for the recent window after a restart. */
export async function samplesSince(db: Database, sinceMs: number): Promise<TSample[]> {
  const rows = await db.$queryRawUnsafe<{ metricId: string; entityId: string; ts: number | bigint; value: number }[]>(
    `SELECT "metricId","entityId","ts","value" FROM "MetricSample" WHERE "ts" >= ? ORDER BY "ts"`,
    sinceMs,
  );
  return rows.map((r) => ({ metricId: r.metricId as TSample["metricId"], entityId: r.entityId, ts: Number(r.ts), value: r.value }));
}

export async function countSamples(db: Database): Promise<number> {
  return db.metricSample.count();
}
