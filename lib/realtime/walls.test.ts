import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZHeartbeat, type THeartbeat, type TWallReport } from "./protocol";
import {
  FORGET_AFTER_MS,
  FROZEN_AFTER_MS,
  HEARTBEAT_EVERY_MS,
  MIN_UPTIME_FOR_HEAP_RELOAD_MS,
  MAX_WALLS,
  WALLS_PER_ADDRESS,
  WallRegistry,
  mergeWallRows,
  shouldReload,
  wallStatus,
  type WallEntry,
} from "./walls";

const T0 = Date.UTC(2026, 10, 25);
const beat = (over: Partial<TWallReport> = {}): TWallReport => ({
  path: "/",
  fps: 60,
  heapMB: 200,
  lastFrameAgeMs: 900,
  stalePanels: 0,
  viewport: { width: 3840, height: 2160, dpr: 1 },
  ...over,
});
const entry = (over: Partial<TWallReport> = {}, at = T0, connected = true): WallEntry => ({ wallId: "w1", heartbeat: beat(over), at, socketId: "s1", client: "10.0.0.1", connected });

/** One heartbeat into `registry`: from socket `socket` of address `client`, claiming the proven wall `claim`; new walls are named `new-1`, `new-2`, … */
function reporter(registry: WallRegistry) {
  let made = 0;
  return (socket: string, now: number, { client = "10.0.0.1", claim = null as string | null, over = {} as Partial<TWallReport> } = {}) =>
    registry.report({ socketId: socket, client, heartbeat: beat(over), claim, newId: () => `new-${++made}`, now });
}

