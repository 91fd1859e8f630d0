import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CITY_ID, DISTRICTS, ENTITIES, entityById, inScope } from ".";

const within = (scope: string) => ENTITIES.filter((e) => inScope(e.id, scope));
const arbEntity = fc.constantFrom(...ENTITIES);

describe("inScope", () => {
  it("the city holds every entity, itself included", () => {
    expect(within(CITY_ID)).toHaveLength(ENTITIES.length);
  });

  it("a district holds itself and exactly the entities filed in it", () => {
    for (const d of DISTRICTS) {
      const filed = ENTITIES.filter((e) => e.kind !== "district" && e.districtId === d.id);
      const ids = within(d.id).map((e) => e.id);
      expect(ids).toHaveLength(filed.length + 1);
      expect(new Set(ids)).toEqual(new Set([d.id, ...filed.map((e) => e.id)]));
      expect(filed.length).toBeGreaterThan(0);
    }
  });

  it("a district holds its lots, institutions, nodes and roads filed there", () => {
    for (const id of ["lot-futian-001", "hospital-futian-01", "centre-futian-001", "node-futian-001", "road-shennan"]) {
      expect(entityById(id)?.districtId).toBe("futian");
      expect(inScope(id, "futian")).toBe(true);
    }
  });

  it("a district holds nothing of another district, nor the city (property)", () => {
    fc.assert(
      fc.property(arbEntity, fc.constantFrom(...DISTRICTS.map((d) => d.id)), (entity, scope) => {
        if (entity.id === CITY_ID || entity.kind === "district" || entity.districtId !== scope) {
          expect(inScope(entity.id, scope)).toBe(entity.id === scope);
        }
      }),
      { numRuns: 500 },
    );
    expect(inScope(CITY_ID, "futian")).toBe(false);
    expect(inScope("nanshan", "futian")).toBe(false);
    expect(inScope("lot-nanshan-001", "futian")).toBe(false);
  });

  it("a single entity as scope holds only itself (property)", () => {
    const singles = ENTITIES.filter((e) => e.kind !== "city" && e.kind !== "district");
    fc.assert(
      fc.property(arbEntity, fc.constantFrom(...singles), (entity, scope) => {
        expect(inScope(entity.id, scope.id)).toBe(entity.id === scope.id);
      }),
      { numRuns: 500 },
    );
    expect(within("road-shennan").map((e) => e.id)).toEqual(["road-shennan"]);
    expect(within("lot-futian-001").map((e) => e.id)).toEqual(["lot-futian-001"]);
  });

  it("an unknown scope holds nothing but an id equal to it", () => {
    expect(within("atlantis")).toEqual([]);
    expect(within("")).toEqual([]);
    expect(inScope("atlantis", "atlantis")).toBe(true);
    expect(inScope("futian", "atlantis")).toBe(false);
  });
});
