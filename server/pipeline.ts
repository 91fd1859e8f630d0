/**
 * The one pipeline every sample goes through, whatever its source:
 * check (lib/ingest/rules.ts) → persist (batched, one transaction per batch) → broadcast.
 * A submitted batch is taken whole or not at all: one bad sample rejects it, so a source
 * fixes and resends the same batch and nothing is ever half-applied.
 * A sample is acknowledged (submit resolves) only once it is on disk, and it is
 * broadcast only after that, so the wall never shows what a crash could lose.
 */
import { domainOfMetric, isSummaryEntity } from "@/lib/catalog";
import { checkBatch, type RejectedSample, type TimeWindow } from "@/lib/ingest/rules";
import type { TFrame, TLevel, TSample } from "@/lib/realtime/protocol";
import type { SampleRow } from "@/lib/db/samples";

export interface PipelineDeps {
  /** Writes the rows in one transaction; resolves to how many were new. */
  persist(rows: readonly SampleRow[]): Promise<number>;
  /** Called after a batch is on disk, before it is broadcast (keeps the snapshot window current). */
  onPersisted(samples: readonly TSample[]): void;
  broadcast(frame: TFrame): void;
  /** How long to gather samples into one batch before writing it. */
  flushMs: number;
  /** Write at once when this many samples are waiting. */
  maxBatch: number;
  log(message: string): void;
  /** The timestamps accepted now (source clock): from the raw retention horizon to a little ahead. */
  window(): TimeWindow;
}

export interface SubmitResult {
  /** The batch's size when every sample passed, else 0. */
  accepted: number;
  rejected: RejectedSample[];
  /** Resolves when every accepted sample is persisted; rejects if the write failed. */
  persisted: Promise<void>;
}

interface Pending {
  rows: SampleRow[];
  settle: { resolve: () => void; reject: (error: unknown) => void }[];
}

export interface PipelineStats {
  persisted: number;
  persistFailures: number;
  lastPersistAt: number | null;
}

export function createPipeline(deps: PipelineDeps) {
  let pending: Pending = { rows: [], settle: [] };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  let seq = 0;
  const stats: PipelineStats = { persisted: 0, persistFailures: 0, lastPersistAt: null };

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
    let inserted: number;
    try {
      inserted = await deps.persist(batch.rows);
    } catch (error) {
      stats.persistFailures++;
      deps.log(`persist failed for ${batch.rows.length} samples: ${error instanceof Error ? error.message : String(error)}`);
      for (const s of batch.settle) s.reject(error);
      return;
    }
    stats.persisted += inserted;
    stats.lastPersistAt = Date.now();
    const samples = batch.rows.map(({ metricId, entityId, ts, value }) => ({ metricId, entityId, ts, value }));
    deps.onPersisted(samples);
    broadcastByRoom(samples);
    for (const s of batch.settle) s.resolve();
  }

  /** Writes whatever is pending now; batches are written one after another, in order. */
  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = { rows: [], settle: [] };
    if (batch.rows.length > 0) writing = writing.then(() => write(batch));
    else for (const s of batch.settle) s.resolve();
    return writing;
  }

  function submit(input: readonly unknown[], source: string, options: { drillId?: string | null } = {}): SubmitResult {
    const { samples: valid, rejected } = checkBatch(input, deps.window());
    if (rejected.length > 0 || valid.length === 0) return { accepted: 0, rejected, persisted: Promise.resolve() };
    const drillId = options.drillId ?? null;
    for (const s of valid) pending.rows.push({ ...s, source, drillId });
    const persisted = new Promise<void>((resolve, reject) => pending.settle.push({ resolve, reject }));
    if (pending.rows.length >= deps.maxBatch) void flush();
    else timer ??= setTimeout(() => void flush(), deps.flushMs);
    return { accepted: valid.length, rejected, persisted };
  }

  return { submit, flush, stats };
}

export type Pipeline = ReturnType<typeof createPipeline>;
