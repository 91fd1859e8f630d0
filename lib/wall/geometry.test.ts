import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DOMAINS } from "../catalog";
import { fittedRem, keepGeometry, legibleFontPx, parseWallGeometry, splitEvenly, tiledWall, wallRem, type WallGeometry } from "./geometry";
import { t } from "../i18n";
import { MIN_TEXT_REM } from "./layout";

const geometry = (across: number, down: number, more: Partial<WallGeometry> = {}): WallGeometry => ({ across, down, bezelPx: 0, distanceM: null, pitchMm: 0.63, ...more });

describe("parseWallGeometry", () => {
  it("reads screens, bezel, distance and pitch", () => {
    expect(parseWallGeometry({ tiles: "3x1", bezel: "24", distance: "5", pitch: "0.9" })).toEqual({
      geometry: { across: 3, down: 1, bezelPx: 24, distanceM: 5, pitchMm: 0.9 },
      problems: [],
    });
    expect(parseWallGeometry({})).toEqual({ geometry: null, problems: [] });
  });

  it("names what it cannot use and keeps the rest", () => {
    const parsed = parseWallGeometry({ tiles: "4x4", bezel: "-3", distance: "5" });
    expect(parsed.geometry).toEqual({ across: 1, down: 1, bezelPx: 0, distanceM: 5, pitchMm: 0.63 });
    const said = (lang: "zh" | "en") => parsed.problems.map((p) => t(lang, p.key, p.vars));
    expect(said("en")).toEqual(["tiles=4x4: at most 10 screens per window", "bezel=-3: expected a number from 0 to 400"]);
    expect(said("zh")).toEqual(["tiles=4x4：每个窗口最多 10 块屏", "bezel=-3：应为 0 到 400 之间的数"]);
    expect(parseWallGeometry({ tiles: "two" }).problems).toEqual([{ key: "geometry.tiles", vars: { value: "two" } }]);
  });
});

it("keepGeometry carries the wall's parameters to another page", () => {
  const params = new URLSearchParams("tiles=2x2&bezel=12&range=1h");
  expect(keepGeometry("/traffic?kiosk=1", params)).toBe("/traffic?kiosk=1&tiles=2x2&bezel=12");
  expect(keepGeometry("/?lang=en", new URLSearchParams())).toBe("/?lang=en");
});

describe("legibility", () => {
  it("16 arc minutes at 5 m on a 0.63 mm pitch is a 53 px font", () => {
    expect(legibleFontPx(5, 0.63, 1)).toBeCloseTo(52.8, 1);
    // Twice the device pixels per CSS pixel halve the CSS size.
    expect(legibleFontPx(5, 0.63, 2)).toBeCloseTo(26.4, 1);
  });

  it("raises the rem until the smallest text is legible, and says when the wall cannot", () => {
    expect(wallRem(1920, 1080, 1, null)).toEqual({ rem: 16, short: null });
    // 1.5 m: the fitted 32 px rem already gives 22.4 px text.
    expect(wallRem(3840, 2160, 1, geometry(2, 2, { distanceM: 1.5 })).rem).toBe(32);
    // One 55″ screen read from 1.5 m: 15.8 px text, so a 22.6 px rem instead of 16.
    const desk = wallRem(1920, 1080, 1, geometry(1, 1, { distanceM: 1.5 }));
    expect(desk.rem * MIN_TEXT_REM).toBeCloseTo(legibleFontPx(1.5, 0.63, 1), 5);
    expect(desk.short).toBeNull();
    const at20m = wallRem(3840, 2160, 1, geometry(2, 2, { distanceM: 20 }));
    expect(at20m.short).toEqual({ needPx: Math.ceil(legibleFontPx(20, 0.63, 1)), havePx: Math.floor(at20m.rem * MIN_TEXT_REM) });
    expect(fittedRem(1280, 720, 1.5)).toBeCloseTo(10.67, 2);
  });
});

it("splitEvenly keeps order and gives the extra items to the ends", () => {
  expect(splitEvenly(5, 3)).toEqual([2, 1, 2]);
  expect(splitEvenly(10, 8)).toEqual([2, 1, 1, 1, 1, 1, 1, 2]);
  expect(splitEvenly(8, 4)).toEqual([2, 2, 2, 2]);
});

describe("tiledWall", () => {
  const names = (wall: ReturnType<typeof tiledWall>) => wall.tiles.map((t) => t.panels.map((p) => p.panel).join(" "));

  it("a 2×2 wall of 1080p screens: two panels on each screen, domains beside their metric sets", () => {
    expect(names(tiledWall(3840, 2160, 32, geometry(2, 2)))).toEqual(["traffic trafficAll", "parking parkingAll", "map districts", "health broadband"]);
  });

  it("three 1080p screens side by side: tall screens stack two rows, the map and districts alone in the middle", () => {
    const wall = tiledWall(5760, 1080, 16, geometry(3, 1, { bezelPx: 20 }));
    expect(names(wall)).toEqual(["traffic trafficAll parking parkingAll", "map districts", "health healthAll broadband broadbandAll"]);
    expect(wall.tiles[0]!.panels).toContainEqual({ panel: "parking", column: 2, row: 1, rowSpan: 1 });
  });

  it("never lets a screen's content reach into a seam's band, shows every domain once, and fills each screen's grid", () => {
    const shapes = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 })).filter(([a, d]) => a * d <= 10 && a * d > 1);
    fc.assert(
      fc.property(shapes, fc.integer({ min: 1280, max: 15_360 }), fc.integer({ min: 720, max: 4_320 }), fc.integer({ min: 0, max: 80 }), ([across, down], width, height, bezelPx) => {
        const rem = fittedRem(width, height, 1);
        const wall = tiledWall(width, height, rem, geometry(across, down, { bezelPx }));
        const [tw, th] = [width / across, height / down];
        wall.tiles.forEach((tile, i) => {
          const [x, y] = [i % across, Math.floor(i / across)];
          if (x > 0) expect(tile.left).toBeGreaterThanOrEqual(x * tw + bezelPx / 2);
          if (x < across - 1) expect(tile.left + tile.width).toBeLessThanOrEqual((x + 1) * tw - bezelPx / 2);
          if (y > 0) expect(tile.top).toBeGreaterThanOrEqual(y * th + bezelPx / 2);
          if (y < down - 1) expect(tile.top + tile.height).toBeLessThanOrEqual((y + 1) * th - bezelPx / 2);
          expect(tile.panels.length).toBeGreaterThan(0);
          const covered = tile.panels.reduce((sum, p) => sum + p.rowSpan, 0);
          expect(covered).toBe(tile.columns * tile.rows);
        });
        const shown = wall.tiles.flatMap((t) => t.panels.map((p) => p.panel));
        expect(new Set(shown).size).toBe(shown.length);
        for (const domain of DOMAINS) expect(shown).toContain(domain);
        expect(wall.tiles).toHaveLength(across * down);
      }),
    );
  });
});
