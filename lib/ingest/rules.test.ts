import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENTITIES, METRICS } from "../catalog";
import { checkBatch, checkSample, timeWindow } from "./rules";

const NOW = Date.parse("2026-11-25T08:00:00+08:00");
const WINDOW = timeWindow(NOW, 48 * 3_600_000);
const PAIRS = METRICS.flatMap((m) => ENTITIES.filter((e) => (m.entityKinds as readonly string[]).includes(e.kind)).slice(0, 5).map((e) => ({ metric: m, entityId: e.id })));

describe("checkSample", () => {
  it("accepts any catalog pair with a value in range and a time inside the window", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAIRS), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: WINDOW.oldest, max: WINDOW.newest }), ({ metric, entityId }, share, ts) => {
        const value = metric.range.min + share * (metric.range.max - metric.range.min);
        expect(checkSample({ metricId: metric.id, entityId, ts, value }, WINDOW)).toEqual({ sample: { metricId: metric.id, entityId, ts, value } });
      }),
    );
  });

  it("refuses a value outside the physical range, naming the range", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAIRS), fc.double({ min: 1e-6, max: 1e12, noNaN: true }), fc.boolean(), ({ metric, entityId }, excess, below) => {
        const value = below ? metric.range.min - excess : metric.range.max + excess;
        expect(checkSample({ metricId: metric.id, entityId, ts: NOW, value }, WINDOW)).toEqual({
          issues: [{ path: "value", message: `must be between ${metric.range.min} and ${metric.range.max} for ${metric.id}` }],
        });
      }),
    );
  });

  it("allows five minutes of clock skew, scaled by the clock's speed", () => {
    const ok = { metricId: "parking.occupancy", entityId: "lot-futian-001", value: 50 };
    expect(checkSample({ ...ok, ts: NOW + 5 * 60_000 }, WINDOW)).toHaveProperty("sample");
    expect(checkSample({ ...ok, ts: NOW + 5 * 60_000 + 1 }, WINDOW)).toEqual({ issues: [{ path: "ts", message: "is 0 s past the latest accepted time 2026-11-25T00:05:00.000Z (clock skew)" }] });
    expect(checkSample({ ...ok, ts: NOW + 60 * 60_000 }, timeWindow(NOW, 48 * 3_600_000, 60))).toHaveProperty("sample");
    expect(checkSample({ ...ok, ts: WINDOW.oldest - 1 }, WINDOW)).toEqual({ issues: [{ path: "ts", message: "is before the raw retention horizon 2026-11-23T00:00:00.000Z" }] });
  });

  it("names every bad field of one sample", () => {
    const result = checkSample({ metricId: "traffic.avgSpeed", entityId: "lot-futian-001", ts: NOW + 3_600_000, value: 500 }, WINDOW);
    expect("issues" in result && result.issues.map((i) => i.path)).toEqual(["entityId", "value", "ts"]);
    expect(checkSample(null, WINDOW)).toEqual({ issues: [{ path: "sample", message: expect.stringContaining("expected object") }] });
  });
});

describe("checkBatch", () => {
  it("lists every rejected sample by its index and keeps the good ones apart", () => {
    const good = { metricId: "parking.occupancy", entityId: "lot-futian-001", ts: NOW, value: 50 };
    const { samples, rejected } = checkBatch([good, { ...good, value: Number.NaN }, good, { ...good, entityId: "nowhere" }], WINDOW);
    expect(samples).toHaveLength(2);
    expect(rejected.map((r) => [r.index, r.issues[0]?.path])).toEqual([
      [1, "value"],
      [3, "entityId"],
    ]);
  });
});
