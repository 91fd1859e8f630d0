/**
 * Simulated history for an empty database (SIM_BACKFILL_HOURS, plan in lib/sim/backfill.ts):
 * the live window first, so the first wall is whole within seconds, then the rest of the day
 * in the background. Through the one pipeline (validated, stored, rolled up), as history:
 * marked `sim` like every simulated sample, never broadcast nor alerted on. One instant is
 * computed per turn of the event loop (a few ms), so frames and requests never wait on it,
 * and each chunk is awaited, so the write queue stays small beside the live simulator.
 */
import { isSummaryEntity } from "@/lib/catalog";
import type { BackfillPlan } from "@/lib/sim/backfill";
import { simulateCity } from "@/lib/sim/simulator";
import type { TSample } from "@/lib/realtime/protocol";
import { type Log } from "@/lib/log";
import type { Pipeline } from "./pipeline";

/** Instants per submitted chunk: about 9,000 samples. */
const CHUNK_INSTANTS = 60;

export interface BackfillProgress {
  /** Instants stored, of all planned. */
  filled: number;
  total: number;
  /** The live window is whole. */
  windowFilled: boolean;
}

export function startBackfill(options: { pipeline: Pick<Pipeline, "submit">; seed: number; plan: BackfillPlan; log: Log }) {
  const { plan } = options;
  const progress: BackfillProgress = { filled: 0, total: plan.window.length + plan.older.length, windowFilled: plan.window.length === 0 };
  let stopped = false;
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  /** Computes the next chunk while the last one is written: one chunk waits for the disk at a time. */
  async function fill(instants: readonly number[]): Promise<void> {
    let writing: Promise<void> = Promise.resolve();
    for (let i = 0; i < instants.length && !stopped; i += CHUNK_INSTANTS) {
      const chunk = instants.slice(i, i + CHUNK_INSTANTS);
      const samples: TSample[] = [];
      for (const ts of chunk) {
        samples.push(...simulateCity(options.seed, ts).filter((s) => isSummaryEntity(s.entityId)));
        await turn();
      }
      await writing;
      const { persisted } = options.pipeline.submit(samples, "sim", { live: false });
      writing = persisted.then(() => void (progress.filled += chunk.length));
    }
    await writing;
  }

  const began = Date.now();
  const done = (async () => {
    // The window the wall draws at once, then back through the day from the most recent hours.
    await fill(plan.window);
    progress.windowFilled = true;
    options.log.info({ instants: plan.window.length, ms: Date.now() - began }, "simulated history: the live window filled");
    await fill([...plan.older].reverse());
    if (!stopped) options.log.info({ instants: progress.total, ms: Date.now() - began }, "simulated history filled");
  })().catch((error: unknown) => {
    // Not filled is not lost: the live stream goes on, and the charts show the rest as "no data".
    options.log.error({ err: error }, "simulated history stopped");
    progress.windowFilled = true;
  });

  return {
    progress: (): BackfillProgress => ({ ...progress }),
    async stop(): Promise<void> {
      stopped = true;
      await done;
    },
  };
}

export type Backfill = ReturnType<typeof startBackfill>;