describe("ZHeartbeat", () => {
  it("accepts a wall's report and refuses unbounded or non-finite fields", () => {
    expect(ZHeartbeat.safeParse(beat()).data).toEqual({ ...beat(), resume: null });
    expect(ZHeartbeat.safeParse({ ...beat(), resume: "abc.def" }).success).toBe(true);
    expect(ZHeartbeat.safeParse(beat({ heapMB: null, lastFrameAgeMs: null })).success).toBe(true);
    for (const bad of [{ resume: "x".repeat(129) }, { resume: 7 }, { path: "/".repeat(301) }, { fps: Number.NaN }, { fps: -1 }, { fps: Infinity }, { stalePanels: 1.5 }, { heapMB: -3 }]) {
      expect(ZHeartbeat.safeParse({ ...beat(), ...bad } as Partial<THeartbeat>).success, JSON.stringify(bad)).toBe(false);
    }
    // An id chosen by the page is no part of a heartbeat: it names no wall.
    expect(ZHeartbeat.safeParse({ ...beat(), wallId: "lobby" }).data).not.toHaveProperty("wallId");
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
  it("never holds more than its bound, keeping the live walls", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.nat(90_000)), { maxLength: 200 }), (max, beats) => {
        const registry = new WallRegistry(max, max);
        const report = reporter(registry);
        let now = T0;
        for (const [id, step] of beats) {
          now += step;
          report(`s${id}`, now, { client: `10.0.0.${id}` });
          expect(registry.size).toBeLessThanOrEqual(max);
        }
      }),
    );
  });

  it("names each new wall itself, and binds it to its socket: later heartbeats of that socket update it and nothing else", () => {
    const registry = new WallRegistry();
    const report = reporter(registry);
    expect(report("s", T0)).toEqual({ ok: true, wallId: "new-1" });
    // The same socket claiming another wall changes nothing: it speaks for the wall it is bound to.
    expect(report("s", T0 + 1_000, { claim: "lobby", over: { path: "/SPOOFED" } })).toEqual({ ok: true, wallId: "new-1" });
    expect(registry.list(T0 + 1_000).map((w) => [w.wallId, w.path])).toEqual([["new-1", "/SPOOFED"]]);
  });

  it("lists newest first, marks a disconnect at once and forgets a wall silent for ten minutes", () => {
    const registry = new WallRegistry();
    const report = reporter(registry);
    report("sa", T0);
    report("sb", T0 + 1_000);
    expect(registry.list(T0 + 2_000).map((w) => [w.wallId, w.status, w.lastHeartbeatAgeSeconds])).toEqual([
      ["new-2", "ok", 1],
      ["new-1", "ok", 2],
    ]);
    registry.disconnect("sa");
    expect(registry.list(T0 + 2_000).find((w) => w.wallId === "new-1")).toMatchObject({ status: "disconnected", connected: false });
    expect(registry.summary(T0 + 2_000)).toEqual({ total: 2, ok: 1, attention: 1, refused: 0 });
    report("sb", T0 + FORGET_AFTER_MS);
    expect(registry.list(T0 + FORGET_AFTER_MS + 1).map((w) => w.wallId)).toEqual(["new-2"]);
    expect(registry.heldBy("10.0.0.1")).toBe(1);
  });

  it("a reloaded page proving its wall is that wall again, connected even when its old socket closes after the new one reported", () => {
    const registry = new WallRegistry();
    const report = reporter(registry);
    report("old", T0);
    expect(report("new", T0 + 500, { claim: "new-1" })).toEqual({ ok: true, wallId: "new-1" });
    registry.disconnect("old");
    expect(registry.list(T0 + 600)).toEqual([expect.objectContaining({ wallId: "new-1", connected: true, status: "ok" })]);
  });

  it("a duplicated tab (the same token on two open sockets) takes the wall over, and the first tab becomes a wall of its own", () => {
    const registry = new WallRegistry();
    const report = reporter(registry);
    report("first", T0);
    expect(report("copy", T0 + 100, { claim: "new-1" })).toEqual({ ok: true, wallId: "new-1" });
    // The first tab's next heartbeat still carries the token, and is given a new wall.
    expect(report("first", T0 + 200, { claim: "new-1" })).toEqual({ ok: true, wallId: "new-2" });
    expect(registry.list(T0 + 300).map((w) => w.wallId).sort()).toEqual(["new-1", "new-2"]);
  });

  it("each address holds at most its quota: its own silent walls make room, its live ones never do, another address's never", () => {
    const registry = new WallRegistry(MAX_WALLS, 3);
    const report = reporter(registry);
    report("real", T0, { client: "10.0.0.9" });
    for (let i = 0; i < 3; i++) expect(report(`f${i}`, T0, { client: "10.6.6.6" }).ok).toBe(true);
    expect(report("f3", T0, { client: "10.6.6.6" })).toMatchObject({ ok: false, reason: "walls-per-address" });
    // A flooder closing its sockets frees only its own places.
    registry.disconnect("f0");
    expect(report("f4", T0 + 1, { client: "10.6.6.6" })).toEqual({ ok: true, wallId: "new-5" });
    expect(registry.heldBy("10.6.6.6")).toBe(3);
    expect(registry.list(T0 + 1).map((w) => w.wallId)).toContain("new-1");
    expect(registry.summary(T0 + 1)).toMatchObject({ total: 4, refused: 1 });
  });

  it("a full registry makes room from the largest holder's silent walls, and refuses when every wall is live", () => {
    const registry = new WallRegistry(4, 3);
    const report = reporter(registry);
    report("a1", T0, { client: "a" });
    report("b1", T0, { client: "b" });
    report("b2", T0, { client: "b" });
    report("c1", T0, { client: "c" });
    expect(report("d1", T0, { client: "d" })).toMatchObject({ ok: false, reason: "registry-full" });
    registry.disconnect("a1");
    registry.disconnect("b1");
    // b holds the most: its closed wall goes, not a's.
    expect(report("d1", T0 + 1, { client: "d" }).ok).toBe(true);
    expect(registry.list(T0 + 1).map((w) => w.wallId).sort()).toEqual(["new-1", "new-3", "new-4", "new-5"]);
    // A wall silent for 30 s (frozen) is no longer live either.
    expect(report("e1", T0 + FROZEN_AFTER_MS + 1, { client: "e" }).ok).toBe(true);
  });

  it("a wall that moves to another address counts against the new address", () => {
    const registry = new WallRegistry(MAX_WALLS, 1);
    const report = reporter(registry);
    report("s1", T0, { client: "a" });
    report("s2", T0, { client: "b" });
    registry.disconnect("s1");
    // b is at its quota with a live wall: the moving wall is refused, and stays a's.
    expect(report("s3", T0 + 1, { client: "b", claim: "new-1" })).toMatchObject({ ok: false, reason: "walls-per-address" });
    expect(registry.heldBy("a")).toBe(1);
    expect(report("s3", T0 + 2, { client: "c", claim: "new-1" })).toEqual({ ok: true, wallId: "new-1" });
    expect([registry.heldBy("a"), registry.heldBy("c")]).toEqual([0, 1]);
  });

  it(`holds ${WALLS_PER_ADDRESS} walls per address by default, under any order of reports and disconnects`, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(50), fc.nat(3)), { maxLength: 300 }), (events) => {
        const registry = new WallRegistry();
        const report = reporter(registry);
        for (const [close, socket, client] of events) {
          if (close) registry.disconnect(`s${socket}`);
          else report(`s${socket}`, T0, { client: `c${client}` });
          for (let c = 0; c < 4; c++) expect(registry.heldBy(`c${c}`)).toBeLessThanOrEqual(WALLS_PER_ADDRESS);
        }
        expect(registry.list(T0).length).toBe([0, 1, 2, 3].reduce((n, c) => n + registry.heldBy(`c${c}`), 0));
      }),
    );
  });
});

describe("mergeWallRows", () => {
  it("lists a wall that moved between side servers once, by its newest heartbeat, newest first", () => {
    const onA = new WallRegistry();
    const onB = new WallRegistry();
    const put = (registry: WallRegistry, wallId: string, socketId: string, now: number, fps = 60) => registry.report({ socketId, client: "c", heartbeat: beat({ fps }), claim: wallId, newId: () => "unused", now });
    put(onA, "lobby", "a1", T0);
    put(onA, "moved", "a2", T0 + 1_000, 30);
    onA.disconnect("a2");
    put(onB, "moved", "b1", T0 + 4_000);
    put(onB, "desk", "b2", T0 + 2_000);
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
    reporter(stale)("s", T0);
    stale.disconnect("s");
    reporter(live)("l", T0);
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
