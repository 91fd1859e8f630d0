import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CITY_ID, CITY_TOTALS, DISTRICTS, ENTITIES, METRICS, entityById, metricById, type DistrictProfile, type EntityDefinition, type MetricId } from "../catalog";
import type { TSample } from "../realtime/protocol";
import { SCENARIO_IDS, type ActiveDrill } from "./scenarios";
import { simulateCity } from "./simulator";
import { Tick } from "./testing";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** fast-check runs per property; a simulateCity call costs ~1.5 ms, so a property costs well under a second. */
const RUNS = 60;
const SEEDS = [1, 7, 20_201];

/** Epoch ms of a Shenzhen wall-clock time (UTC+8, no daylight saving). */
function shenzhen(year: number, month: number, day: number, hour: number, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) - 8 * HOUR;
}
const WEDNESDAY = (hour: number, minute = 0) => shenzhen(2026, 11, 25, hour, minute);
const SATURDAY = (hour: number, minute = 0) => shenzhen(2026, 11, 28, hour, minute);

// ---------------------------------------------------------------------------------------------
// The city's structure, as the tests see it.

const SUMMARY_IDS = [CITY_ID, ...DISTRICTS.map((d) => d.id)];
const ofKind = (...kinds: EntityDefinition["kind"][]) => ENTITIES.filter((e) => kinds.includes(e.kind));
const LOTS = ofKind("lot");
const INSTITUTIONS = ofKind("hospital", "healthCentre");
const NODES = ofKind("accessNode");
const ROAD_ENTITIES = ofKind("road");
const inDistrict = (entities: readonly EntityDefinition[], districtId: string) => entities.filter((e) => e.districtId === districtId);
const OWN = new Map(DISTRICTS.map((d) => [d.id, { lots: inDistrict(LOTS, d.id), institutions: inDistrict(INSTITUTIONS, d.id), nodes: inDistrict(NODES, d.id) }]));
const metricsFor = (kind: EntityDefinition["kind"]) => METRICS.filter((m) => (m.entityKinds as readonly string[]).includes(kind));
/** Half a unit of the metric's last displayed decimal: how far a rounded value may sit from the exact one. */
const half = (metricId: MetricId) => 10 ** -(metricById(metricId)?.decimals ?? 0) / 2 + 1e-9;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const mean = (values: readonly number[]) => sum(values) / values.length;


const tickAt = (seed: number, timeMs: number, drills: readonly ActiveDrill[] = []) => new Tick(simulateCity(seed, timeMs, drills));

// ---------------------------------------------------------------------------------------------
// Random cases: integer seeds, times in 2024–2030, and random sets of drills around the time.

interface Case {
  seed: number;
  time: number;
  drills: ActiveDrill[];
}

const arbSeed = fc.integer();
const arbTime = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) });

/** One drill running at `time`, anywhere on its course (ramping in, on the plateau, ramping out). */
const arbRunningDrill = (time: number) =>
  fc.record({ scenarioId: fc.constantFrom(...SCENARIO_IDS), duration: fc.integer({ min: MINUTE, max: 8 * HOUR }), elapsed: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }).map(
    ({ scenarioId, duration, elapsed }): ActiveDrill => {
      const startMs = time - Math.floor(elapsed * duration);
      return { id: "running", scenarioId, startMs, endMs: startMs + duration };
    },
  );

/** Up to three more drills starting between 8 h before and 1 h after `time`: some over, some running, some still to come. */
const arbDrillsAround = (time: number) =>
  fc.array(fc.record({ scenarioId: fc.constantFrom(...SCENARIO_IDS), startOffset: fc.integer({ min: -8 * HOUR, max: HOUR }), duration: fc.integer({ min: MINUTE, max: 8 * HOUR }) }), { maxLength: 3 }).map((specs) =>
    specs.map(({ scenarioId, startOffset, duration }, i): ActiveDrill => ({ id: `drill-${i}`, scenarioId, startMs: time + startOffset, endMs: time + startOffset + duration })),
  );

