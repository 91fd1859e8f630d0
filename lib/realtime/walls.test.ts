import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZHeartbeat, type THeartbeat } from "./protocol";
import {
  FORGET_AFTER_MS,
  FROZEN_AFTER_MS,
  HEARTBEAT_EVERY_MS,
  MIN_UPTIME_FOR_HEAP_RELOAD_MS,
  MAX_WALLS,
  WallRegistry,
  mergeWallRows,
  shouldReload,
  wallStatus,
  type WallEntry,
} from "./walls";

const T0 = Date.UTC(2026, 10, 25);
const beat = (over: Partial<THeartbeat> = {}): THeartbeat => ({
  wallId: "w1",
  path: "/",
  fps: 60,
  heapMB: 200,
  lastFrameAgeMs: 900,
  stalePanels: 0,
  viewport: { width: 3840, height: 2160, dpr: 1 },
  ...over,
});
const entry = (over: Partial<THeartbeat> = {}, at = T0, connected = true): WallEntry => ({ heartbeat: beat(over), at, socketId: "s1", connected });

describe("ZHeartbeat", () => {
  it("accepts a wall's report and refuses unbounded or non-finite fields", () => {
    expect(ZHeartbeat.safeParse(beat()).success).toBe(true);
    expect(ZHeartbeat.safeParse(beat({ heapMB: null, lastFrameAgeMs: null })).success).toBe(true);
    for (const bad of [{ wallId: "" }, { wallId: "x".repeat(65) }, { wallId: "a b" }, { path: "/".repeat(301) }, { fps: Number.NaN }, { fps: -1 }, { fps: Infinity }, { stalePanels: 1.5 }, { heapMB: -3 }]) {
      expect(ZHeartbeat.safeParse(beat(bad as Partial<THeartbeat>)).success, JSON.stringify(bad)).toBe(false);
    }
    expect(ZHeartbeat.safeParse({ ...beat(), viewport: { width: 1920, height: 1080, dpr: 0 } }).success).toBe(false);
  });
});

describe("wallStatus", () => {
  it("is ok while heartbeats arrive, frozen once three are missed", () => {
    expect(wallStatus(entry(), T0 + HEARTBEAT_EVERY_MS)).toBe("ok");
    expect(wallStatus(entry(), T0 + FROZEN_AFTER_MS)).toBe("ok");
    expect(wallStatus(entry(), T0 + FROZEN_AFTER_MS + 1)).toBe("frozen");
  });

  it("names what is wrong with a wall that still reports", () => {
    expect(wallStatus(entry({ fps: 0 }), T0)).toBe("not-rendering");
    expect(wallStatus(entry({ stalePanels: 2 }), T0)).toBe("stale-data");
    expect(wallStatus(entry({ lastFrameAgeMs: 15_001 }), T0)).toBe("stale-data");
    expect(wallStatus(entry({ lastFrameAgeMs: null }), T0)).toBe("ok");
    expect(wallStatus(entry({ heapMB: 1_500 }), T0)).toBe("heap-high");
    expect(wallStatus(entry({ heapMB: null }), T0)).toBe("ok");
    expect(wallStatus(entry({}, T0, false), T0)).toBe("disconnected");
  });

  it("once frozen, stays frozen as time passes without a heartbeat", () => {
    fc.assert(
      fc.property(fc.nat(FORGET_AFTER_MS), fc.nat(FORGET_AFTER_MS), (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const statuses = [wallStatus(entry(), T0 + early), wallStatus(entry(), T0 + late)];
        expect(statuses).not.toEqual(["frozen", "ok"]);
        expect(statuses.every((s) => s === "ok" || s === "frozen")).toBe(true);
      }),
    );
  });
});

