import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CITY_ID,
  CITY_TOTALS,
  DISTRICTS,
  DOMAINS,
  ENTITIES,
  METRICS,
  entityById,
  isMetricId,
  metricById,
  metricsOf,
  shareByPopulation,
} from ".";

const DISTRICT_IDS = ["futian", "luohu", "nanshan", "yantian", "baoan", "longgang", "longhua", "pingshan", "guangming", "dapeng"];

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

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

describe("entities", () => {
  it("lists the city first, then all ten districts", () => {
    expect(ENTITIES[0]).toMatchObject({ id: CITY_ID, kind: "city", districtId: null });
    expect(ENTITIES.slice(1).map((e) => e.id)).toEqual(DISTRICT_IDS);
    for (const e of ENTITIES.slice(1)) expect(e).toMatchObject({ kind: "district", districtId: e.id });
  });

  it("names every entity in Chinese and English", () => {
    for (const e of ENTITIES) {
      expect(e.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.nameEn).toMatch(/^[A-Z]/);
    }
  });

  it("looks every entity up by its id, and nothing else", () => {
    for (const e of ENTITIES) expect(entityById(e.id)).toBe(e);
    expect(entityById("shanghai")).toBeUndefined();
  });
});
