import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WALL_GRIDS, wallLayoutOf } from "./layout";

describe("wallLayoutOf", () => {
  it.each([
    [1920, 1080, "standard"],
    [3840, 2160, "standard"],
    [1280, 800, "standard"],
    [2560, 1080, "standard"],
    [3840, 1080, "wide"],
    [7680, 2160, "wide"],
    [5760, 1080, "ultrawide"],
    [11520, 2160, "ultrawide"],
  ])("%i×%i is %s", (width, height, layout) => {
    expect(wallLayoutOf(width, height)).toBe(layout);
  });

  it("depends on the shape only, not the size", () => {
    fc.assert(fc.property(fc.integer({ min: 100, max: 20_000 }), fc.integer({ min: 100, max: 5_000 }), fc.integer({ min: 2, max: 4 }), (w, h, k) => {
      expect(wallLayoutOf(w * k, h * k)).toBe(wallLayoutOf(w, h));
    }));
  });
});

describe("WALL_GRIDS", () => {
  it("every row has as many cells as columns, and every area is one rectangle", () => {
    for (const { columns, areas } of Object.values(WALL_GRIDS)) {
      const rows = areas.map((r) => r.split(" "));
      for (const row of rows) expect(row).toHaveLength(columns);
      for (const name of new Set(rows.flat())) {
        const cells = rows.flatMap((row, y) => row.flatMap((n, x) => (n === name ? [[x, y] as const] : [])));
        const xs = cells.map(([x]) => x);
        const ys = cells.map(([, y]) => y);
        const area = (Math.max(...xs) - Math.min(...xs) + 1) * (Math.max(...ys) - Math.min(...ys) + 1);
        expect(area, name).toBe(cells.length);
      }
    }
  });

  it("every layout shows the four domains, the map and the district table", () => {
    for (const { areas } of Object.values(WALL_GRIDS)) {
      const names = new Set(areas.join(" ").split(" "));
      for (const name of ["traffic", "parking", "health", "broadband", "map", "districts"]) expect(names).toContain(name);
    }
  });
});
