/**
 * Walls report heartbeats over a real socket.io-client; an operator reads them at /walls
 * and counts them in /healthz. The server's clock is injected: a wall going silent for
 * 30 s is seen without waiting 30 s.
 */
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Event, type THeartbeat } from "@/lib/realtime/protocol";
import { FROZEN_AFTER_MS, type WallRow } from "@/lib/realtime/walls";
import type { SideServer } from "../app";
import { api, bootSideServer, connect, sleep, tempDir, type TestClient } from "./helpers";

const beat = (wallId: string, path = "/"): THeartbeat => ({
  wallId,
  path,
  fps: 59.8,
  heapMB: 180.5,
  lastFrameAgeMs: 700,
  stalePanels: 0,
  viewport: { width: 3840, height: 2160, dpr: 1 },
});

describe("walls", () => {
  const temp = tempDir();
  let server: SideServer;
  let skewMs = 0;
  const clients: TestClient[] = [];

  const walls = async () => ((await api(server.port, "GET", "/walls")).body.walls ?? []) as WallRow[];
  const wall = async (id: string) => (await walls()).find((w) => w.wallId === id);
  /** Polls until `check` holds: heartbeats and disconnects reach the server asynchronously. */
  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    for (let deadline = Date.now() + 5_000; !(await check()); await sleep(25)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await walls())}`);
    }
  }

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false" }, () => Date.now() + skewMs);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    temp.cleanup();
  });

  it("W1 lists every reporting wall, newest first; one gone silent is frozen after 30 s, one whose socket closed is disconnected at once", async () => {
    const [lobby, desk] = await Promise.all([connect(server.port), connect(server.port)]);
    clients.push(lobby, desk);
    lobby.emit(Event.heartbeat, beat("lobby"));
    await until("the lobby wall", async () => (await wall("lobby")) !== undefined);
    desk.emit(Event.heartbeat, beat("desk", "/traffic?range=24h"));
    await until("both walls", async () => (await walls()).length === 2);
    expect((await api(server.port, "GET", "/walls")).body.complete).toBe(true);

    expect(await walls()).toEqual([
      { wallId: "desk", path: "/traffic?range=24h", status: "ok", lastHeartbeatAgeSeconds: expect.any(Number), fps: 59.8, heapMB: 180.5, lastFrameAgeMs: 700, stalePanels: 0, viewport: { width: 3840, height: 2160, dpr: 1 }, connected: true },
      expect.objectContaining({ wallId: "lobby", status: "ok", connected: true }),
    ]);

    // 30 s of server time pass; only the desk keeps reporting.
    skewMs += FROZEN_AFTER_MS + 1_000;
    desk.emit(Event.heartbeat, beat("desk", "/traffic?range=24h"));
    await until("the lobby wall to freeze", async () => (await wall("lobby"))?.status === "frozen");
    expect(await wall("lobby")).toMatchObject({ connected: true });
    expect((await wall("lobby"))?.lastHeartbeatAgeSeconds).toBeGreaterThanOrEqual(31);
    expect(await wall("desk")).toMatchObject({ status: "ok" });
    expect((await api(server.port, "GET", "/healthz")).body.walls).toEqual({ total: 2, ok: 1, attention: 1 });

    desk.close();
    await until("the desk to show disconnected", async () => (await wall("desk"))?.status === "disconnected");
    expect(await wall("desk")).toMatchObject({ connected: false });
    expect((await api(server.port, "GET", "/healthz")).body.walls).toEqual({ total: 2, ok: 0, attention: 2 });

    // The desk reloads: a new socket, the same wall id from sessionStorage.
    const reloaded = await connect(server.port);
    clients.push(reloaded);
    reloaded.emit(Event.heartbeat, beat("desk", "/traffic?range=24h"));
    await until("the reloaded desk", async () => (await wall("desk"))?.status === "ok");
    expect((await walls()).map((w) => [w.wallId, w.connected])).toEqual([
      ["desk", true],
      ["lobby", true],
    ]);
  });

  it("W2 an invalid heartbeat is ignored, and its socket stays connected", async () => {
    const client = await connect(server.port);
    clients.push(client);
    const untyped = client as unknown as Socket;
    const before = await walls();
    for (const bad of [{ ...beat("bad"), fps: -1 }, { ...beat("bad"), wallId: "x".repeat(200) }, { ...beat("bad"), viewport: null }, "garbage", null]) untyped.emit(Event.heartbeat, bad);
    // Then a valid one on the same socket: once it is listed, the invalid ones before it were handled.
    client.emit(Event.heartbeat, beat("after-bad"));
    await until("the valid heartbeat", async () => (await wall("after-bad")) !== undefined);
    expect((await walls()).map((w) => w.wallId).sort()).toEqual([...before.map((w) => w.wallId), "after-bad"].sort());
    expect(client.connected).toBe(true);
  });

  it("W3 GET only", async () => {
    expect((await api(server.port, "POST", "/walls", { body: {} })).status).toBe(405);
  });
});