const arbCase = (withDrills: boolean): fc.Arbitrary<Case> =>
  fc.record({ seed: arbSeed, time: arbTime }).chain(({ seed, time }) =>
    withDrills ? fc.tuple(arbRunningDrill(time), arbDrillsAround(time)).map(([running, others]) => ({ seed, time, drills: [running, ...others] })) : fc.constant({ seed, time, drills: [] }),
  );

/** Asserts that `problems` finds nothing in the stream, over random cases. */
function holds(withDrills: boolean, problems: (tick: Tick, c: Case) => string[]): void {
  fc.assert(
    fc.property(arbCase(withDrills), (c) => {
      expect(problems(tickAt(c.seed, c.time, c.drills), c)).toEqual([]);
    }),
    { numRuns: RUNS },
  );
}

// ---------------------------------------------------------------------------------------------
// The invariants, each a function listing what breaks it in one tick.

function catalogProblems(tick: Tick, c: Case): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of tick.samples) {
    const where = `${s.metricId} @ ${s.entityId} = ${s.value}`;
    const metric = metricById(s.metricId);
    const entity = entityById(s.entityId);
    if (!metric || !entity) {
      problems.push(`unknown metric or entity: ${where}`);
      continue;
    }
    if (!(metric.entityKinds as readonly string[]).includes(entity.kind)) problems.push(`${metric.id} does not apply to a ${entity.kind}: ${where}`);
    if (!Number.isFinite(s.value) || s.value < metric.range.min || s.value > metric.range.max) problems.push(`outside ${metric.range.min}–${metric.range.max}: ${where}`);
    const scaled = s.value * 10 ** metric.decimals;
    if (Math.abs(scaled - Math.round(scaled)) > 1e-6) problems.push(`more than ${metric.decimals} decimals: ${where}`);
    if (s.ts !== c.time) problems.push(`stamped ${s.ts}, not ${c.time}: ${where}`);
    const key = `${s.metricId}|${s.entityId}`;
    if (seen.has(key)) problems.push(`second sample: ${where}`);
    seen.add(key);
  }
  return problems;
}

function coverageProblems(tick: Tick): string[] {
  const problems: string[] = [];
  const expectAll = (entity: EntityDefinition) => {
    for (const m of metricsFor(entity.kind)) if (tick.get(m.id, entity.id) === undefined) problems.push(`missing ${m.id} @ ${entity.id}`);
  };
  for (const id of SUMMARY_IDS) expectAll(entityById(id) as EntityDefinition);
  for (const road of ROAD_ENTITIES) expectAll(road);
  for (const lot of LOTS) {
    if ((tick.get("parking.freeSpaces", lot.id) === undefined) !== (tick.get("parking.occupancy", lot.id) === undefined)) problems.push(`half a lot report @ ${lot.id}`);
  }
  for (const inst of INSTITUTIONS) {
    const connected = tick.get("health.connected", inst.id);
    const visits = tick.get("health.visits", inst.id);
    const wait = tick.get("health.waitMinutes", inst.id);
    if (connected !== 0 && connected !== 1) problems.push(`health.connected @ ${inst.id} = ${connected}, not 0 or 1`);
    if (connected === 1 && (visits === undefined || wait === undefined)) problems.push(`connected but silent @ ${inst.id}`);
    if (connected === 0 && (visits !== undefined || wait !== undefined)) problems.push(`cut off but reporting @ ${inst.id}`);
  }
  return problems;
}

