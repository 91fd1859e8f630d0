import { describe, expect, it } from "vitest";
import type { MetricId } from "../catalog";
import type { TSample } from "./protocol";
import { SeriesStore } from "./series-store";

const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);
const LIMITS = { maxPoints: 1_000, maxAgeMs: 15 * 60_000 };

const sample = (metricId: MetricId, entityId: string, ts: number, value: number): TSample => ({ metricId, entityId, ts, value });

/** `seconds` of 1 Hz samples of one series, starting at T0. */
function run(metricId: MetricId, entityId: string, seconds: number, value = (s: number) => s): TSample[] {
  return Array.from({ length: seconds }, (_, s) => sample(metricId, entityId, T0 + s * 1000, value(s)));
}

describe("SeriesStore", () => {
  it("keeps each series' latest sample and its points in time order", () => {
    const store = new SeriesStore(LIMITS);
    store.add([sample("traffic.flow", "futian", T0 + 2000, 3), sample("traffic.flow", "futian", T0, 1), sample("traffic.flow", "futian", T0 + 1000, 2)]);
    store.add([sample("traffic.flow", "nanshan", T0, 9)]);
    expect(store.latest("traffic.flow", "futian")).toEqual(sample("traffic.flow", "futian", T0 + 2000, 3));
    expect(store.points("traffic.flow", "futian")).toEqual([
      [T0, 1],
      [T0 + 1000, 2],
      [T0 + 2000, 3],
    ]);
    expect(store.points("traffic.flow", "nanshan")).toEqual([[T0, 9]]);
    expect(store.latest("traffic.flow", "luohu")).toBeUndefined();
    expect(store.points("traffic.flow", "luohu")).toEqual([]);
  });

  it("a late sample does not replace the latest value", () => {
    const store = new SeriesStore(LIMITS);
    store.add([sample("traffic.flow", "futian", T0 + 5000, 50)]);
    store.add([sample("traffic.flow", "futian", T0 + 1000, 10)]);
    expect(store.latest("traffic.flow", "futian")?.value).toBe(50);
  });

  it("bumps its version only when samples arrive", () => {
    const store = new SeriesStore(LIMITS);
    const v0 = store.version;
    store.add([]);
    expect(store.version).toBe(v0);
    store.add([sample("traffic.flow", "futian", T0, 1)]);
    expect(store.version).toBeGreaterThan(v0);
  });

  describe("snapshot", () => {
    const store = new SeriesStore(LIMITS);
    store.add(run("traffic.flow", "shenzhen", 600));
    store.add(run("traffic.flow", "futian", 600));
    store.add(run("parking.occupancy", "shenzhen", 600));
    store.add(run("health.visits", "shenzhen", 600));
    const now = T0 + 599_000;
    const snap = store.snapshot({ now, windowMs: 60_000, domains: ["traffic", "parking"], historyEntityIds: ["shenzhen"] });

    it("carries the latest value of every series in the requested domains, and no others", () => {
      expect(snap.latest.map((s) => `${s.metricId}|${s.entityId}`).sort()).toEqual(["parking.occupancy|shenzhen", "traffic.flow|futian", "traffic.flow|shenzhen"]);
      for (const s of snap.latest) expect(s.ts).toBe(now);
    });

    it("carries history only for the requested entities, within the window", () => {
      expect(snap.history.map((h) => `${h.metricId}|${h.entityId}`).sort()).toEqual(["parking.occupancy|shenzhen", "traffic.flow|shenzhen"]);
      for (const h of snap.history) {
        expect(h.points).toHaveLength(61);
        expect(h.points[0]?.[0]).toBe(now - 60_000);
        expect(h.points.at(-1)?.[0]).toBe(now);
      }
      expect(snap).toMatchObject({ serverTime: now, windowMs: 60_000 });
    });

    it("hands out copies, so a client mutating the snapshot cannot corrupt the store", () => {
      const first = snap.history[0]?.points[0];
      if (first) first[1] = -1;
      expect(store.points("traffic.flow", "shenzhen").every(([, v]) => v >= 0)).toBe(true);
    });
  });

  it("addSnapshot merges history into points already held without duplicating them", () => {
    const server = new SeriesStore(LIMITS);
    server.add(run("traffic.flow", "shenzhen", 120));
    const client = new SeriesStore(LIMITS);
    // The client saw the first 30 s and the last 10 s; a reconnect fills the hole.
    client.add(run("traffic.flow", "shenzhen", 120).filter((s) => s.ts < T0 + 30_000 || s.ts >= T0 + 110_000));
    client.addSnapshot(server.snapshot({ now: T0 + 119_000, windowMs: 15 * 60_000, domains: ["traffic"], historyEntityIds: ["shenzhen"] }));
    expect(client.points("traffic.flow", "shenzhen")).toEqual(server.points("traffic.flow", "shenzhen"));
    expect(client.points("traffic.flow", "shenzhen")).toHaveLength(120);
    expect(client.latest("traffic.flow", "shenzhen")?.ts).toBe(T0 + 119_000);
  });

  it("reports the newest sample time per domain and overall", () => {
    const store = new SeriesStore(LIMITS);
    expect(store.newestTs()).toBeUndefined();
    store.add([sample("traffic.flow", "futian", T0 + 5000, 1), sample("traffic.avgSpeed", "futian", T0 + 7000, 1), sample("parking.occupancy", "futian", T0 + 3000, 1)]);
    expect(store.newestTs("traffic")).toBe(T0 + 7000);
    expect(store.newestTs("parking")).toBe(T0 + 3000);
    expect(store.newestTs("health")).toBeUndefined();
    expect(store.newestTs()).toBe(T0 + 7000);
  });

  it("stays bounded after 10,000 samples per series", () => {
    const limits = { maxPoints: 900, maxAgeMs: 15 * 60_000 };
    const store = new SeriesStore(limits);
    const series = [
      ["traffic.flow", "shenzhen"],
      ["traffic.flow", "futian"],
      ["parking.occupancy", "nanshan"],
    ] as const;
    for (let s = 0; s < 10_000; s++) store.add(series.map(([m, e]) => sample(m, e, T0 + s * 1000, s)));
    for (const [m, e] of series) {
      const points = store.points(m, e);
      expect(points.length).toBeLessThanOrEqual(limits.maxPoints);
      expect(points.at(-1)).toEqual([T0 + 9_999_000, 9_999]);
    }
  });

  it("trim(now) empties history that aged out while no data arrived, keeping the latest value", () => {
    const store = new SeriesStore(LIMITS);
    store.add(run("traffic.flow", "shenzhen", 60));
    store.trim(T0 + 59_000 + LIMITS.maxAgeMs + 1);
    expect(store.points("traffic.flow", "shenzhen")).toEqual([]);
    expect(store.latest("traffic.flow", "shenzhen")?.ts).toBe(T0 + 59_000);
  });
});
