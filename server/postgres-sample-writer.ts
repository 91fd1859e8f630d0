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
 * an unknown outcome (the connection died during COMMIT) is harmless: the primary key makes a
 * sample written twice a no-op. An error about the statement itself is not retried.
 */
import pg from "pg";
import { postgres } from "@/lib/db/dialect";
import { daysOf, ensurePartitions, isMissingPartition } from "@/lib/db/partitions";
import { backoffMs, isTransientPostgresError, type Backoff, DEFAULT_BACKOFF } from "@/lib/db/retry";
import { byKey, sampleInserts, type SampleRow } from "@/lib/db/samples";
import type { SampleWriter } from "./sample-writer";

export interface PostgresWriterOptions {
  log(message: string): void;
  backoff?: Backoff;
  /** While failing, how often to say so again (the first failure and the recovery are always logged). */
  reportEveryMs?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function startPostgresSampleWriter(url: string, options: PostgresWriterOptions): Promise<SampleWriter> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const reportEveryMs = options.reportEveryMs ?? 10_000;
  // Two connections: a batch in flight and the partition DDL beside it; batches come one at a time.
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
  // An idle connection dying (PostgreSQL restarted) is not an error of any batch: the pool drops it.
  pool.on("error", () => undefined);
  const partitions = new Set<number>();
  let giveUpAt = Number.POSITIVE_INFINITY;
  let inFlight: Promise<unknown> = Promise.resolve();

  await pool.query("SELECT 1"); // fail at start, not at the first batch, when the server is wrong

  async function writeOnce(rows: SampleRow[]): Promise<number> {
    await ensurePartitions((sql) => pool.query(sql), partitions, daysOf(rows));
    const client = await pool.connect();
    // A checked-out client whose connection dies between two statements emits "error"; with no
    // listener that would end the process. The statement under way fails anyway and is retried.
    const ignore = () => undefined;
    client.on("error", ignore);
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      let inserted = 0;
      for (const { sql, params } of sampleInserts(rows, postgres)) inserted += (await client.query(sql, params)).rowCount ?? 0;
      await client.query("COMMIT");
      return inserted;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))));
      if (isMissingPartition(error)) partitions.clear(); // retention dropped a day this writer knew: make it again
      throw error;
    } finally {
      client.off("error", ignore);
      client.release(broken); // a connection that cannot even roll back is discarded, not reused
    }
  }

  async function insertWithRetry(rows: SampleRow[]): Promise<number> {
    const began = Date.now();
    let lastReport = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const inserted = await writeOnce(rows);
        if (attempt > 1) options.log(`PostgreSQL write recovered: a batch of ${rows.length} samples committed after ${attempt} attempts over ${((Date.now() - began) / 1000).toFixed(1)} s`);
        return inserted;
      } catch (error) {
        const retry = (isTransientPostgresError(error) || isMissingPartition(error)) && Date.now() < giveUpAt;
        if (!retry) throw error;
        const now = Date.now();
        if (attempt === 1 || now - lastReport >= reportEveryMs) {
          lastReport = now;
          options.log(
            `PostgreSQL write failed (${message(error)}): retrying a batch of ${rows.length} samples` +
              (attempt === 1 ? " with backoff" : `, attempt ${attempt}, failing for ${((now - began) / 1000).toFixed(0)} s`) +
              "; nothing of it is acknowledged until it commits",
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(backoffMs(attempt, backoff), Math.max(0, giveUpAt - now))));
      }
    }
  }

  const shutdown = (graceMs: number) => {
    giveUpAt = Math.min(giveUpAt, Date.now() + graceMs);
  };
  return {
    insert(rows) {
      if (rows.length === 0) return Promise.resolve(0);
      const sorted = [...rows].sort(byKey);
      const result = insertWithRetry(sorted);
      inFlight = result.catch(() => undefined);
      return result;
    },
    shutdown,
    async close() {
      shutdown(0);
      await inFlight;
      await pool.end();
    },
  };
}
