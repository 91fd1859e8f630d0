/**
 * The soak verdict: does a page that has run past its warm-up keep growing? Pure
 * (no I/O, no clock): given the samples taken after warm-up — JS heap after a forced
 * GC, DOM node count, event-listener count — it fits a least-squares line through each
 * series over time and projects the growth over the horizon (by default the span the
 * samples cover, i.e. the measured run):
 *
 *   heap       projected growth ≤ max(heapMinMB, heapShare × warm heap)   (5 MB, 10 %)
 *   DOM nodes  projected growth ≤ nodesShare × warm nodes                  (5 %)
 *   listeners  projected growth ≤ listenersShare × warm listeners          (5 %)
 *
 * "Warm" is the fitted line's value at the first sample (less sensitive to one noisy
 * first reading than the reading itself). A series that shrinks passes. Bounds are
 * inclusive: growth exactly at the limit passes (compared with a relative tolerance of
 * 1e-9 so that floating-point rounding in the fit cannot flip an exact case).
 */

export interface SoakSample {
  /** Milliseconds on any monotonic clock (only differences matter). */
  tMs: number;
  heapMB: number;
  nodes: number;
  listeners: number;
}

export interface SoakBounds {
  /** Heap growth always allowed, whatever the warm heap (MB). */
  heapMinMB: number;
  /** Heap growth allowed as a share of the warm heap (0.1 = 10 %). */
  heapShare: number;
  nodesShare: number;
  listenersShare: number;
  /** Projection horizon; defaults to the samples' span (last tMs − first tMs). */
  horizonMs?: number;
  /** Fewer samples than this cannot show a trend: the verdict is a fail. */
  minSamples: number;
}

export const DEFAULT_SOAK_BOUNDS: SoakBounds = { heapMinMB: 5, heapShare: 0.1, nodesShare: 0.05, listenersShare: 0.05, minSamples: 3 };

export interface Fit {
  /** Units per millisecond. */
  slope: number;
  /** Fitted value at the first sample's time. */
  atStart: number;
}

/** Ordinary least squares of ys on xs, the intercept given at xs[0]. A single x (or none) has slope 0. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): Fit {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return { slope: 0, atStart: Number.NaN };
  const x0 = xs[0] as number;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += (xs[i] as number) - x0;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - x0 - mx;
    sxy += dx * ((ys[i] as number) - my);
    sxx += dx * dx;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, atStart: my - slope * mx };
}

export interface SeriesJudgement {
  name: "heap" | "nodes" | "listeners";
  unit: string;
  /** Fitted value at the first sample. */
  warm: number;
  first: number;
  last: number;
  max: number;
  /** Fitted growth per minute. */
  slopePerMinute: number;
  /** slope × horizon. */
  projectedGrowth: number;
  /** Largest growth allowed over the horizon. */
  limit: number;
  pass: boolean;
}

export interface SoakJudgement {
  pass: boolean;
  samples: number;
  spanMs: number;
  horizonMs: number;
  heap: SeriesJudgement;
  nodes: SeriesJudgement;
  listeners: SeriesJudgement;
  /** One sentence, e.g. for a test failure or the runner's last line. */
  verdict: string;
}

const TOLERANCE = 1e-9;

function within(growth: number, limit: number): boolean {
  return growth <= limit + TOLERANCE * Math.max(1, Math.abs(limit));
}

function judgeSeries(name: SeriesJudgement["name"], unit: string, ts: readonly number[], ys: readonly number[], horizonMs: number, limitOf: (warm: number) => number): SeriesJudgement {
  const fit = leastSquares(ts, ys);
  const warm = fit.atStart;
  const projectedGrowth = fit.slope * horizonMs;
  const limit = limitOf(warm);
  return {
    name,
    unit,
    warm,
    first: ys[0] ?? Number.NaN,
    last: ys[ys.length - 1] ?? Number.NaN,
    max: ys.length ? Math.max(...ys) : Number.NaN,
    slopePerMinute: fit.slope * 60_000,
    projectedGrowth,
    limit,
    pass: Number.isFinite(projectedGrowth) && Number.isFinite(limit) && within(projectedGrowth, limit),
  };
}

function round(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function describe(s: SeriesJudgement, digits: number): string {
  const sign = s.projectedGrowth >= 0 ? "+" : "";
  return `${s.name} ${sign}${round(s.projectedGrowth, digits)} ${s.unit} (limit ${round(s.limit, digits)}, warm ${round(s.warm, digits)}, ${s.slopePerMinute >= 0 ? "+" : ""}${round(s.slopePerMinute, digits + 1)}/min)`;
}

/** Judges samples taken after warm-up, in time order. */
export function judgeSoak(samples: readonly SoakSample[], bounds: SoakBounds = DEFAULT_SOAK_BOUNDS): SoakJudgement {
  const sorted = [...samples].sort((a, b) => a.tMs - b.tMs);
  const ts = sorted.map((s) => s.tMs);
  const spanMs = sorted.length ? (ts[ts.length - 1] as number) - (ts[0] as number) : 0;
  const horizonMs = bounds.horizonMs ?? spanMs;
  const heap = judgeSeries("heap", "MB", ts, sorted.map((s) => s.heapMB), horizonMs, (warm) => Math.max(bounds.heapMinMB, bounds.heapShare * warm));
  const nodes = judgeSeries("nodes", "nodes", ts, sorted.map((s) => s.nodes), horizonMs, (warm) => bounds.nodesShare * warm);
  const listeners = judgeSeries("listeners", "listeners", ts, sorted.map((s) => s.listeners), horizonMs, (warm) => bounds.listenersShare * warm);
  const enough = sorted.length >= bounds.minSamples && spanMs > 0;
  const failing = [heap, nodes, listeners].filter((s) => !s.pass);
  const pass = enough && failing.length === 0;
  const minutes = round(horizonMs / 60_000, 1);
  const figures = `${describe(heap, 2)}; ${describe(nodes, 0)}; ${describe(listeners, 0)}`;
  const verdict = !enough
    ? `FAIL: ${sorted.length} samples over ${round(spanMs / 1000, 0)} s cannot show a trend (need ≥ ${bounds.minSamples} over a non-zero span)`
    : pass
      ? `PASS: no growth beyond the bounds projected over ${minutes} min after warm-up — ${figures}`
      : `FAIL: ${failing.map((s) => s.name).join(", ")} grow${failing.length === 1 ? "s" : ""} beyond the bound projected over ${minutes} min after warm-up — ${figures}`;
  return { pass, samples: sorted.length, spanMs, horizonMs, heap, nodes, listeners, verdict };
}
