/**
 * A time series bounded by count and by age, used by the side server's recent
 * window and by the browser's live store. Points arrive mostly in order; an
 * out-of-order or repeated timestamp is merged in place so a refill after a
 * reconnect never duplicates a point.
 */
export type Point = readonly [ts: number, value: number];

export interface SeriesBufferLimits {
  maxPoints: number;
  maxAgeMs: number;
}

export class SeriesBuffer {
  private points: Point[] = [];

  constructor(private readonly limits: SeriesBufferLimits) {}

  get length(): number {
    return this.points.length;
  }

  /** Oldest first. The array is shared: callers must not mutate it. */
  toArray(): readonly Point[] {
    return this.points;
  }

  last(): Point | undefined {
    return this.points[this.points.length - 1];
  }

  has(ts: number): boolean {
    return this.points[this.indexOf(ts)]?.[0] === ts;
  }

  push(ts: number, value: number): void {
    const last = this.last();
    if (!last || ts > last[0]) {
      this.points.push([ts, value]);
    } else {
      this.insert(ts, value);
    }
    this.trim(Math.max(ts, this.last()?.[0] ?? ts));
  }

  /** Drops points older than maxAgeMs before `now`, e.g. on a timer while no data arrives. */
  trim(now: number): void {
    const oldestAllowed = now - this.limits.maxAgeMs;
    let drop = 0;
    while (drop < this.points.length && (this.points[drop] as Point)[0] < oldestAllowed) drop++;
    drop = Math.max(drop, this.points.length - this.limits.maxPoints);
    if (drop > 0) this.points.splice(0, drop);
  }

  /** Drops the points newer than `ts` (data ahead of a clock that went back); true when some were. */
  dropAfter(ts: number): boolean {
    const keep = this.indexOf(ts + 1);
    if (keep === this.points.length) return false;
    this.points.splice(keep);
    return true;
  }

  /** Where `ts` is, or would go: the first point not older. */
  private indexOf(ts: number): number {
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.points[mid] as Point)[0] < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(ts: number, value: number): void {
    const lo = this.indexOf(ts);
    if (this.points[lo]?.[0] === ts) this.points[lo] = [ts, value];
    else this.points.splice(lo, 0, [ts, value]);
  }
}
