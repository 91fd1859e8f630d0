/**
 * The background work that keeps history whole and bounded: rollups for every
 * minute and hour that received data once it is complete, and retention in small
 * chunks that yield to the event loop between statements, so neither stalls a frame.
 * On PostgreSQL, raw retention first drops the whole days it can (their partitions).
 */
import { bucketsToCatchUp, deleteExpired, dropExpiredPartitions, rollUpHours, rollUpMinutes } from "@/lib/db/history";
import type { Database } from "@/lib/db/client";
import { RESOLUTION_MS, bucketStart, type Retention } from "@/lib/history/plan";
import type { TSample } from "@/lib/realtime/protocol";
import { type Log } from "@/lib/log";

const MINUTE = RESOLUTION_MS["1m"];
const HOUR = RESOLUTION_MS["1h"];
/** Rows per retention DELETE: a few milliseconds of blocking each. */
const DELETE_CHUNK = 5_000;

export interface HistoryJobsDeps {
  db: Database;
  retention: Retention;
  /** Source-clock now (retention is relative to the data's own clock). */
  simNow(): number;
  log: Log;
}

export function createHistoryJobs(deps: HistoryJobsDeps) {
  const pendingMinutes = new Set<number>();
  const pendingHours = new Set<number>();
  let newestTs = 0;
  let running: Promise<void> = Promise.resolve();

  /** Called with every persisted batch: remembers which minutes need (re)computing. */
  function touch(samples: readonly TSample[]): void {
    for (const s of samples) {
      pendingMinutes.add(bucketStart(s.ts, MINUTE));
      if (s.ts > newestTs) newestTs = s.ts;
    }
  }

  /** Takes the buckets that end at or before `horizon` (data has moved past them) out of `pending`. */
  function takeComplete(pending: Set<number>, width: number, horizon: number): number[] {
    const done = [...pending].filter((start) => start + width <= horizon).sort((a, b) => a - b);
    for (const start of done) pending.delete(start);
    return done;
  }

  /** Minutes first, then hours: a complete hour's minutes are all complete, so it reads final minute rollups. */
  async function rollUp(horizon: number): Promise<void> {
    const minutes = takeComplete(pendingMinutes, MINUTE, horizon);
    await retryLater(minutes, pendingMinutes, () => rollUpMinutes(deps.db, minutes));
    for (const m of minutes) pendingHours.add(bucketStart(m, HOUR));
    const hours = takeComplete(pendingHours, HOUR, horizon);
    await retryLater(hours, pendingHours, () => rollUpHours(deps.db, hours));
  }

  /** Runs `work`; if it fails, the buckets go back to `pending` so the next run tries them again. */
  async function retryLater(buckets: readonly number[], pending: Set<number>, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      for (const b of buckets) pending.add(b);
      throw error;
    }
  }

  /**
   * At start: the buckets written before a crash (or a kill) that were never rolled up.
   * Pending lives in memory only, so without this a crash would leave holes in the rollups.
   */
  async function catchUp(): Promise<void> {
    const found = await bucketsToCatchUp(deps.db);
    for (const m of found.minuteStarts) pendingMinutes.add(m);
    for (const h of found.hourStarts) pendingHours.add(h);
    if (found.newestTs !== null && found.newestTs > newestTs) newestTs = found.newestTs;
  }

  async function expire(): Promise<number> {
    const now = deps.simNow();
    const dropped = await dropExpiredPartitions(deps.db, now - deps.retention.rawMs);
    if (dropped.length > 0) deps.log.info({ partitions: dropped }, "retention: dropped whole days of raw samples");
    let deleted = 0;
    for (const [resolution, keep] of [["raw", deps.retention.rawMs], ["1m", deps.retention.minuteMs], ["1h", deps.retention.hourMs]] as const) {
      for (;;) {
        const n = await deleteExpired(deps.db, resolution, now - keep, DELETE_CHUNK);
        deleted += n;
        if (n < DELETE_CHUNK) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return deleted;
  }

  /** Runs one job at a time, in order; a failure is logged and the next run tries again. */
  function run(job: () => Promise<unknown>, name: string): Promise<void> {
    running = running.then(job).then(
      () => undefined,
      (error: unknown) => deps.log.error({ job: name, error: error instanceof Error ? error.message : String(error) }, "history job failed"),
    );
    return running;
  }

  return {
    touch,
    catchUp: () => run(catchUp, "rollup catch-up"),
    rollUp: () => run(() => rollUp(newestTs), "rollup"),
    expire: () => run(expire, "retention"),
    /** Rolls up everything pending, complete or not (at shutdown, and in tests). */
    flush: () => run(() => rollUp(Number.POSITIVE_INFINITY), "rollup"),
  };
}

export type HistoryJobs = ReturnType<typeof createHistoryJobs>;
