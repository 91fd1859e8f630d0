import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORGET_AFTER_MS, FREE_FAILURES, LoginThrottle, MAX_WAIT_MS } from "./login-throttle";

const T0 = Date.UTC(2026, 10, 26, 8);

describe("LoginThrottle", () => {
  it("lets the first wrong passwords through, then makes each further try wait, doubling up to a minute", () => {
    const throttle = new LoginThrottle();
    let now = T0;
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect(throttle.waitMs("duty", now)).toBe(0);
      throttle.failed("duty", now);
    }
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      waits.push(throttle.waitMs("duty", now));
      now += waits[i]!;
      expect(throttle.waitMs("duty", now)).toBe(0);
      throttle.failed("duty", now);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(throttle.waitMs("duty", now + 10_000)).toBe(MAX_WAIT_MS - 10_000);
    // Other names are not slowed.
    expect(throttle.waitMs("other", now)).toBe(0);
  });

  it("starts afresh after a right password, or after a quarter of an hour alone", () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i <= FREE_FAILURES; i++) throttle.failed("duty", T0);
    expect(throttle.waitMs("duty", T0)).toBeGreaterThan(0);
    throttle.succeeded("duty");
    expect(throttle.waitMs("duty", T0)).toBe(0);
    for (let i = 0; i <= FREE_FAILURES; i++) throttle.failed("duty", T0);
    expect(throttle.waitMs("duty", T0 + FORGET_AFTER_MS + 1)).toBe(0);
    throttle.failed("duty", T0 + FORGET_AFTER_MS + 1);
    expect(throttle.waitMs("duty", T0 + FORGET_AFTER_MS + 1)).toBe(0);
  });

  it("never waits longer than a minute, and never holds more names than its bound", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("a", "b", "c", "d", "e"), fc.nat({ max: 120_000 })), { maxLength: 200 }), (attempts) => {
        const throttle = new LoginThrottle(3);
        let now = T0;
        for (const [name, after] of attempts) {
          now += after;
          expect(throttle.waitMs(name, now)).toBeLessThanOrEqual(MAX_WAIT_MS);
          throttle.failed(name, now);
          expect(throttle.size).toBeLessThanOrEqual(3);
        }
      }),
    );
  });
});
