/**
 * Which stored resolution answers a history query, and how wide its buckets are:
 * the finest resolution still retained for the whole range, bucketed so a series
 * never returns more than `maxPoints` points. Pure: the caller supplies "now".
 */
export const RESOLUTION_MS = { raw: 1_000, "1m": 60_000, "1h": 3_600_000 } as const;
export type Resolution = keyof typeof RESOLUTION_MS;

export interface Retention {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

export interface QueryPlan {
  resolution: Resolution;
  bucketMs: number;
}

/** Raw data is scanned for ranges up to this long; longer ranges read rollups even when raw is retained. */
export const RAW_SCAN_LIMIT_MS = 48 * 3_600_000;
export const MINUTE_SCAN_LIMIT_MS = 90 * 24 * 3_600_000;

export function planQuery(q: { from: number; to: number; now: number; maxPoints: number; retention: Retention }): QueryPlan {
  const range = q.to - q.from;
  let resolution: Resolution = "1h";
  if (q.from >= q.now - q.retention.rawMs && range <= RAW_SCAN_LIMIT_MS) resolution = "raw";
  else if (q.from >= q.now - q.retention.minuteMs && range <= MINUTE_SCAN_LIMIT_MS) resolution = "1m";
  const step = RESOLUTION_MS[resolution];
  return { resolution, bucketMs: Math.max(step, Math.ceil(range / q.maxPoints / step) * step) };
}

/** The finest resolution still kept at `from`: what a full-resolution export reads, row by row. */
export function finestRetained(from: number, now: number, retention: Retention): Resolution {
  if (from >= now - retention.rawMs) return "raw";
  if (from >= now - retention.minuteMs) return "1m";
  return "1h";
}

/** The start of the bucket of width `widthMs` holding `ts`. */
export function bucketStart(ts: number, widthMs: number): number {
  return Math.floor(ts / widthMs) * widthMs;
}
