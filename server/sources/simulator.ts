/**
 * The built-in simulator as a source of the pipeline: once per real second it
 * submits the simulated city at the next instant of the source clock, exactly like
 * any other source. At SIM_SPEED 60 each tick is one simulated minute.
 */
import { ENTITIES, isSummaryEntity } from "@/lib/catalog";
import type { TClock, TSample } from "@/lib/realtime/protocol";
import { simulateCity } from "@/lib/sim/simulator";
import { type Log } from "@/lib/log";
import type { Drills } from "../drills";

/** Where the ticks go: the pipeline, or an MQTT publisher (SIM_OUTPUT=mqtt, see ./mqtt.ts). */
export interface SampleSink {
  submit(samples: readonly unknown[], source: string, options: { drillId: string | null }): { persisted: Promise<unknown> };
}

export interface SimulatorSourceOptions {
  seed: number;
  /** Each road, lot, institution and node reports every this many ticks (staggered); the city and districts every tick. */
  entityEvery: number;
  clock: TClock;
  drills: Drills;
  /** Real time. */
  now(): number;
  log: Log;
}

/**
 * Ticks a stall delayed (the event loop blocked, e.g. by a statement waiting out another
 * process's lock) are submitted late rather than lost, up to this many; a longer gap (a
 * suspended laptop) is skipped, and the log says so, rather than replayed in a burst.
 */
export const MAX_CATCH_UP_TICKS = 60;

const entityOffset = new Map(ENTITIES.map((e, i) => [e.id, i]));

/**
 * The samples reported at real tick `k`: the whole summary, and the share of entities
 * whose turn it is. Real field devices report every few seconds or minutes, not every
 * second; reporting all 3,000 entity series at 1 Hz would store ~270 M rows a day.
 */
export function reportedAt(samples: readonly TSample[], k: number, every: number): TSample[] {
  if (every <= 1) return [...samples];
  return samples.filter((s) => isSummaryEntity(s.entityId) || ((entityOffset.get(s.entityId) ?? 0) + k) % every === 0);
}

export function startSimulatorSource(output: SampleSink, options: SimulatorSourceOptions): { firstTs: number; stop(): void } {
  const { clock } = options;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // The tick number, not the time a timer happened to fire, decides the instant: an early
  // or late timer can neither repeat an instant nor skip one.
  let k = Math.floor((options.now() - clock.realOrigin) / 1000) + 1;

  function submitTick(): void {
    const ts = clock.simOrigin + Math.round(k * 1000 * clock.speed);
    const running = options.drills.runningAt(ts);
    const drillId = running.length > 0 ? running.map((d) => d.id).join(",") : null;
    const samples = reportedAt(simulateCity(options.seed, ts, running), k, options.entityEvery);
    const { persisted } = output.submit(samples, "sim", { drillId });
    // A failed write (or publish) is already counted and logged by the pipeline (or publisher); the next tick carries on.
    persisted.catch(() => undefined);
    k++;
  }

  function tick(): void {
    const due = Math.floor((options.now() - clock.realOrigin) / 1000);
    if (due - k >= MAX_CATCH_UP_TICKS) {
      options.log.warn({ skipped: due - k + 1 - MAX_CATCH_UP_TICKS, caughtUpAtMost: MAX_CATCH_UP_TICKS }, "simulator: ticks missed during a stall were skipped");
      k = due - MAX_CATCH_UP_TICKS + 1;
    }
    // Tick k now (a timer a little early must not skip it), and any a stall delayed.
    do submitTick();
    while (k <= due);
    schedule();
  }

  function schedule(): void {
    timer = setTimeout(tick, Math.max(0, clock.realOrigin + k * 1000 - options.now()));
  }

  const firstTs = clock.simOrigin + Math.round(k * 1000 * clock.speed);
  schedule();
  return {
    /** The source-clock instant of the first tick: history before it is the backfill's. */
    firstTs,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