describe("WallRegistry", () => {
  it("never holds more than its bound, keeping the walls heard from last", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.nat(90_000)), { maxLength: 200 }), (max, beats) => {
        const registry = new WallRegistry(max);
        let now = T0;
        for (const [id, step] of beats) {
          now += step;
          registry.record(beat({ wallId: `w${id}` }), `s${id}`, now);
          expect(registry.size).toBeLessThanOrEqual(max);
        }
        const last = beats.at(-1);
        if (last) expect(registry.list(now)[0]?.wallId).toBe(`w${last[0]}`);
      }),
    );
  });

  it("lists newest first, marks a disconnect at once and forgets a wall silent for ten minutes", () => {
    const registry = new WallRegistry();
    registry.record(beat({ wallId: "a" }), "sa", T0);
    registry.record(beat({ wallId: "b" }), "sb", T0 + 1_000);
    expect(registry.list(T0 + 2_000).map((w) => [w.wallId, w.status, w.lastHeartbeatAgeSeconds])).toEqual([
      ["b", "ok", 1],
      ["a", "ok", 2],
    ]);
    registry.disconnect("sa");
    expect(registry.list(T0 + 2_000).find((w) => w.wallId === "a")).toMatchObject({ status: "disconnected", connected: false });
    expect(registry.summary(T0 + 2_000)).toEqual({ total: 2, ok: 1, attention: 1 });
    registry.record(beat({ wallId: "b" }), "sb", T0 + FORGET_AFTER_MS);
    expect(registry.list(T0 + FORGET_AFTER_MS + 1).map((w) => w.wallId)).toEqual(["b"]);
  });

  it("keeps a reloaded wall connected when its old socket closes after the new one reported", () => {
    const registry = new WallRegistry();
    registry.record(beat(), "old", T0);
    registry.record(beat(), "new", T0 + 500);
    registry.disconnect("old");
    expect(registry.list(T0 + 600)[0]).toMatchObject({ wallId: "w1", connected: true, status: "ok" });
  });

  it("lets a socket speak for one wall only", () => {
    const registry = new WallRegistry();
    expect(registry.record(beat({ wallId: "a" }), "s", T0)).toBe(true);
    expect(registry.record(beat({ wallId: "b" }), "s", T0)).toBe(false);
    expect(registry.size).toBe(1);
  });
});

describe("mergeWallRows", () => {
  it("lists a wall that moved between side servers once, by its newest heartbeat, newest first", () => {
    const onA = new WallRegistry();
    const onB = new WallRegistry();
    onA.record(beat({ wallId: "lobby" }), "a1", T0);
    onA.record(beat({ wallId: "moved", fps: 30 }), "a2", T0 + 1_000);
    onA.disconnect("a2");
    onB.record(beat({ wallId: "moved", fps: 60 }), "b1", T0 + 4_000);
    onB.record(beat({ wallId: "desk" }), "b2", T0 + 2_000);
    const now = T0 + 5_000;
    expect(mergeWallRows([onA.list(now), onB.list(now)]).map((w) => [w.wallId, w.status, w.fps])).toEqual([
      ["moved", "ok", 60],
      ["desk", "ok", 60],
      ["lobby", "ok", 60],
    ]);
  });

  it("prefers the connected row when two are as new, and keeps at most MAX_WALLS", () => {
    const stale = new WallRegistry();
    const live = new WallRegistry();
    stale.record(beat(), "s", T0);
    stale.disconnect("s");
    live.record(beat(), "l", T0);
    expect(mergeWallRows([stale.list(T0), live.list(T0)])).toEqual(live.list(T0));
    expect(mergeWallRows([live.list(T0), stale.list(T0)])).toEqual(live.list(T0));
    const many = Array.from({ length: MAX_WALLS + 5 }, (_, i) => ({ ...live.list(T0)[0]!, wallId: `w${i}` }));
    expect(mergeWallRows([many.slice(0, 600), many.slice(600)])).toHaveLength(MAX_WALLS);
  });
});

describe("shouldReload", () => {
  const base = { fpsHistory: [60, 60, 60], heapMB: 300, uptimeMs: MIN_UPTIME_FOR_HEAP_RELOAD_MS, quiet: true };

  it("reloads a page that rendered nothing for three visible heartbeats", () => {
    expect(shouldReload({ ...base, fpsHistory: [60, 0, 0, 0] })).toBe("not-rendering");
    expect(shouldReload({ ...base, fpsHistory: [0, 0] })).toBeNull();
    expect(shouldReload({ ...base, fpsHistory: [0, null, 0, 0] })).toBeNull();
    expect(shouldReload({ ...base, fpsHistory: [0, 0, 0.1] })).toBeNull();
  });

  it("reloads a page over its heap budget, but not one that starts over it", () => {
    expect(shouldReload({ ...base, heapMB: 1_025 })).toBe("heap-over-budget");
    expect(shouldReload({ ...base, heapMB: 1_024 })).toBeNull();
    expect(shouldReload({ ...base, heapMB: 600, budgetMB: 512 })).toBe("heap-over-budget");
    expect(shouldReload({ ...base, heapMB: 2_000, uptimeMs: 60_000 })).toBeNull();
    expect(shouldReload({ ...base, heapMB: null })).toBeNull();
  });

  it("never reloads while not quiet", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat(120), { nil: null })), fc.option(fc.nat(10_000), { nil: null }), fc.nat(), (fpsHistory, heapMB, uptimeMs) => {
        expect(shouldReload({ fpsHistory, heapMB, uptimeMs, quiet: false })).toBeNull();
      }),
    );
  });
});
