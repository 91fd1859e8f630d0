/**
 * A token bucket per key (an ingest token, a socket): `burst` requests at once, refilled
 * at `perSecond`. Pure: the caller passes the time. Keys idle long enough to be full
 * again are forgotten, so the map is bounded by the keys active within that time.
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for `key`: 0 when allowed, else the ms until one is available. */
  take(key: string, now: number): number {
    const { perSecond, burst } = this.limit;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }

  /** Forgets the buckets that would be full by now. */
  prune(now: number): void {
    const refillMs = (this.limit.burst / this.limit.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= refillMs) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}
