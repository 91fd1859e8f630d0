import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HistoryPoint } from "../history/series";
import { changePercent, spanFigure } from "./figures";

describe("spanFigure", () => {
  it("weights each bucket by its samples", () => {
    expect(spanFigure([[0, 10, 8, 12, 3], [60_000, 20, 20, 20, 1]])).toEqual({ mean: 12.5, min: 8, max: 20 });
    expect(spanFigure([])).toEqual({ mean: null, min: null, max: null });
  });

  it("the mean lies within the extremes (property)", () => {
    const bucket = fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e3, noNaN: true }), fc.integer({ min: 1, max: 3600 })).map(([lo, spread, n]): HistoryPoint => [0, lo + spread / 2, lo, lo + spread, n]);
    fc.assert(
      fc.property(fc.array(bucket, { minLength: 1, maxLength: 50 }), (points) => {
        const f = spanFigure(points);
        expect(f.mean).not.toBeNull();
        expect(f.mean!).toBeGreaterThanOrEqual(f.min!);
        expect(f.mean!).toBeLessThanOrEqual(f.max!);
      }),
    );
  });
});

describe("changePercent", () => {
  it("is this shift against the earlier one, and says nothing without both", () => {
    expect(changePercent(110, 100)).toBeCloseTo(10);
    expect(changePercent(90, 100)).toBeCloseTo(-10);
    expect(changePercent(5, 0)).toBeNull();
    expect(changePercent(null, 100)).toBeNull();
    expect(changePercent(100, null)).toBeNull();
  });
});
