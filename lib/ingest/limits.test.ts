import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { originAllowed } from "../realtime/origin";
import { IdempotencyCache } from "./idempotency";
import { RateLimiter } from "./rate-limit";

describe("RateLimiter", () => {
  it("allows the burst at once, then one request per 1/rate seconds, per key", () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
    expect([0, 0, 0, 0].map(() => limiter.take("a", 1_000))).toEqual([0, 0, 0, 500]);
    expect(limiter.take("b", 1_000)).toBe(0);
    expect(limiter.take("a", 1_499)).toBe(2);
    expect(limiter.take("a", 1_500)).toBe(0);
  });

  it("never lets more than burst + rate × elapsed through", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        const limiter = new RateLimiter({ perSecond: 10, burst: 5 });
        let now = 0;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          if (limiter.take("k", now) === 0) allowed++;
        }
        expect(allowed).toBeLessThanOrEqual(5 + Math.floor((now / 1000) * 10));
      }),
    );
  });

  it("forgets keys whose bucket is full again, so the map stays bounded", () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 2 });
    for (let i = 0; i < 1_000; i++) limiter.take(`socket-${i}`, 0);
    limiter.prune(1_999);
    expect(limiter.size).toBe(1_000);
    limiter.prune(2_000);
    expect(limiter.size).toBe(0);
  });
});

describe("IdempotencyCache", () => {
  it("remembers answers for maxAge and at most maxEntries, oldest forgotten first", () => {
    const cache = new IdempotencyCache<string>(2, 1_000);
    cache.set("a", "A", 0);
    cache.set("b", "B", 10);
    expect(cache.get("a", 1_000)).toBe("A");
    expect(cache.get("a", 1_001)).toBeUndefined();
    cache.set("c", "C", 20);
    cache.set("d", "D", 30);
    expect([cache.get("b", 30), cache.get("c", 30), cache.get("d", 30), cache.size]).toEqual([undefined, "C", "D", 2]);
  });
});

describe("originAllowed", () => {
  it.each([
    [undefined, "ops:4000", "", true],
    ["http://ops:3000", "ops:4000", "", true],
    ["https://ops", "ops:4000", "", true],
    ["http://evil.example", "ops:4000", "", false],
    ["http://ops.evil.example", "ops:4000", "", false],
    ["null", "ops:4000", "", false],
    ["http://evil.example", "ops:4000", "*", true],
    ["http://desk:3000", "ops:4000", "http://wall:3000, http://desk:3000", true],
    ["http://ops:3000", "ops:4000", "http://wall:3000", false],
    ["http://[::1]:3000", "[::1]:4000", "", true],
  ])("origin %s to host %s with ALLOWED_ORIGINS=%j: %s", (origin, host, allowed, expected) => {
    expect(originAllowed(origin, host, allowed)).toBe(expected);
  });
});
