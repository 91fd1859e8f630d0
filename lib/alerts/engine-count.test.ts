/** A counting rule: one alert on a district when enough of its entities breach at once, with the engine's other properties. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENTITIES } from "../catalog";
import type { TSample } from "../realtime/protocol";
import { AlertEngine, type AlertEvent } from "./engine";
import { ZAlertRule, type AlertRule } from "./rules";

// 大鹏's 7 car parks: open when at least 3 are at ≥ 95 % for a minute, clear when fewer than 3 are above 90 % for as long.
const LOTS = ENTITIES.filter((e) => e.kind === "lot" && e.districtId === "dapeng").map((e) => e.id);
const rule: AlertRule = ZAlertRule.parse({
  id: "dapeng-lots-full",
  name: { zh: "大鹏停车场普遍满", en: "Dapeng car parks full" },
  metricId: "parking.occupancy",
  scope: "dapeng",
  kind: "lot",
  atLeast: 3,
  direction: "above",
  threshold: 95,
  clearAt: 90,
  forSeconds: 60,
  severity: "warning",
});
const STEP = 10_000;
const HOLD = (rule.forSeconds * 1_000) / STEP;
const ts = (i: number) => 1_000_000 + i * STEP;
const lot = (entityId: string, i: number, value: number): TSample => ({ metricId: "parking.occupancy", entityId, ts: ts(i), value });
/** One instant per row: every lot reports its value. */
const run = (engine: AlertEngine, rows: readonly (readonly number[])[], from = 0): AlertEvent[] => engine.observe(rows.flatMap((row, i) => row.map((v, m) => lot(LOTS[m] ?? "", from + i, v))));

const above = fc.double({ min: 95, max: 100, noNaN: true });
const band = fc.double({ min: 90.01, max: 94.99, noNaN: true });
const below = fc.double({ min: 0, max: 90, noNaN: true });
const any = fc.oneof(above, band, below);
/** An instant where at least `n` lots (any of them) take values from `forced`, the rest anything. */
const instant = (n: number, forced: fc.Arbitrary<number>, rest: fc.Arbitrary<number> = any) =>
  fc.tuple(fc.array(rest, { minLength: LOTS.length, maxLength: LOTS.length }), fc.uniqueArray(fc.nat({ max: LOTS.length - 1 }), { minLength: n, maxLength: LOTS.length }), fc.array(forced, { minLength: LOTS.length, maxLength: LOTS.length })).map(([values, chosen, forcedValues]) =>
    values.map((v, m) => (chosen.includes(m) ? (forcedValues[m] ?? v) : v)),
  );
const breached = instant(3, above);
/** At least 3 lots not back under 90 %: the district has not cleared, however many breach. */
const hovering = instant(3, fc.oneof(band, above));
/** At least 5 of 7 back under 90 %: fewer than 3 left that have not cleared. */
const cleared = instant(5, below);
/** At most 2 breach: nothing new opens. */
const quiet = instant(5, fc.oneof(band, below));

