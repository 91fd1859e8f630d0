/**
 * A side server's simulator feed, fast-forwarded through the real alert engine: what the alert
 * budget and the drills' incidents are measured on. Nothing is sampled: every tick a server at
 * SIM_SPEED `speed` submits (the simulated city at the tick's instant, the city and districts
 * every tick, each road, car park, institution and node every SIM_ENTITY_EVERY ticks, staggered)
 * goes through the engine in order. Only the clock is fast-forwarded.
 */
import { ZServerEnv } from "@/lib/config";
import { AlertEngine, type AlertEvent } from "@/lib/alerts/engine";
import { DEFAULT_RULES } from "@/lib/alerts/rules";
import type { ActiveDrill, ScenarioId } from "@/lib/sim/scenarios";
import { simulateCity } from "@/lib/sim/simulator";
import { reportedAt } from "../sources/simulator";

/** The side server's defaults: the city it simulates and how often its entities report. */
const { SIM_SEED, SIM_ENTITY_EVERY } = ZServerEnv.parse({});

/** Shenzhen local time on a simulated date. */
export const local = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+08:00`);

/** When a trainer would run each drill: the accident in the morning rush, the fibre cut in the afternoon, the surge in the morning clinic hours. */
export const DRILL_AT: Record<ScenarioId, string> = { "accident-shennan": "08:30", "fiber-cut-nanshan": "14:00", "hospital-surge": "09:30", typhoon: "16:00" };

/**
 * Ticks from `from` to `to` (simulated ms) as a server at `speed` submits them, through a fresh
 * engine with the default rules; `onEvents` sees each tick's events and stops the feed by
 * returning true. Returns the samples fed.
 */
export function feed(from: number, to: number, speed: number, drills: readonly ActiveDrill[], onEvents: (events: AlertEvent[], ts: number) => boolean | void): number {
  const engine = new AlertEngine(DEFAULT_RULES);
  let fed = 0;
  for (let k = 0, ts = from; ts < to; k++, ts = from + k * speed * 1_000) {
    const samples = reportedAt(simulateCity(SIM_SEED, ts, drills), k, SIM_ENTITY_EVERY);
    fed += samples.length;
    if (onEvents(engine.observe(samples), ts) === true) break;
  }
  return fed;
}
