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
  const limits = { maxBytes: 1_000, maxBytesPerOwner: 400, maxAgeMs: 1_000 };

  it("remembers an answer for maxAge, per owner", () => {
    const cache = new IdempotencyCache<string>(limits);
    cache.set("feed-a", "k", "A", 100, 0);
    expect(cache.get("feed-a", "k", 1_000)).toBe("A");
    expect(cache.get("feed-b", "k", 1_000)).toBeUndefined();
    expect(cache.get("feed-a", "k", 1_001)).toBeUndefined();
    expect(cache.stats).toEqual({ entries: 0, bytes: 0, owners: 0 });
  });

  it("keeps an owner within its bytes, forgetting its oldest answers first", () => {
    const cache = new IdempotencyCache<string>(limits);
    for (let i = 0; i < 5; i++) cache.set("feed-a", `k${i}`, `A${i}`, 100, i);
    expect([0, 1, 2, 3, 4].map((i) => cache.get("feed-a", `k${i}`, 10))).toEqual([undefined, "A1", "A2", "A3", "A4"]);
    expect(cache.bytesOf("feed-a")).toBe(400);
    // Too large to keep at all: not kept, and nothing else is lost for it.
    cache.set("feed-a", "huge", "H", 401, 10);
    expect([cache.get("feed-a", "huge", 10), cache.bytesOf("feed-a")]).toEqual([undefined, 400]);
  });

  it("past the overall bound takes from the owner holding the most: a flood evicts only its own answers", () => {
    // An owner may take it all: only the eviction policy protects the others.
    const cache = new IdempotencyCache<string>({ ...limits, maxBytesPerOwner: 1_000 });
    cache.set("quiet-1", "q", "Q1", 300, 0);
    cache.set("quiet-2", "q", "Q2", 300, 0);
    for (let i = 0; i < 10_000; i++) cache.set("flood", `k${i}`, "F", 50, 1);
    expect([cache.get("quiet-1", "q", 2), cache.get("quiet-2", "q", 2)]).toEqual(["Q1", "Q2"]);
    expect(cache.stats).toEqual({ entries: 10, bytes: 1_000, owners: 3 });
    // The flood keeps its newest.
    expect([cache.get("flood", "k9999", 2), cache.get("flood", "k9992", 2), cache.get("flood", "k9991", 2)]).toEqual(["F", "F", undefined]);
  });

  it("forgets expired answers on prune", () => {
    const cache = new IdempotencyCache<string>(limits);
    cache.set("feed-a", "old", "O", 100, 0);
    cache.set("feed-a", "new", "N", 100, 500);
    cache.prune(1_001);
    expect(cache.stats).toEqual({ entries: 1, bytes: 100, owners: 1 });
    expect(cache.get("feed-a", "new", 1_001)).toBe("N");
  });

  it("never holds more than its bounds, and an owner within its fair share keeps every answer", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ owner: fc.constantFrom("a", "b", "c", "d"), key: fc.integer({ min: 0, max: 30 }), bytes: fc.integer({ min: 1, max: 120 }) }), { minLength: 40, maxLength: 200 }),
        (sets) => {
          const cache = new IdempotencyCache<number>(limits);
          // "fair" sets a few small answers first; the others then fill the cache as they like.
          const fair = [0, 1].map((k) => ({ key: `fair-${k}`, bytes: 60 }));
          for (const { key, bytes } of fair) cache.set("fair", key, bytes, bytes, 0);
          sets.forEach(({ owner, key, bytes }, i) => {
            cache.set(owner, String(key), i, bytes, 0);
            expect(cache.stats.bytes).toBeLessThanOrEqual(limits.maxBytes);
            for (const o of ["a", "b", "c", "d"]) expect(cache.bytesOf(o)).toBeLessThanOrEqual(limits.maxBytesPerOwner);
          });
          // 120 bytes ≤ 1,000 ÷ 5 owners: never the largest holder while over the bound.
          expect(fair.map(({ key }) => cache.get("fair", key, 0))).toEqual([60, 60]);
        },
      ),
    );
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
