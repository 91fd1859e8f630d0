import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CITY_ID,
  CITY_TOTALS,
  DISTRICTS,
  DOMAINS,
  ENTITIES,
  ENTITY_KINDS,
  METRICS,
  ROADS,
  entitiesOfKind,
  entityById,
  isMetricId,
  isSummaryEntity,
  metricById,
  metricsOf,
  shareByPopulation,
  type EntityDefinition,
} from ".";

const DISTRICT_IDS = ["futian", "luohu", "nanshan", "yantian", "baoan", "longgang", "longhua", "pingshan", "guangming", "dapeng"];
const FTTH_HOUSEHOLDS = CITY_TOTALS.ftthHouseholdsTenK * 10_000;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const capacities = (entities: readonly EntityDefinition[]) => entities.map((e) => e.capacity ?? NaN);

describe("metric catalog", () => {
  it("gives every metric a unique id", () => {
    const ids = METRICS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(DOMAINS)("has at least three metrics for the %s domain", (domain) => {
    expect(metricsOf(domain).length).toBeGreaterThanOrEqual(3);
  });

  it.each(METRICS.map((m) => [m.id, m] as const))("%s has zh and en labels and a non-empty range", (_id, metric) => {
    expect(metric.label.zh.trim()).not.toBe("");
    expect(metric.label.en.trim()).not.toBe("");
    expect(metric.label.zh).not.toBe(metric.label.en);
    expect(metric.range.min).toBeLessThan(metric.range.max);
    expect(Number.isInteger(metric.decimals) && metric.decimals >= 0).toBe(true);
  });

  it.each(METRICS.map((m) => [m.id, m] as const))("%s applies to the city and the districts, and only to known entity kinds", (_id, metric) => {
    expect(metric.entityKinds).toEqual(expect.arrayContaining(["city", "district"]));
    for (const kind of metric.entityKinds) expect(ENTITY_KINDS).toContain(kind);
  });

  it("measures every kind of single entity with at least one metric", () => {
    for (const kind of ENTITY_KINDS) expect(METRICS.some((m) => (m.entityKinds as readonly string[]).includes(kind)), kind).toBe(true);
  });

  const withThresholds = METRICS.flatMap((m) => ("thresholds" in m ? [[m.id, m.range, m.thresholds] as const] : []));

  it("has thresholds on at least one 'above' and one 'below' metric", () => {
    expect(new Set(withThresholds.map(([, , t]) => t.direction))).toEqual(new Set(["above", "below"]));
  });

  it.each(withThresholds)("%s: thresholds lie inside the range and escalate in the metric's direction", (_id, range, t) => {
    for (const limit of [t.warning, t.critical]) {
      expect(limit).toBeGreaterThan(range.min);
      expect(limit).toBeLessThan(range.max);
    }
    if (t.direction === "above") expect(t.warning).toBeLessThan(t.critical);
    else expect(t.warning).toBeGreaterThan(t.critical);
  });

  it("looks every metric up by its id, and nothing else", () => {
    for (const m of METRICS) {
      expect(metricById(m.id)).toBe(m);
      expect(isMetricId(m.id)).toBe(true);
    }
    expect(metricById("traffic.nope")).toBeUndefined();
    expect(isMetricId("traffic.nope")).toBe(false);
  });
});

describe("shareByPopulation", () => {
  const totals = [0, 1, 7, CITY_TOTALS.parkingLots, CITY_TOTALS.hospitals + CITY_TOTALS.communityHealthCentres, CITY_TOTALS.ftthHouseholdsTenK * 10];

  it.each(totals)("splits %i into whole, non-negative district shares that add up exactly", (total) => {
    const shares = shareByPopulation(total);
    expect(Object.keys(shares).sort()).toEqual([...DISTRICT_IDS].sort());
    for (const v of Object.values(shares)) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(sum(Object.values(shares))).toBe(total);
  });

  it("gives the most populous district the largest share of the 767 lots", () => {
    const shares = shareByPopulation(767);
    const largest = [...DISTRICTS].sort((a, b) => b.populationTenK - a.populationTenK)[0];
    expect(largest?.id).toBe("baoan");
    expect(Math.max(...Object.values(shares))).toBe(shares.baoan);
  });

  it("adds up exactly and stays within one unit of the exact population share for any total up to 100000", () => {
    const population = sum(DISTRICTS.map((d) => d.populationTenK));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (total) => {
        const shares = shareByPopulation(total);
        expect(sum(Object.values(shares))).toBe(total);
        for (const d of DISTRICTS) {
          const share = shares[d.id];
          expect(Number.isInteger(share)).toBe(true);
          expect(Math.abs((share ?? NaN) - (total * d.populationTenK) / population)).toBeLessThan(1);
        }
      }),
    );
  });
});

