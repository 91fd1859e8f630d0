import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CITY_ID, DISTRICTS, ENTITIES, ROADS, entityById, type EntityDefinition } from "../catalog";
import type { TSample } from "../realtime/protocol";
import { SCENARIOS, SCENARIO_IDS, SURGE_HOSPITAL_ID, effectsAt, intensity, isScenarioId, type ActiveDrill, type ScenarioId } from "./scenarios";
import { simulateCity } from "./simulator";
import { Tick } from "./testing";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Each run simulates the city twice (~3 ms). */
const RUNS = 40;

const WEDNESDAY = (hour: number, minute = 0) => Date.UTC(2026, 10, 25, hour, minute) - 8 * HOUR;

const arbSeed = fc.integer();
const arbTime = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) });
const arbScenario = fc.constantFrom(...SCENARIO_IDS);
const arbDrill = fc
  .record({ scenarioId: arbScenario, startMs: arbTime, duration: fc.integer({ min: MINUTE, max: 12 * HOUR }) })
  .map(({ scenarioId, startMs, duration }): ActiveDrill => ({ id: "drill", scenarioId, startMs, endMs: startMs + duration }));

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** A drill of `scenarioId` at its default length, with `time` in the middle of its plateau (full intensity). */
function atFullIntensity(scenarioId: ScenarioId, time: number): ActiveDrill {
  const duration = SCENARIOS[scenarioId].defaultMinutes * MINUTE;
  const drill = { id: `drill-${scenarioId}`, scenarioId, startMs: time - duration / 2, endMs: time + duration / 2 };
  expect(intensity(drill, time)).toBe(1);
  return drill;
}


/** The same (seed, time) with and without the drill. */
function compare(seed: number, time: number, drills: readonly ActiveDrill[]): { normal: Tick; drilled: Tick } {
  return { normal: new Tick(simulateCity(seed, time)), drilled: new Tick(simulateCity(seed, time, drills)) };
}

describe("the scenario catalog", () => {
  it.each(SCENARIO_IDS)("%s has zh and en names and descriptions, a positive length and ramps that leave a plateau", (id) => {
    const s = SCENARIOS[id];
    expect(s.id).toBe(id);
    expect(isScenarioId(id)).toBe(true);
    for (const text of [s.name, s.description]) {
      expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(text.en).toMatch(/^[A-Z]/);
    }
    expect(s.defaultMinutes).toBeGreaterThan(0);
    expect(s.rampIn).toBeGreaterThan(0);
    expect(s.rampOut).toBeGreaterThan(0);
    expect(s.rampIn + s.rampOut).toBeLessThan(1);
  });

  it("knows no other scenario ids", () => {
    expect(isScenarioId("earthquake")).toBe(false);
    expect(isScenarioId("")).toBe(false);
  });

  it("surges Futian's largest public hospital", () => {
    const hospital = entityById(SURGE_HOSPITAL_ID);
    expect(hospital).toMatchObject({ kind: "hospital", districtId: "futian" });
    const futian = ENTITIES.filter((e) => e.kind === "hospital" && e.districtId === "futian");
    expect(hospital?.capacity).toBe(Math.max(...futian.map((e) => e.capacity ?? 0)));
  });
});

