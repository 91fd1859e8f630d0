/**
 * The retry loop both writers of samples share (sample-writer.ts for SQLite,
 * postgres-sample-writer.ts): a batch whose write fails for a reason that goes away (a
 * database restarting, a lock held by another process, a read-only or full disk, an I/O
 * error) is tried again with backoff, 100 ms doubling to 5 s, for as long as it takes;
 * nothing of it is acknowledged before it commits. Meanwhile the pipeline holds later
 * batches, bounded by PERSIST_QUEUE_MAX_SAMPLES. The loop keeps what /healthz reports: since
 * when writes fail, and why.
 */
import { backoffMs, DEFAULT_BACKOFF, type Backoff } from "@/lib/db/retry";
import { type Log } from "@/lib/log";

export interface WriteHealth {
  /** Real time the current spell of failed writes began; null while writes succeed. */
  failingSince: number | null;
  /** The newest failure's message, while failing. */
  error: string | null;
}

export interface RetryOptions {
  /** "SQLite", "PostgreSQL": the log lines say which. */
  name: string;
  isTransient(error: unknown): boolean;
  log: Log;
  backoff?: Backoff;
  /** While failing, how often to say so again (the first failure and the recovery are always logged). */
  reportEveryMs?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createWriteRetry(options: RetryOptions) {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const reportEveryMs = options.reportEveryMs ?? 10_000;
  let giveUpAt = Number.POSITIVE_INFINITY;
  const health: WriteHealth = { failingSince: null, error: null };

  /** Runs `attempt` until it succeeds, a failure is not transient, or shutdown's grace has passed. */
  async function run<T>(rows: number, attempt: () => Promise<T>): Promise<T> {
    const began = Date.now();
    let lastReport = 0;
    for (let n = 1; ; n++) {
      try {
        const result = await attempt();
        if (n > 1 || health.failingSince !== null) {
          options.log.warn({ database: options.name, samples: rows, attempts: n, failedForMs: Date.now() - began }, "write recovered: the batch committed");
        }
        health.failingSince = null;
        health.error = null;
        return result;
      } catch (error) {
        const now = Date.now();
        health.failingSince ??= now;
        health.error = message(error);
        if (!options.isTransient(error) || now >= giveUpAt) throw error;
        if (n === 1 || now - lastReport >= reportEveryMs) {
          lastReport = now;
          options.log.error(
            { database: options.name, samples: rows, attempt: n, failingForMs: now - began, error: message(error) },
            "write failed: retrying the batch with backoff; nothing of it is acknowledged until it commits",
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(backoffMs(n, backoff), Math.max(0, giveUpAt - now))));
      }
    }
  }

  return {
    run,
    /** Shutdown has begun: a batch still failing `graceMs` from now is given up (rejected, never acknowledged). */
    shutdown(graceMs: number): void {
      giveUpAt = Math.min(giveUpAt, Date.now() + graceMs);
    },
    health: (): WriteHealth => ({ ...health }),
  };
}