describe("roads", () => {
  const roadIds = new Set(ROADS.map((r) => r.id));

  it("lists at least twelve main roads with unique ids, Chinese and English names and lanes", () => {
    expect(ROADS.length).toBeGreaterThanOrEqual(12);
    expect(roadIds.size).toBe(ROADS.length);
    for (const r of ROADS) {
      expect(r.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.nameEn).toMatch(/^[A-Z]/);
      expect(Number.isInteger(r.lanes) && r.lanes > 0, r.id).toBe(true);
    }
    expect(ROADS.map((r) => r.nameZh)).toEqual(expect.arrayContaining(["深南大道", "北环大道", "滨海大道"]));
  });

  it("runs every road through at least one of the ten districts, and only through them", () => {
    for (const r of ROADS) {
      expect(r.districts.length, r.id).toBeGreaterThan(0);
      for (const d of r.districts) expect(DISTRICT_IDS, r.id).toContain(d);
    }
  });

  it("draws every road as a course of at least two points inside Shenzhen", () => {
    for (const r of ROADS) {
      expect(r.course.length, r.id).toBeGreaterThanOrEqual(2);
      for (const [lon, lat] of r.course) {
        expect(lon, r.id).toBeGreaterThan(113.75);
        expect(lon, r.id).toBeLessThan(114.65);
        expect(lat, r.id).toBeGreaterThan(22.43);
        expect(lat, r.id).toBeLessThan(22.87);
      }
    }
  });

  it("names only other known roads as neighbours", () => {
    for (const r of ROADS) {
      expect(r.neighbours.length, r.id).toBeGreaterThan(0);
      for (const n of r.neighbours) {
        expect(roadIds.has(n), `${r.id} → ${n}`).toBe(true);
        expect(n).not.toBe(r.id);
      }
    }
  });
});

