import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SOAK_BOUNDS, judgeSoak, leastSquares, type SoakSample } from "./soak";

const MINUTE = 60_000;

/** Sample times: n samples from t0, every stepMs, each jittered by up to ±jitter × stepMs. */
function times(t0: number, n: number, stepMs: number, jitters: readonly number[]): number[] {
  return Array.from({ length: n }, (_, i) => t0 + i * stepMs + (jitters[i % jitters.length] ?? 0) * stepMs * 0.2);
}

const series = fc.record({
  t0: fc.integer({ min: 0, max: 1e9 }),
  n: fc.integer({ min: 5, max: 70 }),
  stepMs: fc.constantFrom(15_000, 30_000),
  jitters: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 70 }),
  heap: fc.double({ min: 10, max: 300, noNaN: true }),
  nodes: fc.integer({ min: 500, max: 20_000 }),
  listeners: fc.integer({ min: 50, max: 5_000 }),
  noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 70 }),
});

describe("leastSquares", () => {
  it("recovers the slope and start of an exact line", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.integer({ min: 2, max: 50 }), (t0, perMinute, start, n) => {
        const xs = Array.from({ length: n }, (_, i) => t0 + i * 30_000);
        const fit = leastSquares(xs, xs.map((x) => start + (perMinute * (x - t0)) / MINUTE));
        expect(fit.slope * MINUTE).toBeCloseTo(perMinute, 6);
        expect(fit.atStart).toBeCloseTo(start, 4);
      }),
    );
  });

  it("gives a flat line through one point", () => {
    expect(leastSquares([5], [3])).toEqual({ slope: 0, atStart: 3 });
  });
});

