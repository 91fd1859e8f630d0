/**
 * The one pipeline every sample goes through, whatever its source:
 * check (lib/ingest/rules.ts) → persist (batched, one transaction per batch) → broadcast.
 * A submitted batch is taken whole or not at all: one bad sample rejects it, so a source
 * fixes and resends the same batch and nothing is ever half-applied.
 * A sample is acknowledged (submit resolves) only once it is on disk, and it is
 * broadcast only after that, so the wall never shows what a crash could lose. What is
 * broadcast and observed is what the write returned as stored: a sample whose (metric,
 * entity, ts) is on disk already (a retry, or a source sending another value for the same
 * instant) is a duplicate, counted in the answer and neither stored nor shown; the first
 * value stays.
 * What waits to be written is bounded (maxQueued samples): while the database cannot keep
 * up (PostgreSQL restarting, its writer retrying), new batches past the bound are refused
 * at once, loudly, with PersistQueueFull to their source — never dropped after acceptance.
 */
import { domainOfMetric, isSummaryEntity } from "@/lib/catalog";
import { checkBatch, type RejectedSample, type TimeWindow } from "@/lib/ingest/rules";
import type { TFrame, TLevel, TSample } from "@/lib/realtime/protocol";
import { firstOfEachKey, type SampleRow } from "@/lib/db/samples";
import { type Log } from "@/lib/log";
import { bySource, persistBatchSeconds, persistFailures, samplesAccepted, samplesDuplicate, samplesPersisted, samplesRefused, samplesRejected } from "./metrics";

export interface PipelineDeps {
  /** Writes the rows (one per key) in one transaction; resolves to the rows that were new, as stored. */
  persist(rows: readonly SampleRow[]): Promise<TSample[]>;
  /**
   * Called after a batch is on disk, before it is broadcast (keeps the snapshot window current).
   * `live` false: history filled in (SIM_BACKFILL_HOURS), stored and rolled up, never broadcast or alerted on.
   */
  onPersisted(samples: readonly TSample[], live: boolean): void;
  broadcast(frame: TFrame): void;
  /** How long to gather samples into one batch before writing it. */
  flushMs: number;
  /** Write at once when this many samples are waiting. */
  maxBatch: number;
  /** Most samples accepted but not yet written (PERSIST_QUEUE_MAX_SAMPLES); a batch that would pass it is refused. */
  maxQueued: number;
  log: Log;
  /** The timestamps accepted now (source clock): from the raw retention horizon to a little ahead. */
  window(): TimeWindow;
}

export interface SubmitResult {
  /** The batch's size when every sample passed, else 0. */
  accepted: number;
  rejected: RejectedSample[];
  /** Resolves when every accepted sample is persisted; rejects if the write failed, or with PersistQueueFull if refused. */
  persisted: Promise<Stored>;
}

/** What became of a batch's samples: `inserted` are on disk now; `duplicates` were there already (or twice in it) and were not written. */
export interface Stored {
  inserted: number;
  duplicates: number;
}

/** The batch was valid but not taken: too many samples are waiting to be written. Nothing of it was stored; send it again later. */
export class PersistQueueFull extends Error {
  override name = "PersistQueueFull";
  constructor(
    readonly queued: number,
    readonly max: number,
  ) {
    super(`the write queue is full (${queued} samples waiting for the database, bound ${max}): nothing of this batch was stored, send it again later`);
  }
}

/** How often refusals are logged while they go on (the first one is logged at once). */
const REFUSAL_LOG_EVERY_MS = 5_000;

/** A row waiting to be written, and which submit it came from (its index in `settle`). */
interface PendingRow extends SampleRow {
  from: number;
}

interface Pending {
  rows: PendingRow[];
  settle: { resolve: (stored: Stored) => void; reject: (error: unknown) => void; live: boolean; source: string }[];
  /** Real time its first sample was accepted. */
  since: number;
}

export interface PipelineStats {
  persisted: number;
  persistFailures: number;
  lastPersistAt: number | null;
  /** Samples accepted and not yet written (or failed): what PERSIST_QUEUE_MAX_SAMPLES bounds. */
  queued: number;
  /** Real time the oldest sample still waiting was accepted; null when none waits. */
  waitingSince: number | null;
  /** Samples not written because their key was stored already, since start. */
  duplicates: number;
  /** Valid samples refused because the queue was full, since start. */
  refused: number;
}