describe("entities", () => {
  const count = (kind: EntityDefinition["kind"]) => entitiesOfKind(kind).length;

  it("models the whole city: 1 city, 10 districts, ≥ 12 roads, 767 lots, 120 hospitals, 240 health centres, 350 access nodes", () => {
    expect(count("city")).toBe(1);
    expect(count("district")).toBe(10);
    expect(count("road")).toBeGreaterThanOrEqual(12);
    expect(count("road")).toBe(ROADS.length);
    expect(count("lot")).toBe(CITY_TOTALS.parkingLots);
    expect(count("lot")).toBe(767);
    expect(count("hospital")).toBe(120);
    expect(count("healthCentre")).toBe(240);
    expect(count("accessNode")).toBe(350);
    expect(ENTITIES.length).toBe(sum(ENTITY_KINDS.map(count)));
  });

  it("gives every entity a unique id", () => {
    expect(new Set(ENTITIES.map((e) => e.id)).size).toBe(ENTITIES.length);
  });

  it("lists the city first, then all ten districts", () => {
    expect(ENTITIES[0]).toMatchObject({ id: CITY_ID, kind: "city", districtId: null });
    expect(ENTITIES.slice(1, 11).map((e) => e.id)).toEqual(DISTRICT_IDS);
    for (const e of ENTITIES.slice(1, 11)) expect(e).toMatchObject({ kind: "district", districtId: e.id });
  });

  it("files every entity but the city under one of the ten districts", () => {
    for (const e of ENTITIES.filter((x) => x.kind !== "city")) expect(DISTRICT_IDS, e.id).toContain(e.districtId);
  });

  it("names every entity in Chinese and English", () => {
    for (const e of ENTITIES) {
      expect(e.nameZh, e.id).toMatch(/[\u4e00-\u9fff]/);
      expect(e.nameEn, e.id).toMatch(/^[A-Z]/);
    }
  });

  it("places every entity on the map inside Shenzhen", () => {
    for (const e of ENTITIES) {
      expect(e.lon, e.id).toBeGreaterThan(113.7);
      expect(e.lon, e.id).toBeLessThan(114.7);
      expect(e.lat, e.id).toBeGreaterThan(22.4);
      expect(e.lat, e.id).toBeLessThan(22.9);
    }
  });

  it("gives every entity but roads a positive whole capacity (residents for the city and districts), and roads none", () => {
    for (const e of ENTITIES) {
      if (e.kind !== "road") {
        expect(Number.isInteger(e.capacity) && (e.capacity ?? 0) > 0, e.id).toBe(true);
      } else {
        expect(e.capacity, e.id).toBeNull();
      }
    }
  });

  it("gives the districts their relative size: residents that add up to the city's", () => {
    const districts = entitiesOfKind("district");
    expect(sum(capacities(districts))).toBeCloseTo(entityById(CITY_ID)?.capacity ?? 0, -1);
    expect(entityById("baoan")?.capacity).toBeGreaterThan(entityById("dapeng")?.capacity ?? Infinity);
  });

  it("gives every lot a daily-rhythm profile", () => {
    for (const lot of entitiesOfKind("lot")) expect(["cbd", "mixed", "residential", "coastal"], lot.id).toContain(lot.profile);
    // Both rhythms the wall contrasts are present in numbers.
    expect(entitiesOfKind("lot").filter((l) => l.profile === "cbd").length).toBeGreaterThan(100);
    expect(entitiesOfKind("lot").filter((l) => l.profile === "residential").length).toBeGreaterThan(100);
  });

  it.each([
    ["lot", CITY_TOTALS.parkingLots],
    ["hospital", CITY_TOTALS.hospitals],
    ["healthCentre", CITY_TOTALS.communityHealthCentres],
  ] as const)("shares the %ss out over the districts by population", (kind, total) => {
    const shares = shareByPopulation(total);
    for (const d of DISTRICTS) expect(entitiesOfKind(kind).filter((e) => e.districtId === d.id).length, d.id).toBe(shares[d.id]);
  });

  it("gives each district's access nodes exactly its population share of the 9,410,000 FTTH households, in whole thousands", () => {
    // Whole thousands, so the districts' 万户 figures (one decimal) add up to 941 exactly.
    const shares = Object.fromEntries(Object.entries(shareByPopulation(FTTH_HOUSEHOLDS / 1_000)).map(([id, k]) => [id, k * 1_000]));
    const nodes = entitiesOfKind("accessNode");
    for (const d of DISTRICTS) {
      const own = nodes.filter((n) => n.districtId === d.id);
      expect(own.length, d.id).toBeGreaterThan(0);
      expect(sum(capacities(own)), d.id).toBe(shares[d.id]);
    }
    expect(sum(capacities(nodes))).toBe(9_410_000);
  });

  it("looks every entity up by its id, and nothing else", () => {
    for (const e of ENTITIES) expect(entityById(e.id)).toBe(e);
    expect(entityById("shanghai")).toBeUndefined();
  });

  it("counts only the city and the districts as summary entities", () => {
    for (const e of ENTITIES) expect(isSummaryEntity(e.id), e.id).toBe(e.kind === "city" || e.kind === "district");
    expect(isSummaryEntity("shanghai")).toBe(false);
    expect(ENTITIES.filter((e) => isSummaryEntity(e.id)).map((e) => e.id)).toEqual([CITY_ID, ...DISTRICT_IDS]);
  });
});

describe("entity generation is deterministic", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("keeps ids and capacities stable across releases (pinned fingerprints)", () => {
    const lots = entitiesOfKind("lot");
    expect(lots[0]).toMatchObject({ id: "lot-futian-001", capacity: 79, profile: "cbd" });
    expect(lots.at(-1)).toMatchObject({ id: "lot-dapeng-007", capacity: 542 });
    expect(ENTITIES.at(-1)).toMatchObject({ id: "node-dapeng-003", capacity: 28_000 });
    expect(sum(capacities(lots))).toBe(253_592);
    expect(sum(capacities(entitiesOfKind("hospital")))).toBe(59_008);
    expect(sum(capacities(entitiesOfKind("healthCentre")))).toBe(11_668);
  });

  it("computes the same list on a fresh import, whatever Math.random and the clock say", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    vi.useFakeTimers({ now: Date.UTC(2031, 5, 1) });
    vi.resetModules();
    const fresh = await import("./city");
    expect(fresh.ENTITIES).not.toBe(ENTITIES);
    expect(fresh.ENTITIES).toEqual(ENTITIES);
  });
});
