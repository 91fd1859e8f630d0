import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeriesBuffer } from "./series-buffer";

const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);
const timestamps = (buffer: SeriesBuffer) => buffer.toArray().map(([ts]) => ts);

describe("SeriesBuffer", () => {
  it("keeps only the newest maxPoints points", () => {
    const buffer = new SeriesBuffer({ maxPoints: 100, maxAgeMs: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 5000; i++) buffer.push(T0 + i * 1000, i);
    expect(buffer.length).toBe(100);
    expect(buffer.toArray()[0]).toEqual([T0 + 4900 * 1000, 4900]);
    expect(buffer.last()).toEqual([T0 + 4999 * 1000, 4999]);
  });

  it("drops points older than maxAgeMs before the newest point", () => {
    const buffer = new SeriesBuffer({ maxPoints: 10_000, maxAgeMs: 60_000 });
    for (let s = 0; s <= 300; s++) buffer.push(T0 + s * 1000, s);
    // 240 s … 300 s are within a minute of the newest point (inclusive).
    expect(buffer.length).toBe(61);
    expect(timestamps(buffer)[0]).toBe(T0 + 240_000);
  });

  it.each([
    ["into the middle", [1000, 3000, 4000], 2000, [1000, 2000, 3000, 4000]],
    ["before the oldest", [2000, 3000], 1000, [1000, 2000, 3000]],
    ["after the newest", [1000, 2000], 3000, [1000, 2000, 3000]],
  ])("inserts a late point %s in time order", (_where, before, late, after) => {
    const buffer = new SeriesBuffer({ maxPoints: 100, maxAgeMs: 60_000 });
    for (const ts of before) buffer.push(T0 + ts, ts);
    buffer.push(T0 + late, late);
    expect(timestamps(buffer)).toEqual(after.map((ts) => T0 + ts));
    expect(buffer.toArray().find(([ts]) => ts === T0 + late)?.[1]).toBe(late);
  });

  it.each([
    ["the newest point", 3000],
    ["an older point", 2000],
    ["the oldest point", 1000],
  ])("replaces %s when its timestamp arrives again (a reconnect refill never duplicates)", (_which, repeated) => {
    const buffer = new SeriesBuffer({ maxPoints: 100, maxAgeMs: 60_000 });
    for (const ts of [1000, 2000, 3000]) buffer.push(T0 + ts, 1);
    buffer.push(T0 + repeated, 42);
    expect(timestamps(buffer)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(buffer.toArray().find(([ts]) => ts === T0 + repeated)).toEqual([T0 + repeated, 42]);
  });

  it("a whole refill of points already held changes nothing", () => {
    const buffer = new SeriesBuffer({ maxPoints: 100, maxAgeMs: 60_000 });
    for (let s = 0; s < 30; s++) buffer.push(T0 + s * 1000, s);
    const before = buffer.toArray().map((p) => [...p]);
    for (let s = 0; s < 30; s++) buffer.push(T0 + s * 1000, s);
    expect(buffer.toArray()).toEqual(before);
  });

  it("trim(now) drops points that aged out while no data arrived", () => {
    const buffer = new SeriesBuffer({ maxPoints: 100, maxAgeMs: 60_000 });
    for (let s = 0; s < 30; s++) buffer.push(T0 + s * 1000, s);
    buffer.trim(T0 + 29_000 + 45_000);
    expect(timestamps(buffer)[0]).toBe(T0 + 14_000);
    buffer.trim(T0 + 29_000 + 60_001);
    expect(buffer.length).toBe(0);
    expect(buffer.last()).toBeUndefined();
  });

  it("for any sequence of pushes: strictly increasing in time, at most maxPoints, all within maxAgeMs of the newest", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.double({ noNaN: true })), { maxLength: 300 }),
        (maxPoints, maxAgeMs, pushes) => {
          const buffer = new SeriesBuffer({ maxPoints, maxAgeMs });
          for (const [ts, value] of pushes) buffer.push(ts, value);
          const ts = timestamps(buffer);
          expect(ts.length).toBeLessThanOrEqual(maxPoints);
          for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThan(ts[i - 1] ?? Infinity);
          const newest = ts[ts.length - 1];
          if (newest !== undefined) for (const t of ts) expect(newest - t).toBeLessThanOrEqual(maxAgeMs);
          // The newest timestamp ever pushed is always kept, with the last value pushed for it.
          if (pushes.length > 0) {
            const maxTs = Math.max(...pushes.map(([t]) => t));
            expect(newest).toBe(maxTs);
            expect(buffer.last()?.[1]).toBe(pushes.filter(([t]) => t === maxTs).at(-1)?.[1]);
          }
        },
      ),
    );
  });
});
