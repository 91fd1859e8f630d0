import { describe, expect, it } from "vitest";
import { CITY_ID, DISTRICTS, ENTITIES, METRICS, isSummaryEntity, type MetricId } from "../catalog";
import { simulateCity } from "../sim/simulator";
import type { TSample } from "./protocol";
import { SeriesStore } from "./series-store";

const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);
const LIMITS = { maxPoints: 1_000, maxAgeMs: 15 * 60_000 };

const everyEntity = () => true;

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

  it("dropAfter forgets what is ahead of a clock that went back: points, latest values, and series with nothing left", () => {
    const store = new SeriesStore(LIMITS, isSummaryEntity);
    store.add(run("traffic.flow", "futian", 10));
    store.add([sample("parking.occupancy", "lot-futian-001", T0 + 9_000, 80), sample("parking.occupancy", "lot-futian-002", T0 + 2_000, 60)]);
    const version = store.version;
    store.dropAfter(T0 + 4_000);
    expect(store.points("traffic.flow", "futian").map(([ts]) => ts - T0)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    expect(store.latest("traffic.flow", "futian")).toEqual(sample("traffic.flow", "futian", T0 + 4_000, 4));
    // A series without history (an entity) and only a value ahead: gone, not shown as current.
    expect(store.latest("parking.occupancy", "lot-futian-001")).toBeUndefined();
    expect(store.latest("parking.occupancy", "lot-futian-002")?.value).toBe(60);
    expect(store.newestTs()).toBe(T0 + 4_000);
    expect(store.version).toBeGreaterThan(version);
    // Nothing ahead: nothing changes, not even the version.
    const after = store.version;
    store.dropAfter(T0 + 60_000);
    expect(store.version).toBe(after);
  });

  it("addMissing adds and returns only what it does not hold: a refill frames nothing twice", () => {
    const store = new SeriesStore(LIMITS);
    const held = [sample("traffic.flow", "futian", T0, 1), sample("traffic.flow", "futian", T0 + 2000, 3)];
    store.add(held);
    const gap = sample("traffic.flow", "futian", T0 + 1000, 2);
    const other = sample("traffic.flow", "nanshan", T0, 9);
    expect(store.addMissing([...held, gap, other])).toEqual([gap, other]);
    expect(store.points("traffic.flow", "futian")).toEqual([
      [T0, 1],
      [T0 + 1000, 2],
      [T0 + 2000, 3],
    ]);
    expect(store.addMissing([...held, gap, other])).toEqual([]);
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
    const snap = store.snapshot({ now, windowMs: 60_000, domains: ["traffic", "parking"], entities: everyEntity, historyEntityIds: ["shenzhen"] });

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
    });

    it("returns only the latest values and the history: the caller adds clock and window", () => {
      expect(Object.keys(snap).sort()).toEqual(["history", "latest"]);
    });

    it("carries latest values and history only for the entities the predicate admits", () => {
      const onlyFutian = store.snapshot({ now, windowMs: 60_000, domains: ["traffic", "parking"], entities: (id) => id === "futian", historyEntityIds: ["shenzhen", "futian"] });
      expect(onlyFutian.latest.map((s) => `${s.metricId}|${s.entityId}`)).toEqual(["traffic.flow|futian"]);
      expect(onlyFutian.history.map((h) => `${h.metricId}|${h.entityId}`)).toEqual(["traffic.flow|futian"]);
      expect(onlyFutian.history[0]?.points).toHaveLength(61);
      const none = store.snapshot({ now, windowMs: 60_000, domains: ["traffic", "parking"], entities: () => false, historyEntityIds: ["shenzhen"] });
      expect(none).toEqual({ latest: [], history: [] });
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
    client.addSnapshot(server.snapshot({ now: T0 + 119_000, windowMs: 15 * 60_000, domains: ["traffic"], entities: everyEntity, historyEntityIds: ["shenzhen"] }));
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

  describe("keepHistory", () => {
    it("keeps only the latest value of series whose entity it rejects, and full history for the rest", () => {
      const store = new SeriesStore(LIMITS, (id) => id === "shenzhen");
      store.add(run("traffic.flow", "shenzhen", 60));
      store.add(run("traffic.flow", "road-shennan", 60));
      expect(store.points("traffic.flow", "shenzhen")).toHaveLength(60);
      expect(store.points("traffic.flow", "road-shennan")).toEqual([]);
      expect(store.latest("traffic.flow", "road-shennan")).toEqual(sample("traffic.flow", "road-shennan", T0 + 59_000, 59));
      expect(store.newestTs("traffic")).toBe(T0 + 59_000);
    });

    it("a late sample for a latest-only series does not replace the latest value either", () => {
      const store = new SeriesStore(LIMITS, () => false);
      store.add([sample("traffic.flow", "road-shennan", T0 + 5000, 50)]);
      store.add([sample("traffic.flow", "road-shennan", T0 + 1000, 10)]);
      expect(store.latest("traffic.flow", "road-shennan")?.value).toBe(50);
    });

    it("puts latest-only series in a snapshot's latest values but never in its history, even when asked for", () => {
      const store = new SeriesStore(LIMITS, (id) => id === "shenzhen");
      store.add(run("traffic.flow", "shenzhen", 60));
      store.add(run("traffic.flow", "road-shennan", 60));
      const snap = store.snapshot({ now: T0 + 59_000, windowMs: 60_000, domains: ["traffic"], entities: everyEntity, historyEntityIds: ["shenzhen", "road-shennan"] });
      expect(snap.latest.map((s) => s.entityId).sort()).toEqual(["road-shennan", "shenzhen"]);
      expect(snap.history.map((h) => h.entityId)).toEqual(["shenzhen"]);
      store.trim(T0 + 59_000 + LIMITS.maxAgeMs + 1);
      expect(store.latest("traffic.flow", "road-shennan")?.ts).toBe(T0 + 59_000);
    });

    it("keeps history of the city and districts only, under the whole simulated city at 1 Hz, as the side server does", () => {
      const store = new SeriesStore(LIMITS, isSummaryEntity);
      const ticks = 30;
      const reported = new Set<string>();
      for (let s = 0; s < ticks; s++) {
        const samples = simulateCity(1, T0 + s * 1000);
        for (const x of samples) reported.add(`${x.metricId}|${x.entityId}`);
        store.add(samples);
      }
      const summary = [CITY_ID, ...DISTRICTS.map((d) => d.id)];
      for (const id of summary) expect(store.points("traffic.congestionIndex", id)).toHaveLength(ticks);
      for (const e of ENTITIES.filter((x) => !isSummaryEntity(x.id))) {
        for (const m of METRICS) expect(store.points(m.id, e.id)).toEqual([]);
      }
      expect(store.latest("traffic.congestionIndex", "road-shennan")?.ts).toBe(T0 + (ticks - 1) * 1000);

      const now = T0 + (ticks - 1) * 1000;
      const domains = ["traffic", "parking", "health", "broadband"] as const;
      const wall = store.snapshot({ now, windowMs: 60_000, domains, entities: isSummaryEntity, historyEntityIds: [CITY_ID] });
      // Every metric applies to the city and each district: 11 × |METRICS| latest values, history for the city's.
      expect(wall.latest).toHaveLength(summary.length * METRICS.length);
      expect(wall.latest.every((s) => isSummaryEntity(s.entityId))).toBe(true);
      expect(wall.history).toHaveLength(METRICS.length);
      for (const h of wall.history) {
        expect(h.entityId).toBe(CITY_ID);
        expect(h.points).toHaveLength(ticks);
      }

      const everything = store.snapshot({ now, windowMs: 60_000, domains, entities: everyEntity, historyEntityIds: ENTITIES.map((e) => e.id) });
      // Every series that reported at least once (a lot offline for the whole half-minute has none).
      expect(new Set(everything.latest.map((s) => `${s.metricId}|${s.entityId}`))).toEqual(reported);
      expect(everything.latest).toHaveLength(reported.size);
      expect(everything.history.every((h) => isSummaryEntity(h.entityId))).toBe(true);
      expect(everything.history).toHaveLength(summary.length * METRICS.length);
    });
  });
});
