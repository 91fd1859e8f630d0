/**
 * Subscriptions follow the page: a district page is sent its district, an entity page
 * its entity, over a real socket.io-client to the real side server.
 */
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_ID, DOMAINS, entityById, inScope } from "@/lib/catalog";
import { Event, Rejection, ZHelloReply, ZSnapshot, type TFrame } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { bootSideServer, collectFrames, connect, hello, tempDir } from "./helpers";

const LOT = "lot-futian-001";
const bytesPerTick = (frames: readonly TFrame[], ticks: number) => Math.round(frames.reduce((sum, f) => sum + Buffer.byteLength(JSON.stringify([Event.frame, f])), 0) / ticks);

describe("scoped subscriptions", () => {
  const temp = tempDir();
  let server: SideServer;

  beforeAll(async () => {
    // Every entity reports every tick, so each scope gets something every second.
    server = await bootSideServer(temp.dir, { SIM_ENTITY_EVERY: "1" });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  it("P1 a district page receives its district and everything in it, nothing of any other district; an entity page only its entity", async () => {
    const [city, district, lot] = await Promise.all([connect(server.port), connect(server.port), connect(server.port)]);
    try {
      expect((await hello(city, DOMAINS, undefined, "entities")).ok).toBe(true);
      const districtReply = ZHelloReply.parse(await hello(district, DOMAINS, undefined, "entities", "futian"));
      const lotReply = ZHelloReply.parse(await hello(lot, ["parking"], undefined, "entities", LOT));
      if (!districtReply.ok || !lotReply.ok) throw new Error("hello refused");

      // Snapshots: the same scope, the district's own history for its trend charts.
      expect(districtReply.snapshot.latest.length).toBeGreaterThan(100);
      expect(districtReply.snapshot.latest.every((s) => inScope(s.entityId, "futian"))).toBe(true);
      expect(districtReply.snapshot.history.map((h) => h.entityId)).toContain("futian");
      expect(districtReply.snapshot.history.every((h) => h.entityId === "futian")).toBe(true);
      expect(new Set(lotReply.snapshot.latest.map((s) => s.entityId))).toEqual(new Set([LOT]));
      expect(lotReply.snapshot.entityIntervalMs).toBe(1_000);

      const TICKS = 3;
      const [cityFrames, districtFrames, lotFrames] = await Promise.all([city, district, lot].map((c) => collectFrames(c, TICKS * 1_000 + 300)));
      const districtSamples = (districtFrames ?? []).flatMap((f) => f.samples);
      const districtsSeen = new Set(districtSamples.map((s) => entityById(s.entityId)?.districtId));
      expect([...districtsSeen]).toEqual(["futian"]);
      // Its own summary, a road filed in it, its lots, institutions and nodes: every domain.
      const kinds = new Set(districtSamples.map((s) => entityById(s.entityId)?.kind));
      expect(kinds).toEqual(new Set(["district", "road", "lot", "hospital", "healthCentre", "accessNode"]));
      expect(new Set((districtFrames ?? []).map((f) => f.domain))).toEqual(new Set(DOMAINS));
      expect(districtSamples.some((s) => s.entityId === CITY_ID)).toBe(false);

      const lotSamples = (lotFrames ?? []).flatMap((f) => f.samples);
      expect(lotSamples.length).toBeGreaterThanOrEqual(2 * (TICKS - 1));
      expect(new Set(lotSamples.map((s) => s.entityId))).toEqual(new Set([LOT]));

      const sizes = { city: bytesPerTick(cityFrames ?? [], TICKS), district: bytesPerTick(districtFrames ?? [], TICKS), entity: bytesPerTick(lotFrames ?? [], TICKS) };
      console.log(`P1 frame JSON bytes per tick (every entity reporting each tick): ${JSON.stringify(sizes)}`);
      // 福田 holds about a tenth of the city's entities; one lot is two samples.
      expect(sizes.district).toBeLessThan(sizes.city / 5);
      expect(sizes.entity).toBeLessThan(1_000);
    } finally {
      for (const c of [city, district, lot]) c.close();
    }
  });

  it("P2 an unknown scope is refused by name, over the socket and over HTTP", async () => {
    const client = await connect(server.port);
    try {
      const untyped = client as unknown as Socket;
      const bad: unknown = await untyped.timeout(5_000).emitWithAck(Event.hello, { protocolVersion: 3, domains: ["parking"], scope: "atlantis" });
      expect(bad).toMatchObject({ ok: false, reason: Rejection.invalidPayload });
      expect(JSON.stringify(bad)).toContain("scope: unknown city, district or entity");
      expect(await collectFrames(client, 1_200)).toHaveLength(0);
    } finally {
      client.close();
    }
    const res = await fetch(`http://127.0.0.1:${server.port}/snapshot?scope=atlantis`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain("scope");
    const ok = await fetch(`http://127.0.0.1:${server.port}/snapshot?domains=health&level=entities&scope=nanshan`);
    const snapshot = ZSnapshot.parse(await ok.json());
    expect(snapshot.latest.length).toBeGreaterThan(10);
    expect(snapshot.latest.every((s) => inScope(s.entityId, "nanshan") && s.metricId.startsWith("health."))).toBe(true);
  });

  it("P3 a client that moves from a district to another (a new hello) stops receiving the first", async () => {
    const client = await connect(server.port);
    try {
      expect((await hello(client, ["traffic"], undefined, "entities", "futian")).ok).toBe(true);
      expect((await hello(client, ["traffic"], undefined, "entities", "nanshan")).ok).toBe(true);
      const samples = (await collectFrames(client, 2_300)).flatMap((f) => f.samples);
      expect(samples.length).toBeGreaterThan(0);
      expect(new Set(samples.map((s) => entityById(s.entityId)?.districtId))).toEqual(new Set(["nanshan"]));
    } finally {
      client.close();
    }
  });
});
