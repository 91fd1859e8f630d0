/**
 * The built-in simulator as a source of the pipeline: at every whole second it
 * submits the simulated city at that instant, exactly like any other source.
 */
import { simulateCity } from "@/lib/sim/simulator";
import type { Pipeline } from "../pipeline";

export interface SimulatorSourceOptions {
  seed: number;
  now(): number;
  log(message: string): void;
}

export function startSimulatorSource(pipeline: Pipeline, options: SimulatorSourceOptions): { stop(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;

  function tick(): void {
    const ts = Math.floor(options.now() / 1000) * 1000;
    const { persisted } = pipeline.submit(simulateCity(options.seed, ts), "sim");
    // A failed write is already counted and logged by the pipeline; the next tick carries on.
    persisted.catch(() => undefined);
    schedule();
  }

  function schedule(): void {
    const now = options.now();
    timer = setTimeout(tick, 1000 - (now % 1000));
  }

  schedule();
  return {
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
