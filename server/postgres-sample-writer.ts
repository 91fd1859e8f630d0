/**
 * The side server's writer of samples on PostgreSQL. node-postgres is asynchronous, so
 * unlike SQLite (sample-writer.ts) it needs no thread: a small pool of its own, one
 * transaction per batch of multi-row INSERT … ON CONFLICT DO NOTHING (lib/db/samples.ts),
 * acknowledged when COMMIT returns.
 *
 * PostgreSQL restarting (or unreachable) is survived here: a batch that fails for a
 * transient reason (lib/db/retry.ts) is retried with backoff, 100 ms doubling to 5 s, for as
 * long as it takes; the pipeline sends batches one at a time and holds the rest, bounded by
 * PERSIST_QUEUE_MAX_SAMPLES (server/pipeline.ts refuses new samples past it). A retry after
 * an unknown outcome (the connection died during COMMIT) stores nothing twice: the primary key
 * makes a sample written twice a no-op (it is then reported as a duplicate and not framed again,
 * the one case where a stored sample reaches the wall only through history). An error about the
 * statement itself is not retried. The loop is server/write-retry.ts, shared with SQLite.
 */
import pg from "pg";
import type { TSample } from "@/lib/realtime/protocol";
import { postgres } from "@/lib/db/dialect";
import { daysOf, ensurePartitions, isMissingPartition } from "@/lib/db/partitions";
import { isTransientPostgresError, type Backoff } from "@/lib/db/retry";
import { byKey, sampleInserts, storedSample, type SampleRow, type StoredRow } from "@/lib/db/samples";
import type { SampleWriter } from "./sample-writer";
import { createWriteRetry } from "./write-retry";
import { type Log } from "@/lib/log";

export interface PostgresWriterOptions {
  log: Log;
  backoff?: Backoff;
  /** While failing, how often to say so again (the first failure and the recovery are always logged). */
  reportEveryMs?: number;
}

export async function startPostgresSampleWriter(url: string, options: PostgresWriterOptions): Promise<SampleWriter> {
  // Two connections: a batch in flight and the partition DDL beside it; batches come one at a time.
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
  // An idle connection dying (PostgreSQL restarted) is not an error of any batch: the pool drops it.
  pool.on("error", () => undefined);
  const partitions = new Set<number>();
  const retry = createWriteRetry({ ...options, name: "PostgreSQL", isTransient: (error) => isTransientPostgresError(error) || isMissingPartition(error) });
  let inFlight: Promise<unknown> = Promise.resolve();

  await pool.query("SELECT 1"); // fail at start, not at the first batch, when the server is wrong

  async function writeOnce(rows: SampleRow[]): Promise<TSample[]> {
    await ensurePartitions((sql) => pool.query(sql), partitions, daysOf(rows));
    const client = await pool.connect();
    // A checked-out client whose connection dies between two statements emits "error"; with no
    // listener that would end the process. The statement under way fails anyway and is retried.
    const ignore = () => undefined;
    client.on("error", ignore);
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const stored: TSample[] = [];
      for (const { sql, params } of sampleInserts(rows, postgres)) for (const row of (await client.query<StoredRow>(sql, params)).rows) stored.push(storedSample(row));
      await client.query("COMMIT");
      return stored;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))));
      if (isMissingPartition(error)) partitions.clear(); // retention dropped a day this writer knew: make it again
      throw error;
    } finally {
      client.off("error", ignore);
      client.release(broken); // a connection that cannot even roll back is discarded, not reused
    }
  }

  return {
    insert(rows) {
      if (rows.length === 0) return Promise.resolve([]);
      const sorted = [...rows].sort(byKey);
      const result = retry.run(rows.length, () => writeOnce(sorted));
      inFlight = result.catch(() => undefined);
      return result;
    },
    shutdown: retry.shutdown,
    health: () => ({ ...retry.health(), checkpointFailingSince: null }),
    async close() {
      retry.shutdown(0);
      await inFlight;
      await pool.end();
    },
  };
}
