import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CITY_ID, CITY_TOTALS, DISTRICTS, METRICS, entityById, metricById, shareByPopulation, type MetricId } from "../catalog";
import type { TSample } from "../realtime/protocol";
import { simulateCity } from "./simulator";

const HOUR = 3_600_000;
const SEEDS = [1, 7, 20_201, 424_242, 987_654_321];
const ENTITY_IDS = [CITY_ID, ...DISTRICTS.map((d) => d.id)];

/** Epoch ms of a Shenzhen wall-clock time (UTC+8, no daylight saving). */
function shenzhen(year: number, month: number, day: number, hour: number, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) - 8 * HOUR;
}
const WEDNESDAY = (hour: number, minute = 0) => shenzhen(2026, 11, 25, hour, minute);
const SATURDAY = (hour: number, minute = 0) => shenzhen(2026, 11, 28, hour, minute);

function valueOf(samples: readonly TSample[], metricId: MetricId, entityId: string): number {
  const found = samples.find((s) => s.metricId === metricId && s.entityId === entityId);
  if (!found) throw new Error(`no sample for ${metricId} @ ${entityId}`);
  return found.value;
}

/** A value averaged over several seeds, so the rhythm tests check the curve, not one seed's noise. */
function meanOverSeeds(metricId: MetricId, entityId: string, timeMs: number): number {
  return SEEDS.reduce((sum, seed) => sum + valueOf(simulateCity(seed, timeMs), metricId, entityId), 0) / SEEDS.length;
}

const arbSeed = fc.integer();
const arbTime = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) });

describe("simulateCity is a pure function of (seed, time)", () => {
  it("returns the same samples for the same seed and time", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, (seed, time) => {
        expect(simulateCity(seed, time)).toEqual(simulateCity(seed, time));
      }),
    );
  });

  it("returns a different city for a different seed at the same time", () => {
    const time = WEDNESDAY(10);
    const a = simulateCity(1, time);
    for (const seed of [2, 3, -1, 20_201]) expect(simulateCity(seed, time)).not.toEqual(a);
  });

  it("stamps every sample with the requested time", () => {
    const time = WEDNESDAY(10, 30);
    for (const s of simulateCity(1, time)) expect(s.ts).toBe(time);
  });
});

describe("every sample is valid against the catalog", () => {
  it("has a known metric and entity and a finite value inside the metric's range", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, (seed, time) => {
        for (const s of simulateCity(seed, time)) {
          const metric = metricById(s.metricId);
          expect(metric, s.metricId).toBeDefined();
          expect(entityById(s.entityId), s.entityId).toBeDefined();
          expect(Number.isFinite(s.value)).toBe(true);
          expect(s.value, `${s.metricId} @ ${s.entityId}`).toBeGreaterThanOrEqual(metric?.range.min ?? NaN);
          expect(s.value, `${s.metricId} @ ${s.entityId}`).toBeLessThanOrEqual(metric?.range.max ?? NaN);
        }
      }),
    );
  });

  it("emits exactly one sample per (metric, entity), covering every metric for the city and each district", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, (seed, time) => {
        const keys = simulateCity(seed, time).map((s) => `${s.metricId}|${s.entityId}`);
        const expected = METRICS.flatMap((m) => ENTITY_IDS.map((e) => `${m.id}|${e}`));
        expect(keys.length).toBe(new Set(keys).size);
        expect(new Set(keys)).toEqual(new Set(expected));
      }),
    );
  });
});

describe("the city and its districts tell the same story", () => {
  it("city values of 'sum' metrics equal the sum of the ten districts", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, (seed, time) => {
        const samples = simulateCity(seed, time);
        for (const m of METRICS.filter((x) => x.cityAggregate === "sum")) {
          const districts = DISTRICTS.reduce((sum, d) => sum + valueOf(samples, m.id, d.id), 0);
          expect(Math.abs(valueOf(samples, m.id, CITY_ID) - districts), m.id).toBeLessThanOrEqual(10 ** -m.decimals / 2 + 1e-9);
        }
      }),
    );
  });

  it("city values of 'weighted-mean' metrics lie between the lowest and highest district", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, (seed, time) => {
        const samples = simulateCity(seed, time);
        for (const m of METRICS.filter((x) => x.cityAggregate === "weighted-mean")) {
          const values = DISTRICTS.map((d) => valueOf(samples, m.id, d.id));
          const half = 10 ** -m.decimals / 2 + 1e-9;
          const city = valueOf(samples, m.id, CITY_ID);
          expect(city, m.id).toBeGreaterThanOrEqual(Math.min(...values) - half);
          expect(city, m.id).toBeLessThanOrEqual(Math.max(...values) + half);
        }
      }),
    );
  });

  /** The capacities consistent with a displayed occupancy (rounded to 0.1 %) and free-space count. */
  function capacityInterval(samples: readonly TSample[], entityId: string): [number, number] | undefined {
    const occupancy = valueOf(samples, "parking.occupancy", entityId);
    const free = valueOf(samples, "parking.freeSpaces", entityId);
    if (occupancy >= 99) return undefined;
    const eps = 1e-9;
    return [free / (1 - (occupancy - 0.05) / 100) - eps, free / (1 - (occupancy + 0.05) / 100) + eps];
  }

  it("parking occupancy and free spaces imply one fixed capacity per entity over time", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, arbTime, (seed, t1, t2) => {
        const a = simulateCity(seed, t1);
        const b = simulateCity(seed, t2);
        for (const id of ENTITY_IDS) {
          const ia = capacityInterval(a, id);
          const ib = capacityInterval(b, id);
          if (!ia || !ib) continue;
          // The two intervals must overlap: some single capacity explains both readings.
          expect(Math.max(ia[0], ib[0]), id).toBeLessThanOrEqual(Math.min(ia[1], ib[1]));
        }
      }),
    );
  });

  it("never reports more institutions or lots online than exist", () => {
    const institutions = shareByPopulation(CITY_TOTALS.hospitals + CITY_TOTALS.communityHealthCentres);
    const lots = shareByPopulation(CITY_TOTALS.parkingLots);
    fc.assert(
      fc.property(arbSeed, arbTime, (seed, time) => {
        const samples = simulateCity(seed, time);
        expect(valueOf(samples, "health.connected", CITY_ID)).toBeLessThanOrEqual(360);
        expect(valueOf(samples, "parking.lotsOnline", CITY_ID)).toBeLessThanOrEqual(767);
        for (const d of DISTRICTS) {
          expect(valueOf(samples, "health.connected", d.id)).toBeLessThanOrEqual(institutions[d.id] ?? 0);
          expect(valueOf(samples, "parking.lotsOnline", d.id)).toBeLessThanOrEqual(lots[d.id] ?? 0);
        }
      }),
    );
  });

  it("keeps speeds non-negative and the congestion index on its 0–10 scale", () => {
    fc.assert(
      fc.property(arbSeed, arbTime, (seed, time) => {
        const samples = simulateCity(seed, time);
        for (const id of ENTITY_IDS) {
          expect(valueOf(samples, "traffic.avgSpeed", id)).toBeGreaterThanOrEqual(0);
          const congestion = valueOf(samples, "traffic.congestionIndex", id);
          expect(congestion).toBeGreaterThanOrEqual(0);
          expect(congestion).toBeLessThanOrEqual(10);
        }
      }),
    );
  });
});

