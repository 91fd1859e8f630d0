/**
 * The alert budget of the default rules (docs/alerts.md, "The alert budget"), on whole simulated days. Nothing is
 * sampled: every tick a side server's simulator source submits goes through the real engine, in
 * order — the simulated city at the tick's instant (simulateCity, a pure function of seed, time
 * and drills), the city and districts every tick, each road, car park, institution and node every
 * SIM_ENTITY_EVERY ticks, staggered (reportedAt) — as the server feeds it after persisting. What
 * is fast-forwarded is only the clock: tick k of a server at SIM_SPEED s is the instant
 * SIM_START + k × s seconds, so a day at ×10 is 8,640 ticks with each entity every 100 simulated
 * seconds, exactly what a live server at ×10 feeds its engine; at ×60 (1,440 ticks, each entity
 * every 10 minutes) what the flood was seen at. Real time (×1: 86,400 ticks, each entity
 * every 10 s) takes minutes here: `ALERT_BUDGET_SPEEDS=1,10,60` runs both days at each speed. The
 * drills run at ×1, the default speed, from 20 minutes before they start.
 */
import { describe, expect, it } from "vitest";
import { CITY_ID } from "@/lib/catalog";
import type { AlertEvent } from "@/lib/alerts/engine";
import { DEFAULT_RULES } from "@/lib/alerts/rules";
import { SCENARIOS, SCENARIO_IDS, SURGE_HOSPITAL_ID, type ActiveDrill, type ScenarioId } from "@/lib/sim/scenarios";
import { DRILL_AT, feed, local } from "./simulated-feed";

const BUDGET = { perDay: 24, openAtOnce: 8 };
const HOUR = 3_600_000;

interface DayCount {
  openedByRule: Record<string, number>;
  opened: number;
  mostOpenAtOnce: number;
  samples: number;
}

/** One day from local midnight, with no drill; the hour before first, so it starts as the evening left it. */
function countDay(day: string, speed: number): DayCount {
  const midnight = local(day, "00:00");
  const openedByRule: Record<string, number> = Object.fromEntries(DEFAULT_RULES.map((r) => [r.id, 0]));
  const open = new Set<string>();
  let mostOpenAtOnce = 0;
  const samples = feed(midnight - HOUR, midnight + 24 * HOUR, speed, [], (events, ts) => {
    for (const e of events) {
      if (e.type === "resolve") open.delete(`${e.ruleId}|${e.entityId}`);
      else {
        open.add(`${e.ruleId}|${e.entityId}`);
        if (ts >= midnight) openedByRule[e.ruleId] = (openedByRule[e.ruleId] ?? 0) + 1;
      }
    }
    if (ts >= midnight) mostOpenAtOnce = Math.max(mostOpenAtOnce, open.size);
  });
  return { openedByRule, opened: Object.values(openedByRule).reduce((a, b) => a + b, 0), mostOpenAtOnce, samples };
}

// A Wednesday and a Saturday (the simulator's tests use the same week).
const WEEKDAY = "2026-11-25";
const DAYS = [
  { day: WEEKDAY, label: "weekday" },
  { day: "2026-11-28", label: "weekend" },
];
// A day at ×10 takes 15–35 s here: by default the weekday at ×10 and both days at ×60; ALERT_BUDGET_SPEEDS=1,10,60 runs both days at each.
const listed = process.env.ALERT_BUDGET_SPEEDS?.split(",").map(Number);
const RUNS = listed ? listed.flatMap((speed) => DAYS.map((d) => ({ ...d, speed }))) : [{ ...DAYS[0]!, speed: 10 }, ...DAYS.map((d) => ({ ...d, speed: 60 }))];

describe("the default rules' alert budget on an ordinary day, no drill", () => {
  for (const { day, label, speed } of RUNS) {
    it(`${label} ${day} at ×${speed}: at most ${BUDGET.perDay} alerts opened city-wide, never more than ${BUDGET.openAtOnce} open at once`, () => {
      const count = countDay(day, speed);
      console.log(`alert budget, ${label} ${day}, ×${speed}: ${JSON.stringify(count.openedByRule)}, ${count.opened} opened, at most ${count.mostOpenAtOnce} open at once`);
      // The whole feed went through: every tick, the summary's ~170 samples and a tenth of the entities' ~3,000.
      const ticks = (25 * HOUR) / (speed * 1_000);
      expect(count.samples).toBeGreaterThan(ticks * 400);
      expect(count.opened).toBeLessThanOrEqual(BUDGET.perDay);
      expect(count.mostOpenAtOnce).toBeLessThanOrEqual(BUDGET.openAtOnce);
    }, 3_600_000 / speed);
  }
});

/**
 * Each drill's own critical, with the drill started at a time it would be run (DRILL_AT). The typhoon
 * ramps in over its first 90 minutes (a quarter of its six hours: nothing in the city is out of the
 * ordinary in its first ten), so its critical is due within the ramp, not within ten minutes.
 */
const OWN_CRITICAL: Record<ScenarioId, { ruleId: string; entityId: string; withinMinutes: number }> = {
  "accident-shennan": { ruleId: "road-gridlock", entityId: "road-shennan", withinMinutes: 10 },
  "fiber-cut-nanshan": { ruleId: "district-hospitals-offline", entityId: "nanshan", withinMinutes: 10 },
  "hospital-surge": { ruleId: "hospital-wait-long", entityId: SURGE_HOSPITAL_ID, withinMinutes: 10 },
  typhoon: { ruleId: "city-outages-surge", entityId: CITY_ID, withinMinutes: SCENARIOS.typhoon.defaultMinutes * SCENARIOS.typhoon.rampIn },
};

describe("each drill raises its own critical (×1, the default speed)", () => {
  for (const scenarioId of SCENARIO_IDS) {
    const own = { ...OWN_CRITICAL[scenarioId], at: DRILL_AT[scenarioId] };
    it(`${scenarioId} at ${own.at}: ${own.ruleId} on ${own.entityId} within ${own.withinMinutes} simulated minutes`, () => {
      const startMs = local(WEEKDAY, own.at);
      const drill: ActiveDrill = { id: "drill", scenarioId, startMs, endMs: startMs + SCENARIOS[scenarioId].defaultMinutes * 60_000 };
      let opened: Extract<AlertEvent, { type: "open" }> | undefined;
      feed(startMs - 20 * 60_000, startMs + own.withinMinutes * 60_000 + 1, 1, [drill], (events) => {
        opened = events.find((e): e is Extract<AlertEvent, { type: "open" }> => e.type === "open" && e.ruleId === own.ruleId && e.entityId === own.entityId);
        return opened !== undefined;
      });
      expect(opened, `${own.ruleId} on ${own.entityId}`).toMatchObject({ severity: "critical" });
      // The drill's doing: the breach began after the drill started, and the alert opened in time.
      expect(opened!.since).toBeGreaterThanOrEqual(startMs);
      console.log(`${scenarioId} at ${own.at}: ${own.ruleId} on ${own.entityId} opened ${((opened!.at - startMs) / 60_000).toFixed(1)} simulated minutes in`);
      expect(opened!.at - startMs).toBeLessThanOrEqual(own.withinMinutes * 60_000);
    }, 300_000);
  }
});