describe("intensity", () => {
  it("is 0 before the start and at or after the end", () => {
    fc.assert(
      fc.property(arbDrill, fc.integer({ min: 0, max: 48 * HOUR }), (drill, gap) => {
        expect(intensity(drill, drill.startMs - 1 - gap)).toBe(0);
        expect(intensity(drill, drill.endMs)).toBe(0);
        expect(intensity(drill, drill.endMs + gap)).toBe(0);
      }),
    );
  });

  it("starts from 0 at the start and stays within 0–1 throughout", () => {
    fc.assert(
      fc.property(arbDrill, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (drill, f) => {
        expect(intensity(drill, drill.startMs)).toBe(0);
        const i = intensity(drill, drill.startMs + Math.floor(f * (drill.endMs - drill.startMs)));
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("is exactly 1 on the plateau between the ramps", () => {
    fc.assert(
      fc.property(arbDrill, fc.double({ min: 0, max: 1, noNaN: true }), (drill, f) => {
        const { rampIn, rampOut } = SCENARIOS[drill.scenarioId];
        const duration = drill.endMs - drill.startMs;
        // Whole milliseconds safely inside [rampIn, 1 − rampOut] of the course.
        const first = drill.startMs + Math.ceil(rampIn * duration) + 1;
        const last = drill.endMs - Math.ceil(rampOut * duration) - 1;
        expect(intensity(drill, Math.round(first + f * (last - first)))).toBe(1);
      }),
    );
  });

  it("ramps continuously: it never changes faster than a full ramp over the shorter ramp's length", () => {
    fc.assert(
      fc.property(arbDrill, fc.integer({ min: -HOUR, max: 13 * HOUR }), fc.integer({ min: 0, max: HOUR }), (drill, offset, step) => {
        const { rampIn, rampOut } = SCENARIOS[drill.scenarioId];
        const slope = 1 / ((drill.endMs - drill.startMs) * Math.min(rampIn, rampOut));
        const a = drill.startMs + offset;
        expect(Math.abs(intensity(drill, a + step) - intensity(drill, a))).toBeLessThanOrEqual(step * slope + 1e-9);
      }),
    );
  });

  it("rises monotonically on the way in and falls monotonically on the way out", () => {
    fc.assert(
      fc.property(arbDrill, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (drill, f, g) => {
        const duration = drill.endMs - drill.startMs;
        const [early, late] = [Math.min(f, g), Math.max(f, g)].map((x) => drill.startMs + Math.floor(x * duration)) as [number, number];
        const peak = drill.startMs + Math.ceil(SCENARIOS[drill.scenarioId].rampIn * duration);
        if (late <= peak) expect(intensity(drill, early)).toBeLessThanOrEqual(intensity(drill, late));
        if (early >= peak) expect(intensity(drill, early)).toBeGreaterThanOrEqual(intensity(drill, late));
      }),
    );
  });
});

describe("effectsAt", () => {
  const none = effectsAt([], 0);

  it("changes nothing without drills", () => {
    expect(none).toMatchObject({ flowFactor: 1, speedFactor: 1, clinicFactor: 1, broadbandDemand: 0 });
    for (const value of Object.values(none)) if (value instanceof Map) expect(value.size).toBe(0);
  });

  it("changes nothing outside every drill's [start, end) window", () => {
    fc.assert(
      fc.property(fc.array(arbDrill, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 48 * HOUR }), (drills, gap) => {
        const after = Math.max(...drills.map((d) => d.endMs)) + gap;
        const before = Math.min(...drills.map((d) => d.startMs)) - 1 - gap;
        expect(effectsAt(drills, after)).toEqual(none);
        expect(effectsAt(drills, before)).toEqual(none);
      }),
    );
  });
});

describe("drill effects show in the stream, against the same (seed, time) without the drill", () => {
  const arbSeedTime = fc.tuple(arbSeed, arbTime);
  /** 11:00 on a Wednesday: the roads are busy but not jammed, so an accident's full effect is visible. */
  const MIDDAY = WEDNESDAY(11);

  describe("accident-shennan", () => {
    const neighbours = ROADS.find((r) => r.id === "road-shennan")?.neighbours ?? [];

    it("raises Shennan Blvd's congestion by at least 4 at full intensity (or pins it at the scale's top, 10)", () => {
      fc.assert(
        fc.property(arbSeedTime, ([seed, time]) => {
          const { normal, drilled } = compare(seed, time, [atFullIntensity("accident-shennan", time)]);
          const before = normal.value("traffic.congestionIndex", "road-shennan");
          const after = drilled.value("traffic.congestionIndex", "road-shennan");
          expect(after).toBeGreaterThanOrEqual(Math.min(before + 4, 10));
        }),
        { numRuns: RUNS },
      );
      for (const seed of [1, 2, 3]) {
        const { normal, drilled } = compare(seed, MIDDAY, [atFullIntensity("accident-shennan", MIDDAY)]);
        expect(drilled.value("traffic.congestionIndex", "road-shennan") - normal.value("traffic.congestionIndex", "road-shennan")).toBeGreaterThanOrEqual(4);
      }
    });

    it("spreads congestion to Shennan Blvd's neighbouring roads and slows them", () => {
      expect(neighbours.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(arbSeedTime, ([seed, time]) => {
          const { normal, drilled } = compare(seed, time, [atFullIntensity("accident-shennan", time)]);
          for (const road of neighbours) {
            const before = normal.value("traffic.congestionIndex", road);
            expect(drilled.value("traffic.congestionIndex", road), road).toBeGreaterThanOrEqual(Math.min(before + 2, 10));
            expect(drilled.value("traffic.avgSpeed", road), road).toBeLessThanOrEqual(normal.value("traffic.avgSpeed", road));
          }
        }),
        { numRuns: RUNS },
      );
    });

    it("fills Futian's car parks: fuller district, no lot emptier", () => {
      const futianLots = ENTITIES.filter((e) => e.kind === "lot" && e.districtId === "futian");
      fc.assert(
        fc.property(arbSeedTime, ([seed, time]) => {
          const { normal, drilled } = compare(seed, time, [atFullIntensity("accident-shennan", time)]);
          expect(drilled.value("parking.occupancy", "futian")).toBeGreaterThan(normal.value("parking.occupancy", "futian"));
          expect(drilled.value("parking.freeSpaces", "futian")).toBeLessThan(normal.value("parking.freeSpaces", "futian"));
          for (const lot of futianLots) {
            const before = normal.get("parking.occupancy", lot.id);
            if (before !== undefined) expect(drilled.value("parking.occupancy", lot.id), lot.id).toBeGreaterThanOrEqual(before);
          }
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe("fiber-cut-nanshan", () => {
    const inNanshan = (e: EntityDefinition | undefined) => e?.districtId === "nanshan" && (e.kind === "hospital" || e.kind === "healthCentre" || e.kind === "accessNode");

    it("takes more than half of Nanshan's access nodes offline and cuts institutions off", () => {
      fc.assert(
        fc.property(arbSeedTime, ([seed, time]) => {
          const { normal, drilled } = compare(seed, time, [atFullIntensity("fiber-cut-nanshan", time)]);
          expect(drilled.value("broadband.nodesOnline", "nanshan")).toBeLessThan(normal.value("broadband.nodesOnline", "nanshan") / 2);
          expect(drilled.value("health.connected", "nanshan")).toBeLessThan(normal.value("health.connected", "nanshan"));
          expect(drilled.value("broadband.outages", "nanshan")).toBeGreaterThan(normal.value("broadband.outages", "nanshan"));
        }),
        { numRuns: RUNS },
      );
    });

    it("leaves every other district, every road and lot, and the city's traffic and parking exactly as they were", () => {
      fc.assert(
        fc.property(arbSeedTime, ([seed, time]) => {
          const { normal, drilled } = compare(seed, time, [atFullIntensity("fiber-cut-nanshan", time)]);
          const untouched = (s: TSample) => s.entityId !== "nanshan" && !inNanshan(entityById(s.entityId)) && (s.entityId !== CITY_ID || s.metricId.startsWith("traffic.") || s.metricId.startsWith("parking."));
          expect(drilled.samples.filter(untouched)).toEqual(normal.samples.filter(untouched));
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe("hospital-surge", () => {
    it("at least doubles the surge hospital's wait, and raises its visits", () => {
      fc.assert(
        fc.property(arbSeedTime, ([seed, time]) => {
          const { normal, drilled } = compare(seed, time, [atFullIntensity("hospital-surge", time)]);
          const before = normal.get("health.waitMinutes", SURGE_HOSPITAL_ID);
          // A hospital that happens to be offline this minute reports no wait, drill or not.
          fc.pre(before !== undefined);
          expect(drilled.value("health.waitMinutes", SURGE_HOSPITAL_ID)).toBeGreaterThanOrEqual(2 * (before ?? NaN));
          expect(drilled.value("health.visits", SURGE_HOSPITAL_ID)).toBeGreaterThan(normal.value("health.visits", SURGE_HOSPITAL_ID));
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe("typhoon", () => {
    const nodes = (districts: readonly string[]) => ENTITIES.filter((e) => e.kind === "accessNode" && districts.includes(e.districtId ?? "")).length;
    const COASTAL = DISTRICTS.filter((d) => d.profile === "coastal").map((d) => d.id);
    const INLAND = DISTRICTS.filter((d) => d.profile !== "coastal").map((d) => d.id);

    it("the coastal districts are Yantian and Dapeng", () => {
      expect(COASTAL.sort()).toEqual(["dapeng", "yantian"]);
    });

    it("cuts city traffic flow, raises backbone traffic, and takes a larger share of coastal nodes offline than of the others", () => {
      fc.assert(
        fc.property(arbSeedTime, ([seed, time]) => {
          const { normal, drilled } = compare(seed, time, [atFullIntensity("typhoon", time)]);
          expect(drilled.value("traffic.flow", CITY_ID)).toBeLessThan(normal.value("traffic.flow", CITY_ID));
          expect(drilled.value("broadband.backboneTbps", CITY_ID)).toBeGreaterThan(normal.value("broadband.backboneTbps", CITY_ID));
          const lostShare = (districts: readonly string[]) =>
            sum(districts.map((d) => normal.value("broadband.nodesOnline", d) - drilled.value("broadband.nodesOnline", d))) / nodes(districts);
          expect(lostShare(COASTAL)).toBeGreaterThan(lostShare(INLAND));
        }),
        { numRuns: RUNS },
      );
    });
  });
});

describe("a drill changes nothing outside its [start, end) window", () => {
  it("after its end (time ≥ endMs) and before its start, the stream equals the no-drill stream exactly", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, fc.array(fc.record({ scenarioId: arbScenario, duration: fc.integer({ min: MINUTE, max: 12 * HOUR }), gap: fc.integer({ min: 0, max: 6 * HOUR }), after: fc.boolean() }), { minLength: 1, maxLength: 4 }), (seed, time, specs) => {
        const drills = specs.map(({ scenarioId, duration, gap, after }, i): ActiveDrill => {
          const startMs = after ? time - gap - duration : time + 1 + gap;
          return { id: `drill-${i}`, scenarioId, startMs, endMs: startMs + duration };
        });
        expect(simulateCity(seed, time, drills)).toEqual(simulateCity(seed, time));
      }),
      { numRuns: RUNS },
    );
  });

  it.each(SCENARIO_IDS)("%s: the minute before its end still differs, its end restores normal behaviour exactly", (scenarioId) => {
    const drill: ActiveDrill = { id: "d", scenarioId, startMs: WEDNESDAY(10), endMs: WEDNESDAY(10) + SCENARIOS[scenarioId].defaultMinutes * MINUTE };
    for (const seed of [1, 2]) {
      expect(simulateCity(seed, drill.endMs - MINUTE, [drill])).not.toEqual(simulateCity(seed, drill.endMs - MINUTE));
      expect(simulateCity(seed, drill.endMs, [drill])).toEqual(simulateCity(seed, drill.endMs));
      expect(simulateCity(seed, drill.endMs + HOUR, [drill])).toEqual(simulateCity(seed, drill.endMs + HOUR));
    }
  });
});
