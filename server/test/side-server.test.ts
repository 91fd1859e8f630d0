/**
 * The side server end to end in one process: real HTTP, real Socket.IO with a real
 * socket.io-client, a real SQLite file. Rule ids in test names refer to the
 * "live wall" issue's integration checklist.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_ID, DOMAINS, ENTITIES, isSummaryEntity, metricById, type Domain } from "@/lib/catalog";
import type { Socket } from "socket.io-client";
import { Event, Rejection, ZHelloReply, ZSnapshot, seriesKey, type TFrame, type TSample } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { bootSideServer, collectFrames, connect, expectedSeries, hello, readDb, tempDir, type TestClient } from "./helpers";

const LOT_IDS = new Set(ENTITIES.filter((e) => e.kind === "lot").map((e) => e.id));
const keyOf = (s: TSample) => seriesKey(s.metricId, s.entityId);
const lotsWith = (samples: readonly TSample[], metricId: string) => new Set(samples.filter((s) => s.metricId === metricId && LOT_IDS.has(s.entityId)).map((s) => s.entityId));

/** JSON bytes of one summary and one entities frame per domain (the lead wants the figures). */
function frameSizes(summaryFrames: readonly TFrame[], entityFrames: readonly TFrame[]): Record<Domain, string> {
  const sizes = {} as Record<Domain, string>;
  for (const domain of DOMAINS) {
    const summary = summaryFrames.find((f) => f.domain === domain && f.level === "summary");
    const entity = entityFrames.find((f) => f.domain === domain && f.level === "entities");
    expect(summary, `summary ${domain}`).toBeDefined();
    expect(entity, `entities ${domain}`).toBeDefined();
    sizes[domain] = `summary ${JSON.stringify(summary).length} B (${summary?.samples.length} samples), entities ${JSON.stringify(entity).length} B (${entity?.samples.length} samples)`;
  }
  return sizes;
}