function parkingProblems(tick: Tick): string[] {
  const problems: string[] = [];
  const occupancyProblem = (where: string, occupancy: number | undefined, occupied: number, capacity: number) => {
    const expected = capacity === 0 ? 0 : (100 * occupied) / capacity;
    if (occupancy === undefined || Math.abs(occupancy - expected) > half("parking.occupancy")) problems.push(`occupancy @ ${where} = ${occupancy}, expected ${expected} (${occupied}/${capacity})`);
  };
  const totals = { occupied: 0, capacity: 0 };
  for (const d of DISTRICTS) {
    let free = 0;
    let occupied = 0;
    let capacity = 0;
    let online = 0;
    for (const { entity: lot, value } of tick.reported("parking.freeSpaces", OWN.get(d.id)?.lots ?? [])) {
      const spaces = lot.capacity ?? NaN;
      if (!Number.isInteger(value) || value < 0 || value > spaces) problems.push(`free spaces @ ${lot.id} = ${value}, capacity ${spaces}`);
      occupancyProblem(lot.id, tick.get("parking.occupancy", lot.id), spaces - value, spaces);
      free += value;
      occupied += spaces - value;
      capacity += spaces;
      online++;
    }
    if (tick.get("parking.freeSpaces", d.id) !== free) problems.push(`free spaces @ ${d.id} = ${tick.get("parking.freeSpaces", d.id)}, its lots ${free}`);
    if (tick.get("parking.lotsOnline", d.id) !== online) problems.push(`lots online @ ${d.id} = ${tick.get("parking.lotsOnline", d.id)}, reporting ${online}`);
    occupancyProblem(d.id, tick.get("parking.occupancy", d.id), occupied, capacity);
    totals.occupied += occupied;
    totals.capacity += capacity;
  }
  occupancyProblem(CITY_ID, tick.get("parking.occupancy", CITY_ID), totals.occupied, totals.capacity);
  return problems;
}

function trafficProblems(tick: Tick): string[] {
  return tick.samples.flatMap((s) => {
    if (s.metricId === "traffic.avgSpeed" && !(s.value >= 0)) return [`negative speed @ ${s.entityId} = ${s.value}`];
    if (s.metricId === "traffic.congestionIndex" && !(s.value >= 0 && s.value <= 10)) return [`congestion off the 0–10 scale @ ${s.entityId} = ${s.value}`];
    return [];
  });
}

/** A weighted mean lies between the smallest and largest of what it averages. */
function betweenProblem(where: string, value: number | undefined, parts: readonly number[], metricId: MetricId): string[] {
  if (value === undefined) return [`missing ${metricId} @ ${where}`];
  if (parts.length === 0) return value === 0 ? [] : [`${metricId} @ ${where} = ${value} with nothing reporting`];
  const tolerance = half(metricId);
  return value >= Math.min(...parts) - tolerance && value <= Math.max(...parts) + tolerance ? [] : [`${metricId} @ ${where} = ${value}, outside ${Math.min(...parts)}–${Math.max(...parts)}`];
}

function healthProblems(tick: Tick): string[] {
  const problems: string[] = [];
  for (const d of DISTRICTS) {
    const institutions = OWN.get(d.id)?.institutions ?? [];
    const connected = sum(tick.reported("health.connected", institutions).map((r) => r.value));
    if (tick.get("health.connected", d.id) !== connected) problems.push(`connected @ ${d.id} = ${tick.get("health.connected", d.id)}, its institutions ${connected}`);
    if (connected > institutions.length) problems.push(`connected @ ${d.id} = ${connected} > ${institutions.length} institutions`);
    const visits = tick.reported("health.visits", institutions).map((r) => r.value);
    const districtVisits = tick.get("health.visits", d.id) ?? NaN;
    if (!(Math.abs(districtVisits - sum(visits)) <= half("health.visits"))) problems.push(`visits @ ${d.id} = ${districtVisits}, its institutions ${sum(visits)}`);
    const waits = tick.reported("health.waitMinutes", institutions).map((r) => r.value);
    if (sum(visits) > 0) problems.push(...betweenProblem(d.id, tick.get("health.waitMinutes", d.id), waits, "health.waitMinutes"));
  }
  return problems;
}