describe("AlertEngine, a counting rule", () => {
  it("opens one alert on the district once enough entities have breached for forSeconds, valued by how many breach", () => {
    const engine = new AlertEngine([rule]);
    const rows = Array.from({ length: HOLD + 3 }, () => [99, 97, 96, 80, 93, 50, 60]);
    expect(run(engine, rows)).toEqual([{ type: "open", ruleId: rule.id, entityId: "dapeng", metricId: "parking.occupancy", severity: "warning", since: ts(0), at: ts(HOLD), value: 3, counted: "lot" }]);
  });

  it("never opens while fewer entities breach than it needs, however full they are", () => {
    fc.assert(
      fc.property(fc.array(quiet, { maxLength: 4 * HOLD }), (rows) => {
        expect(run(new AlertEngine([rule]), rows)).toEqual([]);
      }),
    );
  });

  it("opens and resolves exactly once per episode, and entities hovering in the band between never make it flap", () => {
    const episode = fc.record({
      breach: fc.array(breached, { minLength: HOLD + 1, maxLength: HOLD + 6 }),
      hover: fc.array(hovering, { maxLength: 20 }),
      clear: fc.array(cleared, { minLength: HOLD + 1, maxLength: HOLD + 6 }),
      after: fc.array(quiet, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(episode, { minLength: 1, maxLength: 4 }), (episodes) => {
        const engine = new AlertEngine([rule]);
        const events = run(engine, episodes.flatMap((e) => [...e.breach, ...e.hover, ...e.clear, ...e.after]));
        expect(events.map((e) => `${e.type} ${e.entityId}`)).toEqual(episodes.flatMap(() => ["open dapeng", "resolve dapeng"]));
        // Each opens once its breach has held, and resolves once its clear has: not before, in the band.
        let start = 0;
        const expected = episodes.flatMap((e) => {
          const opened = ts(start + HOLD);
          const resolved = ts(start + e.breach.length + e.hover.length + HOLD);
          start += e.breach.length + e.hover.length + e.clear.length + e.after.length;
          return [opened, resolved];
        });
        expect(events.map((e) => e.at)).toEqual(expected);
        for (const e of events) if (e.type === "resolve") expect(e.peak).toBeGreaterThanOrEqual(3);
        expect(engine.size).toBe(0);
      }),
    );
  });

  it("keeps the district's alert open while its entities hover in the band, however long", () => {
    fc.assert(
      fc.property(fc.array(instant(3, band, fc.oneof(band, below)), { minLength: 1, maxLength: 200 }), (hover) => {
        const engine = new AlertEngine([rule]);
        expect(run(engine, Array.from({ length: HOLD + 1 }, () => LOTS.map(() => 99))).map((e) => e.type)).toEqual(["open"]);
        expect(run(engine, hover, HOLD + 1)).toEqual([]);
      }),
    );
  });

  it("after a restart, takes up the district's open alert, and resolves it only once its entities have reported a lasting clear", () => {
    fc.assert(
      fc.property(fc.array(hovering, { maxLength: 30 }), (hover) => {
        const engine = new AlertEngine([rule], [{ ruleId: rule.id, entityId: "dapeng", peak: 5 }]);
        expect(run(engine, hover)).toEqual([]);
        const events = run(engine, Array.from({ length: HOLD + 1 }, () => LOTS.map(() => 10)), 200);
        expect(events).toMatchObject([{ type: "resolve", ruleId: rule.id, entityId: "dapeng", at: ts(200 + HOLD), value: 0 }]);
        expect((events[0] as { peak: number }).peak).toBeGreaterThanOrEqual(5);
      }),
    );
  });

  it("a fresh engine with an open alert and nothing heard yet does not resolve it", () => {
    const engine = new AlertEngine([rule], [{ ruleId: rule.id, entityId: "dapeng", peak: 4 }]);
    // Four lots report clear for a long time; three were never heard from since the start.
    const clearOfFour = Array.from({ length: 3 * HOLD }, (_, i) => LOTS.slice(0, 4).map((id) => lot(id, i, 10))).flat();
    expect(engine.observe(clearOfFour)).toEqual([]);
    expect(engine.size).toBe(1);
  });

  it("judges a district once per instant, with every entity of that instant in: opposite changes at one instant do not open a rule without hold", () => {
    const instantRule = { ...rule, forSeconds: 0 };
    const engine = new AlertEngine([instantRule]);
    expect(run(engine, [[99, 97, 50, 50, 50, 50, 50]])).toEqual([]);
    // Lot 3 fills and lot 1 empties at the same instant: still 2 breach, nothing opens.
    expect(engine.observe([lot(LOTS[2] ?? "", 1, 99), lot(LOTS[0] ?? "", 1, 10)])).toEqual([]);
    // Then lot 1 fills again, one instant later: 3 breach.
    expect(engine.observe([lot(LOTS[0] ?? "", 2, 99)])).toMatchObject([{ type: "open", entityId: "dapeng", value: 3, since: ts(2) }]);
  });

  it("tallies entities reporting at different instants from each one's newest value, as the simulator staggers them", () => {
    const engine = new AlertEngine([rule]);
    const events: AlertEvent[] = [];
    // One lot reports per instant, in turn: lots 0–2 at 99 %, the rest at 50 %.
    for (let i = 0; i < 3 * LOTS.length + 2 * HOLD; i++) {
      const m = i % LOTS.length;
      events.push(...engine.observe([lot(LOTS[m] ?? "", i, m < 3 ? 99 : 50)]));
    }
    // The third lot's first report (instant 2) makes three; held a minute later it opens.
    expect(events).toEqual([expect.objectContaining({ type: "open", since: ts(2), at: ts(2 + HOLD), value: 3 })]);
  });

  it("changes nothing when samples come again, in order, after it saw them (a cluster refills after a Redis outage)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(breached, hovering, cleared, quiet), { maxLength: 3 * HOLD }), fc.nat({ max: 3 * HOLD }), fc.boolean(), (rows, seenAgainFrom, instant) => {
        const engine = new AlertEngine([instant ? { ...rule, forSeconds: 0 } : rule]);
        run(engine, rows);
        expect(run(engine, rows.slice(seenAgainFrom), seenAgainFrom)).toEqual([]);
      }),
    );
  });

  it("a changed rule judges the entities' newest values anew", () => {
    const engine = new AlertEngine([rule]);
    expect(run(engine, [[93, 93, 93, 93, 50, 50, 50]])).toEqual([]);
    engine.setRules([{ ...rule, threshold: 92, clearAt: 88, forSeconds: 0 }]);
    // One lot reports again, unchanged: the four at 93 % now breach.
    expect(engine.observe([lot(LOTS[6] ?? "", 1, 50)])).toMatchObject([{ type: "open", entityId: "dapeng", value: 4 }]);
  });

  it("counts per district, each district its own alert, with a share of each district's entities", () => {
    const cityRule = ZAlertRule.parse({ ...rule, id: "lots-full", scope: "shenzhen", atLeast: undefined, atLeastPercent: 50, forSeconds: 0 });
    const engine = new AlertEngine([cityRule]);
    const yantian = ENTITIES.filter((e) => e.kind === "lot" && e.districtId === "yantian").map((e) => e.id);
    // 4 of 7 in 大鹏 (57 %) and 4 of 9 in 盐田 (44 %).
    const samples = [...LOTS.map((id, m) => lot(id, 0, m < 4 ? 99 : 50)), ...yantian.map((id, m) => lot(id, 0, m < 4 ? 99 : 50))];
    expect(engine.observe(samples)).toEqual([expect.objectContaining({ type: "open", entityId: "dapeng", value: 4 })]);
    expect(engine.observe([lot(yantian[4] ?? "", 1, 99)])).toEqual([expect.objectContaining({ type: "open", entityId: "yantian", value: 5 })]);
  });
});

describe("ZAlertRule, counting", () => {
  it("names what is wrong: counting needs the kind to count, within the city or a district", () => {
    const issues = (input: object) => ZAlertRule.safeParse({ ...rule, ...input }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ kind: undefined })).toEqual(["kind: atLeast counts roads, lots, institutions or nodes: name their kind"]);
    expect(issues({ kind: "district", scope: "shenzhen", metricId: "parking.occupancy" })).toEqual(["kind: atLeast counts roads, lots, institutions or nodes: name their kind"]);
    expect(issues({ scope: "lot-dapeng-001" })).toEqual(["scope: atLeast counts within the city or a district"]);
    expect(issues({ atLeast: 0 })).toEqual(["atLeast: Too small: expected number to be >=1"]);
    expect(issues({ atLeast: undefined, atLeastPercent: 120 })).toEqual(["atLeastPercent: Too big: expected number to be <=100"]);
  });
});
