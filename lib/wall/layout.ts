/**
 * Which arrangement of panels fits a wall of a given shape. The wall is designed on a
 * 16:9 cell grid; wider walls get more cells of the same size (each domain's full
 * metric set beside its panel), never a stretched or letterboxed 16:9.
 */
export type WallLayout = "standard" | "wide" | "ultrawide";

/** Aspect ratios between the designed ones: 16:9 = 1.78, 32:9 = 3.56, 48:9 = 5.33. */
const WIDE_FROM = 2.6;
const ULTRAWIDE_FROM = 4.4;

export function wallLayoutOf(width: number, height: number): WallLayout {
  const ratio = height > 0 ? width / height : 0;
  if (ratio >= ULTRAWIDE_FROM) return "ultrawide";
  if (ratio >= WIDE_FROM) return "wide";
  return "standard";
}

/** The panels a layout shows, by grid area; the detail panels exist only where there is room. */
export const WALL_GRIDS: Record<WallLayout, { columns: number; areas: string[] }> = {
  // 3 × 2: domains on the sides, the map over the district table in the middle.
  standard: { columns: 3, areas: ["traffic map parking", "health districts broadband"] },
  // 6 × 2: each domain's panel over its full metric set, the map over the table in the middle.
  wide: { columns: 6, areas: ["traffic parking map map health broadband", "trafficAll parkingAll districts districts healthAll broadbandAll"] },
  // 10 × 2: each domain full height, beside its full metric set.
  ultrawide: {
    columns: 10,
    areas: [
      "traffic trafficAll parking parkingAll map map health healthAll broadband broadbandAll",
      "traffic trafficAll parking parkingAll districts districts health healthAll broadband broadbandAll",
    ],
  },
};

/** No text on the wall is smaller than this (0.7 rem = 11.2 px on a 1080-line wall, 22.4 px on 2160). */
export const MIN_TEXT_REM = 0.7;
