/**
 * The side server end to end in one process: real HTTP, real Socket.IO with a real
 * socket.io-client, a real SQLite file. Rule ids in test names refer to the
 * "live wall" issue's integration checklist.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_ID, DISTRICTS, DOMAINS, METRICS } from "@/lib/catalog";
import type { Socket } from "socket.io-client";
import { Event, Rejection, ZHelloReply, ZSnapshot } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { bootSideServer, collectFrames, connect, hello, tempDir, type TestClient } from "./helpers";

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

  it("S1 replies to hello with a valid snapshot holding the latest value of every series", async () => {
    // Give the simulator two ticks so the window is not empty.
    await new Promise((r) => setTimeout(r, 2_200));
    const reply = ZHelloReply.parse(await hello(client));
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const { snapshot } = reply;
    expect(snapshot.latest).toHaveLength(METRICS.length * (DISTRICTS.length + 1));
    const cityHistory = snapshot.history.filter((h) => h.entityId === CITY_ID);
    expect(cityHistory).toHaveLength(METRICS.length);
    expect(Math.min(...cityHistory.map((h) => h.points.length))).toBeGreaterThanOrEqual(2);
  });

  it("S2 streams one frame per domain every second, each sample valid and persisted", async () => {
    const frames = await collectFrames(client, 3_500);
    for (const domain of DOMAINS) {
      const ofDomain = frames.filter((f) => f.domain === domain);
      expect(ofDomain.length, domain).toBeGreaterThanOrEqual(3);
      expect(ofDomain.length, domain).toBeLessThanOrEqual(4);
      // one frame per tick: every sample in a frame shares one timestamp
      for (const f of ofDomain) expect(new Set(f.samples.map((s) => s.ts)).size).toBe(1);
    }
    const db = new Database(server.databaseFile, { readonly: true });
    try {
      const lookup = db.prepare(`SELECT "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" = ?`);
      for (const sample of frames.flatMap((f) => f.samples)) {
        const row = lookup.get(sample.metricId, sample.entityId, sample.ts) as { value: number } | undefined;
        expect(row?.value).toBe(sample.value);
      }
    } finally {
      db.close();
    }
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
      const bad: unknown = await untyped.timeout(5_000).emitWithAck(Event.hello, { protocolVersion: 1, domains: ["weather"] });
      expect(bad).toMatchObject({ ok: false, reason: Rejection.invalidPayload });
      expect(JSON.stringify(bad)).toContain("domains");
      const frames = await collectFrames(old, 1_300);
      expect(frames).toHaveLength(0);
    } finally {
      old.close();
    }
  });

  it("S5 /healthz reports status, clients, persisted samples and the database", async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: "ok", database: { reachable: true } });
    expect(health.connectedClients).toBeGreaterThanOrEqual(1);
    expect(health.samplesPersisted).toBeGreaterThan(0);
    expect(typeof health.uptimeSeconds).toBe("number");
  });

  it("S6 /snapshot serves the same snapshot over HTTP and rejects an unknown domain with 400", async () => {
    const ok = await fetch(`http://127.0.0.1:${server.port}/snapshot?domains=traffic`);
    expect(ok.status).toBe(200);
    const snapshot = ZSnapshot.parse(await ok.json());
    expect(snapshot.latest.every((s) => s.metricId.startsWith("traffic."))).toBe(true);
    const bad = await fetch(`http://127.0.0.1:${server.port}/snapshot?domains=weather`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("domains");
    const missing = await fetch(`http://127.0.0.1:${server.port}/nope`);
    expect(missing.status).toBe(404);
  });

  it("S7 seeds the reference figures once, however often it starts", async () => {
    const count = () => {
      const db = new Database(join(temp.dir, "test.db"), { readonly: true });
      try {
        return (db.prepare(`SELECT COUNT(*) AS n FROM "ReferenceFigure"`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = count();
    expect(before).toBeGreaterThan(10);
    const second = await bootSideServer(temp.dir, { SIM_ENABLED: "false" });
    await second.close();
    expect(count()).toBe(before);
  });
});
