import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GEO_SOURCE, GEO_TARGET } from "../../scripts/geo-districts";
import { DISTRICTS } from "../catalog";
import { districtsWithoutOutline, toDistrictCollection, type DistrictCollection } from "./districts";

const committed = JSON.parse(readFileSync(GEO_TARGET, "utf8")) as DistrictCollection;

describe("district outlines", () => {
  it("the committed map is exactly what the transform makes of the package's file (run scripts/geo-districts.ts after an upgrade)", () => {
    expect(committed).toEqual(toDistrictCollection(JSON.parse(readFileSync(GEO_SOURCE, "utf8"))));
  });

  it("names every outline by a catalog district id; only 光明 and 大鹏 have none", () => {
    const ids = new Set(DISTRICTS.map((d) => d.id));
    expect(committed.features.every((f) => ids.has(f.properties.name))).toBe(true);
    expect(districtsWithoutOutline(committed)).toEqual(["guangming", "dapeng"]);
  });

  it("keeps every outline within Shenzhen's bounding box, with no repeated consecutive point", () => {
    for (const f of committed.features) {
      const rings = f.geometry.type === "Polygon" ? f.geometry.coordinates : f.geometry.coordinates.flat();
      for (const r of rings) {
        expect(r.length).toBeGreaterThanOrEqual(4);
        r.forEach(([lon = 0, lat = 0], i) => {
          expect(lon).toBeGreaterThan(113.7);
          expect(lon).toBeLessThan(114.7);
          expect(lat).toBeGreaterThan(22.3);
          expect(lat).toBeLessThan(22.9);
          if (i > 0) expect([lon, lat]).not.toEqual(r[i - 1]);
        });
      }
    }
  });

  it("refuses a source district the catalog does not know, by name", () => {
    expect(() => toDistrictCollection({ features: [{ properties: { name: "香港岛" }, geometry: { type: "Polygon", coordinates: [] } }] })).toThrow("香港岛");
  });
});