describe("judgeSoak", () => {
  it("passes a flat series with bounded noise (±0.5 MB heap, ±1 % nodes and listeners)", () => {
    fc.assert(
      fc.property(series, ({ t0, n, stepMs, jitters, heap, nodes, listeners, noise }) => {
        const ts = times(t0, n, stepMs, jitters);
        const e = (i: number) => noise[i % noise.length] ?? 0;
        const samples: SoakSample[] = ts.map((tMs, i) => ({
          tMs,
          heapMB: heap + 0.5 * e(i),
          nodes: Math.round(nodes * (1 + 0.01 * e(i + 1))),
          listeners: Math.round(listeners * (1 + 0.01 * e(i + 2))),
        }));
        const j = judgeSoak(samples);
        expect(j.pass, j.verdict).toBe(true);
        expect(j.verdict).toMatch(/^PASS/);
      }),
    );
  });

  it("fails a steady heap leak, whatever the noise on top", () => {
    fc.assert(
      fc.property(series, fc.double({ min: 1.2, max: 20, noNaN: true }), ({ t0, n, stepMs, jitters, heap, nodes, listeners, noise }, factor) => {
        const ts = times(t0, n, stepMs, jitters);
        const span = (ts[ts.length - 1] as number) - (ts[0] as number);
        // Bounded noise of ±0.5 MB can tilt the fit by at most ≈ 3 × 0.5 MB over the span.
        const perMs = (factor * (Math.max(5, 0.1 * heap) + 1.5 + 0.1 * 0.5)) / span;
        const e = (i: number) => noise[i % noise.length] ?? 0;
        const samples = ts.map((tMs, i) => ({ tMs, heapMB: heap + perMs * (tMs - (ts[0] as number)) + 0.5 * e(i), nodes, listeners }));
        const j = judgeSoak(samples);
        expect(j.pass).toBe(false);
        expect(j.heap.pass).toBe(false);
        expect(j.nodes.pass && j.listeners.pass).toBe(true);
        // The fitted slope is the leak's, give or take what the noise can tilt (≈ 3 × 0.5 MB over the span, above).
        expect(Math.abs(j.heap.slopePerMinute - perMs * MINUTE)).toBeLessThanOrEqual((3 * 0.5 * MINUTE) / span + 1e-9);
        expect(j.verdict).toMatch(/^FAIL: heap grows/);
      }),
    );
  });

  it("fails DOM nodes or listeners added at a steady rate", () => {
    fc.assert(
      fc.property(series, fc.constantFrom("nodes" as const, "listeners" as const), fc.double({ min: 1.2, max: 20, noNaN: true }), ({ t0, n, stepMs, jitters, heap, nodes, listeners }, which, factor) => {
        const ts = times(t0, n, stepMs, jitters);
        const span = (ts[ts.length - 1] as number) - (ts[0] as number);
        const base = which === "nodes" ? nodes : listeners;
        const perMs = (factor * 0.05 * base) / span;
        const grow = (tMs: number) => base + perMs * (tMs - (ts[0] as number));
        const samples = ts.map((tMs) => ({ tMs, heapMB: heap, nodes: which === "nodes" ? grow(tMs) : nodes, listeners: which === "listeners" ? grow(tMs) : listeners }));
        const j = judgeSoak(samples);
        expect(j.pass).toBe(false);
        expect(j[which].pass).toBe(false);
        expect(j.heap.pass).toBe(true);
      }),
    );
  });

  it("honours each bound exactly: growth at the limit passes, just over it fails", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 3, max: 70 }),
        fc.double({ min: 10, max: 300, noNaN: true }),
        fc.integer({ min: 500, max: 20_000 }),
        fc.integer({ min: 50, max: 5_000 }),
        fc.constantFrom("heap" as const, "nodes" as const, "listeners" as const),
        (t0, n, heap, nodes, listeners, which) => {
          const ts = Array.from({ length: n }, (_, i) => t0 + i * 30_000);
          const span = (ts[n - 1] as number) - t0;
          const limit = which === "heap" ? Math.max(5, 0.1 * heap) : which === "nodes" ? 0.05 * nodes : 0.05 * listeners;
          const build = (growth: number): SoakSample[] =>
            ts.map((tMs) => {
              const add = (growth * (tMs - t0)) / span;
              return { tMs, heapMB: heap + (which === "heap" ? add : 0), nodes: nodes + (which === "nodes" ? add : 0), listeners: listeners + (which === "listeners" ? add : 0) };
            });
          const at = judgeSoak(build(limit));
          expect(at.pass, at.verdict).toBe(true);
          expect(at[which].limit).toBeCloseTo(limit, 9);
          expect(at[which].projectedGrowth).toBeCloseTo(limit, 9);
          const over = judgeSoak(build(limit * (1 + 1e-6)));
          expect(over.pass, over.verdict).toBe(false);
          expect(over[which].pass).toBe(false);
        },
      ),
    );
  });

  it("takes 10 % of the warm heap as the heap bound once that exceeds 5 MB", () => {
    const flat = (heapMB: number, growth: number) => Array.from({ length: 10 }, (_, i) => ({ tMs: i * MINUTE, heapMB: heapMB + (growth * i) / 9, nodes: 1000, listeners: 100 }));
    expect(judgeSoak(flat(30, 5)).heap.limit).toBeCloseTo(5, 9);
    expect(judgeSoak(flat(30, 5)).pass).toBe(true);
    expect(judgeSoak(flat(30, 5.01)).pass).toBe(false);
    expect(judgeSoak(flat(120, 12)).heap.limit).toBeCloseTo(12, 9);
    expect(judgeSoak(flat(120, 12)).pass).toBe(true);
    expect(judgeSoak(flat(120, 12.05)).pass).toBe(false);
  });

  it("projects over a given horizon instead of the span", () => {
    // 3 MB over 9 minutes passes; the same slope over 30 minutes is 10 MB and fails.
    const samples = Array.from({ length: 10 }, (_, i) => ({ tMs: i * MINUTE, heapMB: 40 + i / 3, nodes: 1000, listeners: 100 }));
    expect(judgeSoak(samples).pass).toBe(true);
    const long = judgeSoak(samples, { ...DEFAULT_SOAK_BOUNDS, horizonMs: 30 * MINUTE });
    expect(long.pass).toBe(false);
    expect(long.heap.projectedGrowth).toBeCloseTo(10, 9);
  });

  it("passes a shrinking page, and fails too few samples to show a trend", () => {
    const shrinking = Array.from({ length: 10 }, (_, i) => ({ tMs: i * MINUTE, heapMB: 80 - 3 * i, nodes: 2000 - 50 * i, listeners: 300 - 5 * i }));
    expect(judgeSoak(shrinking).pass).toBe(true);
    const two = judgeSoak(shrinking.slice(0, 2));
    expect(two.pass).toBe(false);
    expect(two.verdict).toMatch(/cannot show a trend/);
    expect(judgeSoak([]).pass).toBe(false);
  });
});