export function createPipeline(deps: PipelineDeps & { now?(): number }) {
  const now = deps.now ?? Date.now;
  let pending: Pending = { rows: [], settle: [], since: 0 };
  /** Batches flushed and not yet written, oldest first (the one being written included). */
  const flushed: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  let seq = 0;
  const stats: PipelineStats = { persisted: 0, persistFailures: 0, lastPersistAt: null, queued: 0, waitingSince: null, duplicates: 0, refused: 0 };
  const updateWaiting = () => (stats.waitingSince = flushed[0]?.since ?? (pending.rows.length > 0 ? pending.since : null));
  // Refusals since the last log line, and when that was: loud, but not a line per request.
  const refusing = { since: 0, lastLogAt: Number.NEGATIVE_INFINITY, sources: new Set<string>() };

  /** One frame per (domain, level) present in the batch. */
  function broadcastByRoom(samples: readonly TSample[]): void {
    const byRoom = new Map<string, TFrame>();
    for (const s of samples) {
      const domain = domainOfMetric(s.metricId);
      const level: TLevel = isSummaryEntity(s.entityId) ? "summary" : "entities";
      const key = `${domain}:${level}`;
      const frame = byRoom.get(key);
      if (frame) frame.samples.push(s);
      else byRoom.set(key, { domain, level, seq: 0, samples: [s] });
    }
    for (const frame of byRoom.values()) deps.broadcast({ ...frame, seq: seq++ });
  }

  async function write(batch: Pending): Promise<void> {
    const rows = firstOfEachKey(batch.rows);
    let stored: TSample[];
    const batchTimer = persistBatchSeconds.startTimer();
    try {
      stored = await deps.persist(rows);
    } catch (error) {
      settled(batch);
      stats.persistFailures++;
      persistFailures.inc();
      deps.log.error({ samples: batch.rows.length, err: error }, "persist failed");
      for (const s of batch.settle) s.reject(error);
      return;
    }
    batchTimer();
    settled(batch);
    stats.persisted += stored.length;
    stats.duplicates += batch.rows.length - stored.length;
    stats.lastPersistAt = now();
    // Which submit each stored sample came from (the first row of its key in the batch); the rest of a submit's rows were duplicates.
    const counts = batch.settle.map((): Stored => ({ inserted: 0, duplicates: 0 }));
    for (const row of batch.rows) counts[row.from]!.duplicates++;
    const fromOf = new Map(rows.map((row) => [`${row.metricId}|${row.entityId}|${row.ts}`, row.from]));
    const live: TSample[] = [];
    const history: TSample[] = [];
    for (const sample of stored) {
      const from = fromOf.get(`${sample.metricId}|${sample.entityId}|${sample.ts}`)!;
      counts[from]!.inserted++;
      counts[from]!.duplicates--;
      (batch.settle[from]!.live ? live : history).push(sample);
    }
    if (history.length > 0) deps.onPersisted(history, false);
    if (live.length > 0) {
      deps.onPersisted(live, true);
      broadcastByRoom(live);
    }
    batch.settle.forEach((s, i) => {
      bySource(samplesPersisted, s.source, counts[i]!.inserted);
      bySource(samplesDuplicate, s.source, counts[i]!.duplicates);
      s.resolve(counts[i]!);
    });
  }

  /** A batch's write is over, one way or the other: it no longer waits. */
  function settled(batch: Pending): void {
    stats.queued -= batch.rows.length;
    flushed.shift();
    updateWaiting();
  }

  /** Writes whatever is pending now; batches are written one after another, in order. */
  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = { rows: [], settle: [], since: 0 };
    if (batch.rows.length > 0) {
      flushed.push(batch);
      writing = writing.then(() => write(batch));
    } else for (const s of batch.settle) s.resolve({ inserted: 0, duplicates: 0 });
    return writing;
  }

  /** Frames a batch another side server of the cluster persisted, for this one's sockets. */
  function frames(samples: readonly TSample[]): void {
    broadcastByRoom(samples);
  }

  /** `live` false: history filled in, stored but neither broadcast nor alerted on (see onPersisted). */
  function submit(input: readonly unknown[], source: string, options: { drillId?: string | null; live?: boolean } = {}): SubmitResult {
    const { samples: valid, rejected } = checkBatch(input, deps.window());
    if (rejected.length > 0 || valid.length === 0) {
      bySource(samplesRejected, source, input.length);
      return { accepted: 0, rejected, persisted: Promise.resolve({ inserted: 0, duplicates: 0 }) };
    }
    if (stats.queued + valid.length > deps.maxQueued) return refuse(valid.length, source);
    if (refusing.since > 0) {
      deps.log.warn({ queued: stats.queued, bound: deps.maxQueued, refusedSinceLastReport: refusing.since }, "write queue has room again: accepting samples");
      refusing.since = 0;
      refusing.sources.clear();
    }
    stats.queued += valid.length;
    bySource(samplesAccepted, source, valid.length);
    if (pending.rows.length === 0) pending.since = now();
    const drillId = options.drillId ?? null;
    const from = pending.settle.length;
    for (const s of valid) pending.rows.push({ ...s, source, drillId, from });
    const persisted = new Promise<Stored>((resolve, reject) => pending.settle.push({ resolve, reject, live: options.live ?? true, source }));
    updateWaiting();
    if (pending.rows.length >= deps.maxBatch) void flush();
    else timer ??= setTimeout(() => void flush(), deps.flushMs);
    return { accepted: valid.length, rejected, persisted };
  }

  /**
   * A valid batch the queue has no room for: counted, logged (at once, then every few
   * seconds while it goes on), and its source told. `accepted` stays the batch's size (it
   * passed validation), so sources handle it as a failed write: HTTP answers 503, MQTT leaves
   * the message unacknowledged for the broker to send again, the simulator skips the tick.
   */
  function refuse(count: number, source: string): SubmitResult {
    stats.refused += count;
    bySource(samplesRefused, source, count);
    refusing.since += count;
    refusing.sources.add(source);
    const error = new PersistQueueFull(stats.queued, deps.maxQueued);
    const now = Date.now();
    if (now - refusing.lastLogAt >= REFUSAL_LOG_EVERY_MS) {
      refusing.lastLogAt = now;
      deps.log.error(
        { queued: stats.queued, bound: deps.maxQueued, refusedSinceLastReport: refusing.since, sources: [...refusing.sources] },
        "REFUSING SAMPLES: the write queue is at PERSIST_QUEUE_MAX_SAMPLES; is the database down? Sources are told to send again",
      );
    }
    const persisted = Promise.reject(error);
    persisted.catch(() => undefined); // a source that ignores the promise must not crash the process
    return { accepted: count, rejected: [], persisted };
  }

  return { submit, flush, frames, stats };
}

export type Pipeline = ReturnType<typeof createPipeline>;