function broadbandProblems(tick: Tick): string[] {
  const problems: string[] = [];
  for (const d of DISTRICTS) {
    const nodes = OWN.get(d.id)?.nodes ?? [];
    const speeds = tick.reported("broadband.downloadMbps", nodes).map((r) => r.value);
    if (tick.get("broadband.nodesOnline", d.id) !== speeds.length) problems.push(`nodes online @ ${d.id} = ${tick.get("broadband.nodesOnline", d.id)}, reporting ${speeds.length}`);
    problems.push(...betweenProblem(d.id, tick.get("broadband.downloadMbps", d.id), speeds, "broadband.downloadMbps"));
    // Within one displayed unit (0.1 万户): rounding the districts so that they add up to the city total may move one by less than that.
    const households = sum(nodes.map((n) => n.capacity ?? NaN)) / 10_000;
    const ftth = tick.get("broadband.ftthHouseholds", d.id) ?? NaN;
    if (!(Math.abs(ftth - households) < 2 * half("broadband.ftthHouseholds"))) problems.push(`FTTH @ ${d.id} = ${ftth} 万户, its nodes serve ${households}`);
  }
  return problems;
}

function cityProblems(tick: Tick): string[] {
  const problems: string[] = [];
  for (const m of METRICS) {
    const city = tick.get(m.id, CITY_ID);
    const districts = DISTRICTS.map((d) => tick.get(m.id, d.id) ?? NaN);
    if (m.cityAggregate === "sum") {
      // Summed from the districts' displayed values, then rounded: within half a displayed unit.
      if (city === undefined || !(Math.abs(city - sum(districts)) <= half(m.id))) problems.push(`${m.id} @ city = ${city}, districts add up to ${sum(districts)}`);
    } else {
      problems.push(...betweenProblem(CITY_ID, city, districts, m.id));
    }
  }
  const limits: [MetricId, number, readonly EntityDefinition[]][] = [
    ["health.connected", CITY_TOTALS.hospitals + CITY_TOTALS.communityHealthCentres, INSTITUTIONS],
    ["parking.lotsOnline", CITY_TOTALS.parkingLots, LOTS],
    ["broadband.nodesOnline", NODES.length, NODES],
  ];
  for (const [metricId, limit, entities] of limits) {
    const city = tick.get(metricId, CITY_ID) ?? NaN;
    if (!(city <= limit && city <= entities.length)) problems.push(`${metricId} @ city = ${city} > ${limit}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe("simulateCity is a pure function of (seed, time, drills)", () => {
  it("returns the same samples for the same seed, time and drills", () => {
    fc.assert(
      fc.property(arbCase(true), ({ seed, time, drills }) => {
        expect(simulateCity(seed, time, drills)).toEqual(simulateCity(seed, time, drills));
        expect(simulateCity(seed, time)).toEqual(simulateCity(seed, time, []));
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it("returns a different city for a different seed at the same time", () => {
    const time = WEDNESDAY(10);
    const a = simulateCity(1, time);
    for (const seed of [2, 3, -1, 20_201]) expect(simulateCity(seed, time)).not.toEqual(a);
  });

  it("does not change the drills it is given", () => {
    fc.assert(
      fc.property(arbCase(true), ({ seed, time, drills }) => {
        const copy = structuredClone(drills);
        simulateCity(seed, time, drills);
        expect(drills).toEqual(copy);
      }),
      { numRuns: 10 },
    );
  });

  it("reproduces a whole day at 1-minute steps, drills included, whatever order the minutes are computed in", () => {
    const drills: ActiveDrill[] = [
      { id: "a", scenarioId: "accident-shennan", startMs: WEDNESDAY(7, 40), endMs: WEDNESDAY(8, 25) },
      { id: "f", scenarioId: "fiber-cut-nanshan", startMs: WEDNESDAY(12), endMs: WEDNESDAY(13) },
      { id: "h", scenarioId: "hospital-surge", startMs: WEDNESDAY(9), endMs: WEDNESDAY(10, 30) },
      { id: "t", scenarioId: "typhoon", startMs: WEDNESDAY(17), endMs: WEDNESDAY(23) },
    ];
    const minutes = Array.from({ length: 24 * 60 }, (_, i) => WEDNESDAY(0) + i * MINUTE);
    const forward = minutes.map((t) => digest(simulateCity(42, t, drills)));
    const backward = [...minutes].reverse().map((t) => digest(simulateCity(42, t, drills))).reverse();
    expect(backward).toEqual(forward);
    // And the digests do tell minutes apart: the stream is not constant.
    expect(new Set(forward).size).toBe(minutes.length);
  });
});

/** FNV-1a of a string; ids repeat every tick, so each is hashed once. */
const stringHashes = new Map<string, number>();
function hashOf(text: string): number {
  let h = stringHashes.get(text);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    stringHashes.set(text, h);
  }
  return h;
}

/** A 64-bit fingerprint of a stream tick: every sample's ids and the exact bits of its time and value, in order. */
function digest(samples: readonly TSample[]): string {
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  let a = 0x811c9dc5;
  let b = 0x01000193;
  const mix = (x: number) => {
    a = Math.imul(a ^ x, 0x01000193) >>> 0;
    b = Math.imul((b ^ x) + 0x9e3779b9, 0x5bd1e995) >>> 0;
  };
  for (const s of samples) {
    mix(hashOf(s.metricId));
    mix(hashOf(s.entityId));
    bits[0] = s.value;
    mix(words[0] ?? 0);
    mix(words[1] ?? 0);
    bits[0] = s.ts;
    mix(words[0] ?? 0);
    mix(words[1] ?? 0);
  }
  return `${samples.length}:${a.toString(16)}:${b.toString(16)}`;
}

describe.each([
  ["without drills", false],
  ["with random drills", true],
])("every tick keeps the simulator's invariants (%s)", (_label, withDrills) => {
  it("every sample has a known metric and entity, the metric applies to the entity's kind, and its value is finite, inside the catalog range, at the metric's decimals and stamped with the tick's time; at most one per (metric, entity)", () => {
    holds(withDrills, catalogProblems);
  });

  it("the city, each district and each road report every metric their kind allows; a silent lot, institution or node reports nothing but health.connected = 0", () => {
    holds(withDrills, coverageProblems);
  });

  it("no lot holds more cars than spaces: 0 ≤ free ≤ capacity, occupancy = 100 × (capacity − free) / capacity; districts and the city add up their reporting lots", () => {
    holds(withDrills, parkingProblems);
  });

  it("speeds are never negative and the congestion index stays on its 0–10 scale", () => {
    holds(withDrills, trafficProblems);
  });

  it("a district's connected institutions and visits are the sums of its institutions', and its wait lies between theirs", () => {
    holds(withDrills, healthProblems);
  });

  it("a district's nodes online counts its reporting nodes, its FTTH households are its nodes' households, its download speed lies between theirs", () => {
    holds(withDrills, broadbandProblems);
  });

  it("the city sums its districts for 'sum' metrics, lies between them for weighted means, and never counts more institutions, lots or nodes than exist", () => {
    holds(withDrills, cityProblems);
  });
});

describe("the city's FTTH households", () => {
  it("the ten districts' FTTH households add up to the seed article's 941 万户 at city level", () => {
    const tick = tickAt(1, WEDNESDAY(12));
    const districts = DISTRICTS.map((d) => tick.value("broadband.ftthHouseholds", d.id));
    expect(sum(districts)).toBeCloseTo(CITY_TOTALS.ftthHouseholdsTenK, 6);
    expect(tick.value("broadband.ftthHouseholds", CITY_ID)).toBeCloseTo(941, 6);
  });

  it("the district FTTH figures do not depend on seed, time or drills", () => {
    const reference = tickAt(1, WEDNESDAY(12));
    fc.assert(
      fc.property(arbCase(true), ({ seed, time, drills }) => {
        const tick = tickAt(seed, time, drills);
        for (const id of SUMMARY_IDS) expect(tick.value("broadband.ftthHouseholds", id)).toBe(reference.value("broadband.ftthHouseholds", id));
      }),
      { numRuns: 20 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The day's shape, on a simulated Wednesday (and a Saturday), averaged over a few seeds.

const STEP = 5 * MINUTE;
const hourOf = (timeMs: number) => (timeMs - WEDNESDAY(0)) / HOUR;

/** A curve over the day: [hour of day, value averaged over SEEDS] every 5 minutes. */
type Curve = [number, number][];

const argMax = (curve: Curve, from: number, to: number) =>
  curve.filter(([h]) => h >= from && h < to).reduce((best, point) => (point[1] > best[1] ? point : best), [NaN, -Infinity])[0];
const valuesIn = (curve: Curve, from: number, to: number) => curve.filter(([h]) => h >= from && h < to).map(([, v]) => v);

/** Occupancy of all reporting lots of one profile taken together: occupied / capacity. */
function profileOccupancy(tick: Tick, profile: DistrictProfile): number {
  let occupied = 0;
  let capacity = 0;
  for (const { entity, value } of tick.reported("parking.freeSpaces", LOTS.filter((l) => l.profile === profile))) {
    occupied += (entity.capacity ?? 0) - value;
    capacity += entity.capacity ?? 0;
  }
  return (100 * occupied) / capacity;
}

const meanOverSeeds = (timeMs: number, read: (tick: Tick) => number) => mean(SEEDS.map((seed) => read(tickAt(seed, timeMs))));

describe("the city follows Shenzhen's daily rhythm (Wednesday 2026-11-25, local time)", () => {
  const curves = { congestion: [] as Curve, cityVisits: [] as Curve, hospitalVisits: [] as Curve, backbone: [] as Curve, saturdayCongestion: [] as Curve };
  const hospitals = ofKind("hospital");

  beforeAll(() => {
    for (let t = WEDNESDAY(0); t < WEDNESDAY(24); t += STEP) {
      const ticks = SEEDS.map((seed) => tickAt(seed, t));
      const at = (read: (tick: Tick) => number): [number, number] => [hourOf(t), mean(ticks.map(read))];
      curves.congestion.push(at((k) => k.value("traffic.congestionIndex", CITY_ID)));
      curves.cityVisits.push(at((k) => k.value("health.visits", CITY_ID)));
      curves.hospitalVisits.push(at((k) => sum(k.reported("health.visits", hospitals).map((r) => r.value))));
      curves.backbone.push(at((k) => k.value("broadband.backboneTbps", CITY_ID)));
    }
    for (let t = SATURDAY(16); t < SATURDAY(21); t += STEP) {
      curves.saturdayCongestion.push([(t - SATURDAY(0)) / HOUR, meanOverSeeds(t, (k) => k.value("traffic.congestionIndex", CITY_ID))]);
    }
  });

  it("uses a Wednesday and a Saturday", () => {
    expect(new Date(WEDNESDAY(12) + 8 * HOUR).getUTCDay()).toBe(3);
    expect(new Date(SATURDAY(12) + 8 * HOUR).getUTCDay()).toBe(6);
  });

  it("city congestion peaks in the morning within 07:30–09:30 and in the evening within 17:30–19:30", () => {
    const morning = argMax(curves.congestion, 0, 13);
    const evening = argMax(curves.congestion, 13, 24);
    expect(morning).toBeGreaterThanOrEqual(7.5);
    expect(morning).toBeLessThanOrEqual(9.5);
    expect(evening).toBeGreaterThanOrEqual(17.5);
    expect(evening).toBeLessThanOrEqual(19.5);
  });

  it("both rush hours are more than 2.5 times as congested as the small hours", () => {
    const night = mean(valuesIn(curves.congestion, 1, 5));
    expect(Math.max(...valuesIn(curves.congestion, 7.5, 9.5))).toBeGreaterThan(2.5 * night);
    expect(Math.max(...valuesIn(curves.congestion, 17.5, 19.5))).toBeGreaterThan(2.5 * night);
  });

  it("city congestion is lowest between 01:00 and 05:00", () => {
    const night = valuesIn(curves.congestion, 1, 5);
    const day = curves.congestion.map(([, v]) => v);
    // The late evening and dawn are as quiet as the night up to noise; nothing is quieter by more than 0.1.
    expect(Math.min(...night)).toBeLessThanOrEqual(Math.min(...day) + 0.1);
    // And the night is well below every moment of the working day.
    expect(mean(night)).toBeLessThan(Math.min(...valuesIn(curves.congestion, 6.5, 20.5)) - 0.1);
  });

  it("the weekday evening peak is stronger than Saturday's", () => {
    const weekday = Math.max(...valuesIn(curves.congestion, 17.5, 19.5));
    const saturday = Math.max(...valuesIn(curves.saturdayCongestion, 17.5, 19.5));
    expect(weekday).toBeGreaterThan(saturday + 1);
  });

  it("CBD-profile lots are fuller at 11:00 than at 03:00, by at least 30 points", () => {
    const cbd = (t: number) => meanOverSeeds(t, (k) => profileOccupancy(k, "cbd"));
    expect(cbd(WEDNESDAY(11)) - cbd(WEDNESDAY(3))).toBeGreaterThanOrEqual(30);
  });

  it("residential-profile lots are fuller at 03:00 than at 11:00, by at least 30 points", () => {
    const residential = (t: number) => meanOverSeeds(t, (k) => profileOccupancy(k, "residential"));
    expect(residential(WEDNESDAY(3)) - residential(WEDNESDAY(11))).toBeGreaterThanOrEqual(30);
  });

  it.each(["futian", "nanshan"])("CBD district %s car parks fill up by at least 30 points from 03:00 to 11:00", (id) => {
    const occupancy = (t: number) => meanOverSeeds(t, (k) => k.value("parking.occupancy", id));
    expect(occupancy(WEDNESDAY(11)) - occupancy(WEDNESDAY(3))).toBeGreaterThanOrEqual(30);
  });

  it.each(["baoan", "longgang", "longhua"])("residential district %s car parks are fuller at 03:00 than at 11:00 by more than 10 points", (id) => {
    const occupancy = (t: number) => meanOverSeeds(t, (k) => k.value("parking.occupancy", id));
    expect(occupancy(WEDNESDAY(3))).toBeGreaterThan(occupancy(WEDNESDAY(11)) + 10);
  });

  it("hospital visits peak in the morning, within 08:00–11:00", () => {
    for (const curve of [curves.hospitalVisits, curves.cityVisits]) {
      const peak = argMax(curve, 0, 24);
      expect(peak).toBeGreaterThanOrEqual(8);
      expect(peak).toBeLessThanOrEqual(11);
    }
  });

  it("outpatient visits at 09:30 are more than five times the 03:00 level", () => {
    const at = (h: number) => valuesIn(curves.cityVisits, h, h + 0.01)[0] ?? NaN;
    expect(at(9.5)).toBeGreaterThan(5 * at(3));
  });

  it("broadband backbone traffic peaks within 20:00–23:00, at more than twice the 05:00 level", () => {
    const peak = argMax(curves.backbone, 0, 24);
    expect(peak).toBeGreaterThanOrEqual(20);
    expect(peak).toBeLessThanOrEqual(23);
    expect(Math.max(...curves.backbone.map(([, v]) => v))).toBeGreaterThan(2 * (valuesIn(curves.backbone, 5, 5.01)[0] ?? NaN));
  });

  it("home internet slows downloads in the evening: slower at 21:30 than at 05:00", () => {
    const download = (t: number) => meanOverSeeds(t, (k) => k.value("broadband.downloadMbps", CITY_ID));
    expect(download(WEDNESDAY(21, 30))).toBeLessThan(download(WEDNESDAY(5)) - 30);
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
        const tick = tickAt(seed, start + s * 1000);
        seen.add(`${tick.value("traffic.congestionIndex", CITY_ID)}|${tick.value("traffic.flow", CITY_ID)}`);
      }
      expect(seen.size, `seed ${seed}`).toBeGreaterThan(1);
    }
  });
});