describe("the city follows Shenzhen's daily rhythm (Wednesday 2026-11-25, local time)", () => {
  it("uses a Wednesday and a Saturday", () => {
    expect(new Date(WEDNESDAY(12) + 8 * HOUR).getUTCDay()).toBe(3);
    expect(new Date(SATURDAY(12) + 8 * HOUR).getUTCDay()).toBe(6);
  });

  it.each([
    ["08:15", WEDNESDAY(8, 15)],
    ["18:15", WEDNESDAY(18, 15)],
  ])("city congestion at the %s rush hour is more than twice the 03:00 level", (_label, rush) => {
    expect(meanOverSeeds("traffic.congestionIndex", CITY_ID, rush)).toBeGreaterThan(2 * meanOverSeeds("traffic.congestionIndex", CITY_ID, WEDNESDAY(3)));
  });

  it("the weekday evening peak is stronger than Saturday at the same hour", () => {
    const weekday = meanOverSeeds("traffic.congestionIndex", CITY_ID, WEDNESDAY(18, 15));
    const saturday = meanOverSeeds("traffic.congestionIndex", CITY_ID, SATURDAY(18, 15));
    expect(weekday).toBeGreaterThan(saturday + 1);
  });

  it.each(["futian", "nanshan"])("CBD %s car parks fill up by at least 30 points from 03:00 to 11:00", (id) => {
    expect(meanOverSeeds("parking.occupancy", id, WEDNESDAY(11)) - meanOverSeeds("parking.occupancy", id, WEDNESDAY(3))).toBeGreaterThanOrEqual(30);
  });

  it.each(["baoan", "longgang", "longhua"])("residential %s car parks are fuller at 03:00 than at 11:00", (id) => {
    expect(meanOverSeeds("parking.occupancy", id, WEDNESDAY(3))).toBeGreaterThan(meanOverSeeds("parking.occupancy", id, WEDNESDAY(11)) + 10);
  });

  it("outpatient visits at 09:30 are more than five times the 03:00 level", () => {
    expect(meanOverSeeds("health.visits", CITY_ID, WEDNESDAY(9, 30))).toBeGreaterThan(5 * meanOverSeeds("health.visits", CITY_ID, WEDNESDAY(3)));
  });

  it("home internet peaks in the evening: more backbone traffic and slower downloads at 21:30 than at 05:00", () => {
    expect(meanOverSeeds("broadband.backboneTbps", CITY_ID, WEDNESDAY(21, 30))).toBeGreaterThan(2 * meanOverSeeds("broadband.backboneTbps", CITY_ID, WEDNESDAY(5)));
    expect(meanOverSeeds("broadband.downloadMbps", CITY_ID, WEDNESDAY(21, 30))).toBeLessThan(meanOverSeeds("broadband.downloadMbps", CITY_ID, WEDNESDAY(5)) - 30);
  });
});

describe("the stream moves", () => {
  it.each([
    ["03:00", WEDNESDAY(3)],
    ["11:00", WEDNESDAY(11)],
    ["Saturday 14:00", SATURDAY(14)],
  ])("city congestion or flow changes within 10 consecutive seconds at %s", (_label, start) => {
    for (const seed of SEEDS) {
      const seen = new Set<string>();
      for (let s = 0; s < 10; s++) {
        const samples = simulateCity(seed, start + s * 1000);
        seen.add(`${valueOf(samples, "traffic.congestionIndex", CITY_ID)}|${valueOf(samples, "traffic.flow", CITY_ID)}`);
      }
      expect(seen.size, `seed ${seed}`).toBeGreaterThan(1);
    }
  });
});
