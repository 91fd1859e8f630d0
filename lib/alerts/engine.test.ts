import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TSample } from "../realtime/protocol";
import { AlertEngine, type AlertEvent } from "./engine";
import { DEFAULT_RULES, ZAlertRule, type AlertRule } from "./rules";

// Congestion on one road: breached at ≥ 8 for 300 s, cleared at ≤ 7 for 300 s.
const gridlock = DEFAULT_RULES.find((r) => r.id === "road-gridlock") as AlertRule;
const ROAD = "road-shennan";
const STEP = 10_000;
const at = (i: number, value: number, entityId = ROAD): TSample => ({ metricId: "traffic.congestionIndex", entityId, ts: 1_000_000 + i * STEP, value });
const run = (engine: AlertEngine, values: readonly number[], from = 0): AlertEvent[] => engine.observe(values.map((v, i) => at(from + i, v)));

const above = fc.double({ min: 8, max: 10, noNaN: true });
const band = fc.double({ min: 7.01, max: 7.99, noNaN: true });
const below = fc.double({ min: 0, max: 7, noNaN: true });
const holdSteps = gridlock.forSeconds * 1_000 / STEP;

describe("AlertEngine", () => {
  it("opens one alert after the breach has held forSeconds, with when it began and the value then", () => {
    const engine = new AlertEngine([gridlock]);
    const events = run(engine, Array.from({ length: holdSteps + 5 }, () => 8.5));
    expect(events).toEqual([{ type: "open", ruleId: "road-gridlock", entityId: ROAD, metricId: "traffic.congestionIndex", severity: "critical", since: at(0, 0).ts, at: at(holdSteps, 0).ts, value: 8.5, counted: null }]);
  });

  it("never opens for a breach shorter than forSeconds, however often it repeats", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(above, { minLength: 1, maxLength: holdSteps }), fc.array(fc.oneof(band, below), { minLength: 1, maxLength: 5 })), { maxLength: 20 }), (episodes) => {
        const engine = new AlertEngine([gridlock]);
        expect(run(engine, episodes.flatMap(([hot, cool]) => [...hot, ...cool]))).toEqual([]);
      }),
    );
  });

  it("opens and resolves exactly once per episode, and a value hovering in the band between never flaps", () => {
    const episode = fc.record({
      breach: fc.array(above, { minLength: holdSteps + 1, maxLength: holdSteps + 20 }),
      hover: fc.array(fc.oneof(band, above), { maxLength: 40 }),
      clear: fc.array(below, { minLength: holdSteps + 1, maxLength: holdSteps + 20 }),
      after: fc.array(fc.oneof(band, below), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(fc.array(episode, { minLength: 1, maxLength: 5 }), (episodes) => {
        const engine = new AlertEngine([gridlock]);
        const values = episodes.flatMap((e) => [...e.breach, ...e.hover, ...e.clear, ...e.after]);
        const events = run(engine, values);
        expect(events.map((e) => e.type)).toEqual(episodes.flatMap(() => ["open", "resolve"]));
        for (const e of events) if (e.type === "resolve") expect(e.peak).toBeGreaterThanOrEqual(8);
        expect(engine.size).toBe(0);
      }),
    );
  });

  it("keeps an alert open while the value hovers in the band, however long", () => {
    fc.assert(
      fc.property(fc.array(band, { minLength: 1, maxLength: 200 }), (hover) => {
        const engine = new AlertEngine([gridlock]);
        const opened = run(engine, Array.from({ length: holdSteps + 1 }, () => 9));
        expect(opened.map((e) => e.type)).toEqual(["open"]);
        expect(run(engine, hover, holdSteps + 1)).toEqual([]);
      }),
    );
  });

  it("after a restart, takes up an open alert instead of opening it again, and resolves it on a lasting clear", () => {
    const engine = new AlertEngine([gridlock], [{ ruleId: "road-gridlock", entityId: ROAD, peak: 9.5 }]);
    expect(run(engine, Array.from({ length: holdSteps * 2 }, () => 9))).toEqual([]);
    const events = run(engine, Array.from({ length: holdSteps + 1 }, () => 5), holdSteps * 2);
    expect(events).toEqual([{ type: "resolve", ruleId: "road-gridlock", entityId: ROAD, at: at(3 * holdSteps, 0).ts, value: 5, peak: 9.5 }]);
  });

  it("watches only the entities in the rule's scope and kind, and ignores late samples", () => {
    const futianLots = ZAlertRule.parse({ id: "futian-lots", name: { zh: "福田停车场将满", en: "Futian car park nearly full" }, metricId: "parking.occupancy", scope: "futian", kind: "lot", direction: "above", threshold: 95, clearAt: 90, forSeconds: 0, severity: "warning" });
    const engine = new AlertEngine([futianLots]);
    const lot = (entityId: string, ts: number, value: number): TSample => ({ metricId: "parking.occupancy", entityId, ts, value });
    expect(engine.observe([lot("lot-nanshan-001", 1, 99), lot("futian", 1, 99)])).toEqual([]);
    expect(engine.observe([lot("lot-futian-001", 10, 99)]).map((e) => e.type)).toEqual(["open"]);
    expect(engine.observe([lot("lot-futian-001", 5, 10)])).toEqual([]);
  });

  it("changes nothing when samples come again, in order, after it saw them (a cluster refills after a Redis outage)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(above, band, below), { maxLength: 3 * holdSteps }), fc.nat({ max: 3 * holdSteps }), fc.boolean(), (values, seenAgainFrom, instant) => {
        // forSeconds 0 too: there a repeated breach would open at once.
        const engine = new AlertEngine([instant ? { ...gridlock, forSeconds: 0 } : gridlock]);
        run(engine, values);
        expect(run(engine, values.slice(seenAgainFrom), seenAgainFrom)).toEqual([]);
      }),
    );
  });
});

describe("ZAlertRule", () => {
  it("accepts the default rules", () => {
    for (const rule of DEFAULT_RULES) expect(ZAlertRule.parse(rule)).toEqual(rule);
  });

  it("names what is wrong: a clear level on the wrong side, a metric the kind does not have, unknown ids", () => {
    const issues = (input: object) => ZAlertRule.safeParse({ ...gridlock, ...input }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ clearAt: 9 })).toEqual(["clearAt: must be below the threshold (8), or the alert would flap"]);
    expect(issues({ kind: "lot" })).toEqual(["kind: traffic.congestionIndex is not measured on a lot"]);
    expect(issues({ metricId: "traffic.nope", scope: "atlantis" })).toEqual(["metricId: unknown metric", "scope: unknown city, district or entity"]);
  });
});
