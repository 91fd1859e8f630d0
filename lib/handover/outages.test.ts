import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gapThresholdMs, type HistoryPoint } from "../history/series";
import { groupOutages, outageSpans, worstOutages } from "./outages";

const T0 = Date.UTC(2026, 11, 3, 0, 0, 0);
const SPAN = { from: T0, to: T0 + 3_600_000 };
const BUCKET = 15_000;

/** A bucket every 15 s over [from, to), each holding 15 one-second samples. */
const buckets = (from: number, to: number): HistoryPoint[] => {
  const points: HistoryPoint[] = [];
  for (let ts = from; ts < to; ts += BUCKET) points.push([ts, 1, 1, 1, 15]);
  return points;
};

describe("outageSpans", () => {
  it("finds a silent stretch in the middle, and one still going at the end", () => {
    const points = [...buckets(T0, T0 + 600_000), ...buckets(T0 + 900_000, T0 + 3_000_000)];
    expect(outageSpans(points, BUCKET, 1_000, SPAN)).toEqual([
      { from: T0 + 585_000, to: T0 + 900_000, ongoing: false },
      { from: T0 + 2_985_000, to: SPAN.to, ongoing: true },
    ]);
  });

  it("says nothing of a feed that reported throughout, or missed one bucket", () => {
    const whole = buckets(T0, SPAN.to);
    expect(outageSpans(whole, BUCKET, 1_000, SPAN)).toEqual([]);
    expect(outageSpans(whole.filter((_, i) => i !== 100), BUCKET, 1_000, SPAN)).toEqual([]);
  });

  it("a series with nothing stored is out for the whole span", () => {
    expect(outageSpans([], BUCKET, 1_000, SPAN)).toEqual([{ from: SPAN.from, to: SPAN.to, ongoing: true }]);
  });

  it("a slow feed (one report a minute) is not an outage between its reports", () => {
    const minutely: HistoryPoint[] = [];
    for (let ts = T0; ts < SPAN.to; ts += 60_000) minutely.push([ts, 1, 1, 1, 1]);
    expect(outageSpans(minutely, BUCKET, 60_000, SPAN)).toEqual([]);
  });

  it("spans lie in the span, in order, apart, each longer than the threshold, and no bucket falls inside one (property)", () => {
    const arb = fc.uniqueArray(fc.integer({ min: 0, max: 239 }), { maxLength: 240 }).map((slots) => slots.sort((a, b) => a - b).map((i): HistoryPoint => [T0 + i * BUCKET, 1, 1, 1, 15]));
    fc.assert(
      fc.property(arb, (points) => {
        const spans = outageSpans(points, BUCKET, 1_000, SPAN);
        const gapMs = gapThresholdMs(BUCKET, 1_000);
        spans.forEach((s, i) => {
          expect(s.from).toBeGreaterThanOrEqual(SPAN.from);
          expect(s.to).toBeLessThanOrEqual(SPAN.to);
          expect(s.to - s.from).toBeGreaterThan(Math.min(gapMs, SPAN.to - SPAN.from) - 1);
          if (i > 0) expect(s.from).toBeGreaterThanOrEqual(spans[i - 1]!.to);
          for (const [ts] of points) expect(ts > s.from && ts < s.to).toBe(false);
        });
        expect(spans.filter((s) => s.ongoing).length).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("worstOutages", () => {
  it("keeps the longest", () => {
    const o = (from: number, to: number) => ({ outage: { from, to, ongoing: false } });
    expect(worstOutages([o(0, 10), o(20, 50), o(60, 65)], 2)).toEqual([o(20, 50), o(0, 10)]);
  });
});

describe("groupOutages", () => {
  it("says once what several series of a metric shared, and keeps the rest apart", () => {
    const out = (from: number, to: number) => ({ from, to, ongoing: false });
    expect(
      groupOutages([
        { metricId: "m", entityId: "shenzhen", outage: out(0, 60_000) },
        { metricId: "m", entityId: "futian", outage: out(0, 60_000) },
        { metricId: "m", entityId: "nanshan", outage: out(0, 90_000) },
        { metricId: "n", entityId: "futian", outage: out(0, 60_000) },
      ]),
    ).toEqual([
      { metricId: "m", entityIds: ["shenzhen", "futian"], outage: out(0, 60_000) },
      { metricId: "m", entityIds: ["nanshan"], outage: out(0, 90_000) },
      { metricId: "n", entityIds: ["futian"], outage: out(0, 60_000) },
    ]);
  });
});
