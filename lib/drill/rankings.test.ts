import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CITY_ID, DISTRICTS, DOMAINS, ENTITIES, inScope } from "../catalog";
import { RANKINGS, rankDistricts, rankEntities, type RankedRow, type Ranking } from "./rankings";

const TS = 1_764_028_800_000;

/** A `latest` reading from a map of "metricId|entityId" → value. */
function latestOf(values: Map<string, number>) {
  return (metricId: string, entityId: string) => {
    const value = values.get(`${metricId}|${entityId}`);
    return value === undefined ? undefined : { value, ts: TS };
  };
}

const fill = (metricId: string, entries: Record<string, number>) => new Map(Object.entries(entries).map(([id, v]) => [`${metricId}|${id}`, v]));

/** a is strictly worse than b. */
const worse = (worstFirst: Ranking["worstFirst"], a: number, b: number) => (worstFirst === "desc" ? a > b : a < b);

function expectWorstFirst(rows: RankedRow[], worstFirst: Ranking["worstFirst"]) {
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    if (a.value === b.value) expect(a.entity.id.localeCompare(b.entity.id)).toBeLessThan(0);
    else expect(worse(worstFirst, a.value, b.value)).toBe(true);
  }
}

const SCOPES = [CITY_ID, ...DISTRICTS.map((d) => d.id), "road-shennan", "lot-futian-001", "atlantis"];

describe("rankEntities", () => {
  it("lists nothing for a limit below one", () => {
    const values = new Map(ENTITIES.filter((e) => e.kind === "lot").map((e, i) => [e.id, i]));
    const latest = (_m: string, id: string) => (values.has(id) ? { value: values.get(id)!, ts: 0 } : undefined);
    expect(rankEntities(RANKINGS.parking, latest, CITY_ID, 0)).toEqual([]);
    expect(rankEntities(RANKINGS.parking, latest, CITY_ID, -1)).toEqual([]);
    expect(rankEntities(RANKINGS.parking, latest, CITY_ID, 3)).toHaveLength(3);
  });

  it("lists the `limit` worst entities of the ranking's kinds within the scope, ties by id (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DOMAINS),
        fc.constantFrom(...SCOPES),
        fc.integer({ min: 0, max: 25 }),
        // Few distinct values, so ties are common; a third of the entities get one.
        fc.array(fc.tuple(fc.integer({ min: 0, max: ENTITIES.length - 1 }), fc.integer({ min: 0, max: 20 })), { maxLength: 600 }),
        (domain, scope, limit, picks) => {
          const ranking = RANKINGS[domain];
          const values = new Map<string, number>();
          for (const [i, v] of picks) values.set(`${ranking.metricId}|${ENTITIES[i]!.id}`, v);
          // A value of another metric never counts.
          values.set(`other.metric|${ENTITIES[ENTITIES.length - 1]!.id}`, 999);
          const rows = rankEntities(ranking, latestOf(values), scope, limit);

          const eligible = ENTITIES.filter((e) => ranking.kinds.includes(e.kind) && inScope(e.id, scope) && values.has(`${ranking.metricId}|${e.id}`));
          expect(rows.length).toBe(Math.min(limit, eligible.length));
          for (const row of rows) {
            expect(ranking.kinds).toContain(row.entity.kind);
            expect(inScope(row.entity.id, scope)).toBe(true);
            expect(row.value).toBe(values.get(`${ranking.metricId}|${row.entity.id}`));
            expect(row.ts).toBe(TS);
          }
          expect(new Set(rows.map((r) => r.entity.id)).size).toBe(rows.length);
          expectWorstFirst(rows, ranking.worstFirst);
          // Nothing left out is worse than the last row shown.
          const last = rows.at(-1);
          const shown = new Set(rows.map((r) => r.entity.id));
          if (last) for (const e of eligible.filter((e) => !shown.has(e.id))) expect(worse(ranking.worstFirst, values.get(`${ranking.metricId}|${e.id}`)!, last.value)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("traffic: the most congested road first", () => {
    const rows = rankEntities(RANKINGS.traffic, latestOf(fill("traffic.congestionIndex", { "road-shennan": 3.2, "road-beihuan": 8.7, futian: 9.9 })), CITY_ID, 10);
    expect(rows.map((r) => r.entity.id)).toEqual(["road-beihuan", "road-shennan"]);
  });

  it("parking: the fullest lot of the district first, other districts' lots left out", () => {
    const latest = latestOf(fill("parking.occupancy", { "lot-futian-001": 62, "lot-futian-002": 97.5, "lot-nanshan-001": 99 }));
    expect(rankEntities(RANKINGS.parking, latest, "futian", 5).map((r) => [r.entity.id, r.value])).toEqual([
      ["lot-futian-002", 97.5],
      ["lot-futian-001", 62],
    ]);
  });

  it("health: hospitals and centres together, the longest wait first", () => {
    const latest = latestOf(fill("health.waitMinutes", { "hospital-luohu-01": 45, "centre-luohu-001": 70, "centre-luohu-002": 10 }));
    expect(rankEntities(RANKINGS.health, latest, CITY_ID, 2).map((r) => r.entity.id)).toEqual(["centre-luohu-001", "hospital-luohu-01"]);
  });

  it("broadband: the slowest node first", () => {
    const latest = latestOf(fill("broadband.downloadMbps", { "node-baoan-001": 900, "node-baoan-002": 60, "node-baoan-003": 450 }));
    expect(rankEntities(RANKINGS.broadband, latest, "baoan", 3).map((r) => r.entity.id)).toEqual(["node-baoan-002", "node-baoan-003", "node-baoan-001"]);
  });
});

describe("rankDistricts", () => {
  it("lists every district with a value, worst first, and nothing else (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(RANKINGS)),
        fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), { minLength: DISTRICTS.length, maxLength: DISTRICTS.length }),
        (ranking, perDistrict) => {
          const values = new Map<string, number>([[`${ranking.metricId}|${CITY_ID}`, 100], [`${ranking.metricId}|lot-futian-001`, 100]]);
          DISTRICTS.forEach((d, i) => perDistrict[i] !== undefined && values.set(`${ranking.metricId}|${d.id}`, perDistrict[i]));
          const rows = rankDistricts(ranking.metricId, ranking.worstFirst, latestOf(values));
          expect(rows.map((r) => r.entity.id).sort()).toEqual(DISTRICTS.filter((_, i) => perDistrict[i] !== undefined).map((d) => d.id).sort());
          for (const row of rows) expect(row.entity.kind).toBe("district");
          expectWorstFirst(rows, ranking.worstFirst);
        },
      ),
    );
  });

  it("puts the slowest district first for download speed", () => {
    const latest = latestOf(fill("broadband.downloadMbps", { futian: 800, dapeng: 120, nanshan: 950 }));
    expect(rankDistricts("broadband.downloadMbps", "asc", latest).map((r) => r.entity.id)).toEqual(["dapeng", "futian", "nanshan"]);
  });
});