describe("side server", () => {
  const temp = tempDir();
  let server: SideServer;
  let client: TestClient;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir);
    client = await connect(server.port);
  });

  afterAll(async () => {
    client?.close();
    await server?.close();
    temp.cleanup();
  });

  it("S1 replies to hello with a summary snapshot: the latest value of every city and district series, history for the city", async () => {
    // Give the simulator two ticks so the window is not empty.
    await new Promise((r) => setTimeout(r, 2_200));
    const reply = ZHelloReply.parse(await hello(client));
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const { snapshot } = reply;
    const expected = expectedSeries(DOMAINS, ["city", "district"]);
    expect(expected.size).toBeGreaterThan(100);
    // Exactly one latest value per (metric, entity) the catalog measures on the city and its districts.
    expect(snapshot.latest.map(keyOf).sort()).toEqual([...expected].sort());
    // …and it is the newest one: all from the same (last persisted) tick, equal to what is on disk.
    const newest = Math.max(...snapshot.latest.map((s) => s.ts));
    expect(snapshot.latest.every((s) => s.ts === newest)).toBe(true);
    readDb(server.databaseFile, (db) => {
      const lookup = db.prepare(`SELECT "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" = ?`);
      for (const s of snapshot.latest) expect((lookup.get(s.metricId, s.entityId, s.ts) as { value: number } | undefined)?.value, keyOf(s)).toBe(s.value);
    });
    // History only for the city, for every metric measured on it, each with the ticks so far.
    expect(snapshot.history.every((h) => h.entityId === CITY_ID)).toBe(true);
    const cityMetrics = [...expected].filter((k) => k.endsWith(`|${CITY_ID}`)).map((k) => k.split("|")[0]);
    expect(snapshot.history.map((h) => h.metricId).sort()).toEqual(cityMetrics.sort());
    for (const h of snapshot.history) {
      expect(h.points.length, h.metricId).toBeGreaterThanOrEqual(2);
      expect(h.points.at(-1)?.[0]).toBe(newest);
    }
    expect(metricById("parking.occupancy")?.entityKinds).toContain("lot");
    expect(snapshot.latest.some((s) => LOT_IDS.has(s.entityId))).toBe(false);
  });

  it("S2 streams one summary frame per domain every second, only city and district samples, each valid and persisted", async () => {
    const frames: TFrame[] = await collectFrames(client, 3_500);
    expect(frames.every((f) => f.level === "summary")).toBe(true);
    for (const domain of DOMAINS) {
      const ofDomain = frames.filter((f) => f.domain === domain);
      expect(ofDomain.length, domain).toBeGreaterThanOrEqual(3);
      expect(ofDomain.length, domain).toBeLessThanOrEqual(4);
      // one frame per tick: every sample in a frame shares one timestamp (C1/C2 check the ticks themselves)
      for (const f of ofDomain) expect(new Set(f.samples.map((s) => s.ts)).size).toBe(1);
      // a summary frame carries the whole domain for the city and every district, nothing else
      const expected = [...expectedSeries([domain], ["city", "district"])].sort();
      for (const f of ofDomain) expect(f.samples.map(keyOf).sort()).toEqual(expected);
    }
    expect(frames.flatMap((f) => f.samples).every((s) => isSummaryEntity(s.entityId))).toBe(true);
    readDb(server.databaseFile, (db) => {
      const lookup = db.prepare(`SELECT "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" = ?`);
      for (const sample of frames.flatMap((f) => f.samples)) {
        const row = lookup.get(sample.metricId, sample.entityId, sample.ts) as { value: number } | undefined;
        expect(row?.value).toBe(sample.value);
      }
    });
  });

  it("S3 a client subscribed to one domain receives only that domain", async () => {
    const parkingOnly = await connect(server.port);
    try {
      const reply = await hello(parkingOnly, ["parking"]);
      expect(reply.ok).toBe(true);
      if (reply.ok) expect(new Set(reply.snapshot.latest.map((s) => s.metricId.split(".")[0]))).toEqual(new Set(["parking"]));
      const frames = await collectFrames(parkingOnly, 2_200);
      expect(frames.length).toBeGreaterThanOrEqual(2);
      expect(frames.every((f) => f.domain === "parking")).toBe(true);
    } finally {
      parkingOnly.close();
    }
  });

  it("S4 tells an old client to reload and rejects a malformed hello, naming the field", async () => {
    const old = await connect(server.port);
    try {
      const mismatch = await hello(old, DOMAINS, 0);
      expect(mismatch).toMatchObject({ ok: false, reason: Rejection.protocolMismatch });
      // An untyped socket, as a hostile or broken client would be.
      const untyped = old as unknown as Socket;
      const bad: unknown = await untyped.timeout(5_000).emitWithAck(Event.hello, { protocolVersion: 2, domains: ["weather"] });
      expect(bad).toMatchObject({ ok: false, reason: Rejection.invalidPayload });
      expect(JSON.stringify(bad)).toContain("domains");
      const badLevel: unknown = await untyped.timeout(5_000).emitWithAck(Event.hello, { protocolVersion: 2, domains: ["parking"], level: "everything" });
      expect(badLevel).toMatchObject({ ok: false, reason: Rejection.invalidPayload });
      expect(JSON.stringify(badLevel)).toContain("level");
      const frames = await collectFrames(old, 1_300);
      expect(frames).toHaveLength(0);
    } finally {
      old.close();
    }
  });

  it("S5 /healthz reports status, clients, persisted samples and the database", async () => {
    const countOnDisk = () => readDb(server.databaseFile, (db) => (db.prepare(`SELECT COUNT(*) AS n FROM "MetricSample"`).get() as { n: number }).n);
    const before = countOnDisk();
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: "ok", database: { reachable: true }, drills: 0, clock: { speed: 1 } });
    expect(health.connectedClients).toBeGreaterThanOrEqual(1);
    // The count is what is on disk (a tick may land between the reads).
    expect(before).toBeGreaterThan(0);
    expect(health.samplesPersisted).toBeGreaterThanOrEqual(before);
    expect(health.samplesPersisted, "samplesPersisted exceeds the rows on disk (a repeated tick ignored by ON CONFLICT DO NOTHING is still counted; see C2)").toBeLessThanOrEqual(countOnDisk());
    expect(typeof health.uptimeSeconds).toBe("number");
    expect(health.eventLoopDelayMs).toEqual({ p99: expect.any(Number), max: expect.any(Number) });
  });

  it("S6 /snapshot serves the same snapshot over HTTP and rejects an unknown domain with 400", async () => {
    const ok = await fetch(`http://127.0.0.1:${server.port}/snapshot?domains=traffic`);
    expect(ok.status).toBe(200);
    const snapshot = ZSnapshot.parse(await ok.json());
    expect(snapshot.latest.map(keyOf).sort()).toEqual([...expectedSeries(["traffic"], ["city", "district"])].sort());
    const bad = await fetch(`http://127.0.0.1:${server.port}/snapshot?domains=weather`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("domains");
    const missing = await fetch(`http://127.0.0.1:${server.port}/nope`);
    expect(missing.status).toBe(404);
  });

  it("S7 seeds the reference figures once, however often it starts", async () => {
    const count = () => readDb(join(temp.dir, "test.db"), (db) => (db.prepare(`SELECT COUNT(*) AS n FROM "ReferenceFigure"`).get() as { n: number }).n);
    const before = count();
    expect(before).toBeGreaterThan(10);
    const second = await bootSideServer(temp.dir, { SIM_ENABLED: "false" });
    await second.close();
    expect(count()).toBe(before);
  });

  it("L1 an entities-level client gets every lot's samples and latest values; summary clients never see a lot; frame sizes", async () => {
    // Its own server where every entity reports every tick (SIM_ENTITY_EVERY=1): the whole city each second.
    const own = tempDir();
    const full = await bootSideServer(own.dir, { SIM_ENTITY_EVERY: "1" });
    const [wall, lots, all] = await Promise.all([connect(full.port), connect(full.port), connect(full.port)]);
    try {
      expect((await hello(wall)).ok).toBe(true);
      await collectFrames(wall, 1_100); // one tick persisted, so the snapshot has lots in it
      const reply = ZHelloReply.parse(await hello(lots, ["parking"], undefined, "entities"));
      expect(reply.ok).toBe(true);
      if (!reply.ok) return;
      // The snapshot holds the latest value of every lot reporting (767 less the few offline this minute).
      const snapLots = reply.snapshot.latest.filter((s) => LOT_IDS.has(s.entityId));
      expect(lotsWith(snapLots, "parking.freeSpaces").size).toBeGreaterThan(LOT_IDS.size - 20);
      expect(lotsWith(snapLots, "parking.occupancy")).toEqual(lotsWith(snapLots, "parking.freeSpaces"));
      expect(new Set(snapLots.map(keyOf)).size).toBe(snapLots.length);
      expect(reply.snapshot.history.every((h) => h.entityId === CITY_ID)).toBe(true);

      expect((await hello(all, DOMAINS, undefined, "entities")).ok).toBe(true);
      // An entities client also follows the summary (L2); here only its entity frames count.
      const [lotFramesAll, wallFrames, allFrames] = await Promise.all([collectFrames(lots, 2_300), collectFrames(wall, 2_300), collectFrames(all, 2_300)]);
      const lotFrames = lotFramesAll.filter((f) => f.level === "entities");
      expect(lotFrames.length).toBeGreaterThanOrEqual(2);
      for (const f of lotFrames) {
        expect(f).toMatchObject({ domain: "parking", level: "entities" });
        const free = lotsWith(f.samples, "parking.freeSpaces");
        // 767 lots, a few offline in any one minute (they report nothing then).
        expect(free.size).toBeGreaterThan(LOT_IDS.size - 20);
        expect(free.size).toBeLessThanOrEqual(LOT_IDS.size);
        expect(lotsWith(f.samples, "parking.occupancy")).toEqual(free);
        for (const s of f.samples.filter((x) => x.metricId === "parking.occupancy")) {
          expect(s.value).toBeGreaterThanOrEqual(0);
          expect(s.value).toBeLessThanOrEqual(100);
        }
      }
      expect(wallFrames.length).toBeGreaterThanOrEqual(8);
      expect(wallFrames.flatMap((f) => f.samples).filter((s) => !isSummaryEntity(s.entityId))).toEqual([]);
      console.log(`L1 frame JSON bytes per tick, SIM_ENTITY_EVERY=1:\n${JSON.stringify(frameSizes(wallFrames, allFrames))}`);
    } finally {
      for (const c of [wall, lots, all]) c.close();
      await full.close();
      own.cleanup();
    }
  });

  it("L2 an entities-level client also keeps receiving the city and district samples its snapshot started with", async () => {
    // ZLevel: "entities" is every road, lot, institution and node *too*; its snapshot holds the city and
    // districts, so the frames must keep those current as well, or the client's city figures freeze.
    const entities = await connect(server.port);
    try {
      const reply = await hello(entities, ["parking"], undefined, "entities");
      expect(reply.ok && reply.snapshot.latest.some((s) => s.entityId === CITY_ID)).toBe(true);
      const frames = await collectFrames(entities, 2_300);
      expect(frames.length).toBeGreaterThan(0);
      const cityTicks = new Set(frames.flatMap((f) => f.samples).filter((s) => s.entityId === CITY_ID && s.metricId === "parking.occupancy").map((s) => s.ts));
      expect(cityTicks.size, "ticks with a city parking.occupancy sample").toBeGreaterThanOrEqual(2);
    } finally {
      entities.close();
    }
  });

  it("L3 by default each entity reports every 10th tick, staggered, and the city and districts every tick", async () => {
    const entities = await connect(server.port);
    try {
      expect((await hello(entities, DOMAINS, undefined, "entities")).ok).toBe(true);
      const [entityFramesAll, summaryFrames] = await Promise.all([collectFrames(entities, 2_300), collectFrames(client, 2_300)]);
      const entityFrames = entityFramesAll.filter((f) => f.level === "entities");
      // One entry per tick (C2: an instant can currently be submitted twice; that is not this rule).
      const parkingByTick = new Map(entityFrames.filter((f) => f.domain === "parking").map((f) => [f.samples[0]?.ts, f]));
      const lotTicks = [...parkingByTick.values()].map((f) => lotsWith(f.samples, "parking.freeSpaces"));
      expect(lotTicks.length).toBeGreaterThanOrEqual(2);
      for (const lots of lotTicks) {
        // About a tenth of the 767 lots (how the turns fall on each district's lots varies a little), less any offline.
        expect(lots.size).toBeGreaterThanOrEqual(60);
        expect(lots.size).toBeLessThanOrEqual(90);
      }
      // Staggered: consecutive ticks carry different lots.
      for (let i = 1; i < lotTicks.length; i++) expect([...(lotTicks[i] ?? [])].filter((id) => lotTicks[i - 1]?.has(id))).toEqual([]);
      // The summary is whole every tick.
      for (const domain of DOMAINS) {
        const expected = [...expectedSeries([domain], ["city", "district"])].sort();
        for (const f of summaryFrames.filter((x) => x.domain === domain)) expect(f.samples.map(keyOf).sort()).toEqual(expected);
      }
      console.log(`L3 frame JSON bytes per tick, default SIM_ENTITY_EVERY:\n${JSON.stringify(frameSizes(summaryFrames, entityFrames))}`);
    } finally {
      entities.close();
    }
  });
});
