/**
 * The one pipeline every sample goes through, whatever its source:
 * validate → persist (batched, one transaction per batch) → broadcast.
 * A sample is acknowledged (submit resolves) only once it is on disk, and it is
 * broadcast only after that, so the wall never shows what a crash could lose.
 */
import { domainOfMetric, type Domain } from "@/lib/catalog";
import { ZSample, type TFrame, type TSample } from "@/lib/realtime/protocol";
import type { SampleRow } from "@/lib/db/samples";

export interface PipelineDeps {
  persist(rows: readonly SampleRow[]): Promise<void>;
  /** Called after a batch is on disk, before it is broadcast (keeps the snapshot window current). */
  onPersisted(samples: readonly TSample[]): void;
  broadcast(frame: TFrame): void;
  /** How long to gather samples into one batch before writing it. */
  flushMs: number;
  /** Write at once when this many samples are waiting. */
  maxBatch: number;
  log(message: string): void;
}

export interface Rejected {
  index: number;
  issues: { path: string; message: string }[];
}

export interface SubmitResult {
  accepted: number;
  rejected: Rejected[];
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

  function validate(input: readonly unknown[]): { valid: TSample[]; rejected: Rejected[] } {
    const valid: TSample[] = [];
    const rejected: Rejected[] = [];
    input.forEach((raw, index) => {
      const parsed = ZSample.safeParse(raw);
      if (parsed.success) valid.push(parsed.data);
      else rejected.push({ index, issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
    });
    return { valid, rejected };
  }

  function broadcastByDomain(samples: readonly TSample[]): void {
    const byDomain = new Map<Domain, TSample[]>();
    for (const s of samples) {
      const domain = domainOfMetric(s.metricId);
      const list = byDomain.get(domain);
      if (list) list.push(s);
      else byDomain.set(domain, [s]);
    }
    for (const [domain, list] of byDomain) deps.broadcast({ domain, seq: seq++, samples: list });
  }

  async function write(batch: Pending): Promise<void> {
    try {
      await deps.persist(batch.rows);
    } catch (error) {
      stats.persistFailures++;
      deps.log(`persist failed for ${batch.rows.length} samples: ${error instanceof Error ? error.message : String(error)}`);
      for (const s of batch.settle) s.reject(error);
      return;
    }
    stats.persisted += batch.rows.length;
    stats.lastPersistAt = Date.now();
    const samples = batch.rows.map(({ metricId, entityId, ts, value }) => ({ metricId, entityId, ts, value }));
    deps.onPersisted(samples);
    broadcastByDomain(samples);
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

  function submit(input: readonly unknown[], source: string): SubmitResult {
    const { valid, rejected } = validate(input);
    if (valid.length === 0) return { accepted: 0, rejected, persisted: Promise.resolve() };
    for (const s of valid) pending.rows.push({ ...s, source });
    const persisted = new Promise<void>((resolve, reject) => pending.settle.push({ resolve, reject }));
    if (pending.rows.length >= deps.maxBatch) void flush();
    else timer ??= setTimeout(() => void flush(), deps.flushMs);
    return { accepted: valid.length, rejected, persisted };
  }

  return { submit, flush, stats };
}

export type Pipeline = ReturnType<typeof createPipeline>;
