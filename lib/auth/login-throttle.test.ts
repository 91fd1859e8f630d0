import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORGET_AFTER_MS, FREE_FAILURES, LoginThrottle, MAX_WAIT_MS, WINDOW_MS } from "./login-throttle";

const T0 = Date.UTC(2026, 10, 26, 8);
const ADDRESS = "10.0.0.7";

describe("LoginThrottle per name", () => {
  it("lets the first wrong passwords through, then makes each further try wait, doubling up to a minute", () => {
    // Plenty per minute, so only the doubling shows.
    const throttle = new LoginThrottle({ perMinute: 1_000, capacity: 100 });
    let now = T0;
    for (let i = 0; i < FREE_FAILURES; i++) expect(throttle.admit("duty", ADDRESS, now)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      waits.push(throttle.admit("duty", ADDRESS, now));
      now += waits[i]!;
      expect(throttle.admit("duty", ADDRESS, now)).toBe(0);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(throttle.admit("duty", ADDRESS, now + 10_000)).toBe(MAX_WAIT_MS - 10_000);
    // Other names are not slowed.
    expect(throttle.admit("other", ADDRESS, now)).toBe(0);
  });

  it("counts a check as wrong from the moment it is admitted: of 40 tries at once, 5 are checked", () => {
    const throttle = new LoginThrottle();
    const waits = Array.from({ length: 40 }, (_, i) => throttle.admit("duty", `10.0.1.${i}`, T0));
    expect(waits.filter((w) => w === 0)).toHaveLength(FREE_FAILURES);
    expect(waits.slice(FREE_FAILURES).every((w) => w === 1_000)).toBe(true);
  });

  it("starts afresh after a right password, or after a quarter of an hour alone", () => {
    const slowed = () => {
      const throttle = new LoginThrottle({ perMinute: 1_000, capacity: 100 });
      for (let i = 0; i < FREE_FAILURES + 7; i++) throttle.admit("duty", ADDRESS, T0 + i * MAX_WAIT_MS);
      return { throttle, last: T0 + (FREE_FAILURES + 6) * MAX_WAIT_MS };
    };
    const freeTries = (throttle: LoginThrottle, at: number) => Array.from({ length: FREE_FAILURES + 1 }, () => throttle.admit("duty", ADDRESS, at)).filter((w) => w === 0).length;
    const a = slowed();
    a.throttle.succeeded("duty");
    expect(freeTries(a.throttle, a.last)).toBe(FREE_FAILURES);
    const b = slowed();
    expect(freeTries(b.throttle, b.last + FORGET_AFTER_MS - 1)).toBe(1);
    const c = slowed();
    expect(freeTries(c.throttle, c.last + FORGET_AFTER_MS)).toBe(FREE_FAILURES);
  });

  it("a right password ends the streak but not the minute's count: never more than perMinute checks of a name", () => {
    const throttle = new LoginThrottle({ perMinute: 10, capacity: 100 });
    let admitted = 0;
    for (let i = 0; i < 30; i++) {
      if (throttle.admit("duty", `10.0.2.${i}`, T0 + i) === 0) {
        admitted++;
        throttle.succeeded("duty");
      }
    }
    expect(admitted).toBe(10);
    expect(throttle.admit("duty", "10.0.3.1", T0 + 30)).toBe(WINDOW_MS - 30);
    expect(throttle.admit("duty", "10.0.3.1", T0 + WINDOW_MS)).toBe(0);
  });

  it("a name no user can have is not remembered, but its address pays", () => {
    const throttle = new LoginThrottle({ perMinute: 3, capacity: 100 });
    for (let i = 0; i < 3; i++) expect(throttle.admit(`Not A Name ${"x".repeat(i * 100)}`, ADDRESS, T0)).toBe(0);
    expect(throttle.admit("duty", ADDRESS, T0)).toBe(WINDOW_MS);
    expect(throttle.size).toEqual({ names: 0, addresses: 1 });
  });
});

describe("LoginThrottle per address", () => {
  it("allows perMinute checks a minute from one address, across names, right ones included", () => {
    const throttle = new LoginThrottle({ perMinute: 10, capacity: 100 });
    const waits = Array.from({ length: 25 }, (_, i) => {
      const wait = throttle.admit(`user${i}`, ADDRESS, T0 + i * 1_000);
      if (wait === 0) throttle.succeeded(`user${i}`);
      return wait;
    });
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    // The 11th waits until the first of the ten is a minute old.
    expect(waits[10]).toBe(WINDOW_MS - 10_000);
    expect(throttle.admit("user99", "10.0.0.8", T0 + 24_000)).toBe(0);
  });
});

describe("LoginThrottle memory", () => {
  it("a table full of names that still matter refuses a new name, and a slowed name stays slowed", () => {
    const throttle = new LoginThrottle({ perMinute: 1_000, capacity: 3 });
    for (let i = 0; i < FREE_FAILURES; i++) expect(throttle.admit("target", ADDRESS, T0)).toBe(0);
    expect(throttle.admit("target", ADDRESS, T0)).toBe(1_000);
    expect(throttle.admit("filler-a", ADDRESS, T0 + 1)).toBe(0);
    expect(throttle.admit("filler-b", ADDRESS, T0 + 2)).toBe(0);
    // Full: a new name waits until the first entry lapses (target's streak, a quarter of an hour).
    expect(throttle.admit("filler-c", ADDRESS, T0 + 3)).toBe(FORGET_AFTER_MS - 3);
    expect(throttle.admit("target", ADDRESS, T0 + 3)).toBe(1_000 - 3);
    expect(throttle.size.names).toBe(3);
    // A filler whose streak ended lapses a minute after its check, and makes room.
    throttle.succeeded("filler-a");
    expect(throttle.admit("filler-c", ADDRESS, T0 + WINDOW_MS)).toBe(1);
    expect(throttle.admit("filler-c", ADDRESS, T0 + WINDOW_MS + 1)).toBe(0);
    // The target was never forgotten: its streak goes on (the next wait doubles).
    expect(throttle.admit("target", ADDRESS, T0 + WINDOW_MS + 1)).toBe(0);
    expect(throttle.admit("target", ADDRESS, T0 + WINDOW_MS + 1)).toBe(2_000);
  });

  // Bursts of tries at a few real names and floods of filler names, from a few addresses, with time passing.
  const ops = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant("try" as const), name: fc.constantFrom("duty", "admin", "ops"), address: fc.nat({ max: 3 }), times: fc.integer({ min: 1, max: 8 }), right: fc.boolean() }),
      fc.record({ kind: fc.constant("flood" as const), first: fc.nat({ max: 10_000 }), address: fc.nat({ max: 50 }), times: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant("wait" as const), ms: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 3_000 }) }, { weight: 1, arbitrary: fc.nat({ max: 20 * 60_000 }) }) }),
    ),
    { maxLength: 60 },
  );

  type Op = typeof ops extends fc.Arbitrary<(infer T)[]> ? T : never;

  /** Each attempt of the operations, in order, with the time it is made. */
  function* attempts(steps: readonly Op[]) {
    let now = T0;
    for (const step of steps) {
      if (step.kind === "wait") now += step.ms;
      else
        for (let i = 0; i < step.times; i++) {
          const right = step.kind === "try" && step.right && i === step.times - 1;
          yield { name: step.kind === "try" ? step.name : `filler${step.first + i}`, address: `10.2.0.${step.address}`, right, now };
        }
    }
  }

  it("whatever the order, never more than perMinute checks of a name or from an address in any minute, and never more keys than the bound", () => {
    fc.assert(
      fc.property(ops, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }), (steps, perMinute, capacity) => {
        const throttle = new LoginThrottle({ perMinute, capacity });
        const admitted = new Map<string, number[]>();
        const note = (key: string, at: number) => {
          const times = [...(admitted.get(key) ?? []), at];
          admitted.set(key, times);
          expect(times.filter((t) => at - t < WINDOW_MS).length).toBeLessThanOrEqual(perMinute);
        };
        for (const { name, address, right, now } of attempts(steps)) {
          if (throttle.admit(name, address, now) === 0) {
            note(`name:${name}`, now);
            note(`address:${address}`, now);
            if (right) throttle.succeeded(name);
          }
          expect(throttle.size.names).toBeLessThanOrEqual(capacity);
          expect(throttle.size.addresses).toBeLessThanOrEqual(capacity);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("a bounded table never admits a check that a table with perfect memory, shown the same checks, would refuse", () => {
    fc.assert(
      fc.property(ops, fc.integer({ min: 1, max: 6 }), (steps, capacity) => {
        const bounded = new LoginThrottle({ perMinute: 10, capacity });
        const perfect = new LoginThrottle({ perMinute: 10, capacity: Number.POSITIVE_INFINITY });
        for (const { name, address, right, now } of attempts(steps)) {
          if (bounded.admit(name, address, now) !== 0) continue;
          expect(perfect.admit(name, address, now)).toBe(0);
          if (right) {
            bounded.succeeded(name);
            perfect.succeeded(name);
          }
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
