/**
 * Walls report heartbeats over a real socket.io-client; an operator reads them at /walls
 * and counts them in /healthz. The server names each wall and binds it to the socket that
 * reported it; a page proves it is a wall again with the server's resume token. The
 * server's clock is injected: a wall going silent for 30 s is seen without waiting 30 s.
 *
 * The attacks of issue 20 item 4, against the real server: a socket naming another wall's
 * id (public in /walls) to take it over, and 2,000 sockets from one address filling the
 * registry. Client addresses other than 127.0.0.1 are played through X-Forwarded-For to a
 * side server that trusts 127.0.0.1 as its proxy (TRUSTED_PROXIES).
 */
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Event, ZHeartbeatReply, type THeartbeat, type THeartbeatReply } from "@/lib/realtime/protocol";
import { FROZEN_AFTER_MS, WALLS_PER_ADDRESS, type WallRow } from "@/lib/realtime/walls";
import type { SideServer } from "../app";
import { wallTokens } from "../wall-tokens";
import { api, bootSideServer, connect, sleep, tempDir, type TestClient } from "./helpers";

const beat = (path = "/", resume: string | null = null, fps = 59.8): THeartbeat => ({
  resume,
  path,
  fps,
  heapMB: 180.5,
  lastFrameAgeMs: 700,
  stalePanels: 0,
  viewport: { width: 3840, height: 2160, dpr: 1 },
});

/** Sends a heartbeat (anything: the server validates) and returns the server's answer. */
async function report(socket: TestClient, heartbeat: unknown): Promise<THeartbeatReply> {
  return ZHeartbeatReply.parse(await (socket as unknown as Socket).timeout(5_000).emitWithAck(Event.heartbeat, heartbeat));
}

/** A socket from client address `address` (through the trusted proxy at 127.0.0.1). */
const connectAs = (port: number, address: string) => connect(port, { extraHeaders: { "x-forwarded-for": address } });

function listedAs(reply: THeartbeatReply): { wallId: string; resume: string } {
  if (!reply.ok) throw new Error(`heartbeat refused: ${reply.message}`);
  return reply;
}

function wallsOf(server: SideServer) {
  const walls = async () => ((await api(server.port, "GET", "/walls")).body.walls ?? []) as WallRow[];
  const wall = async (id: string) => (await walls()).find((w) => w.wallId === id);
  /** Polls until `check` holds: disconnects reach the server asynchronously. */
  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    for (let deadline = Date.now() + 5_000; !(await check()); await sleep(25)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await walls())}`);
    }
  }
  return { walls, wall, until };
}

describe("walls", () => {
  const temp = tempDir();
  let server: SideServer;
  let skewMs = 0;
  const clients: TestClient[] = [];
  let walls: ReturnType<typeof wallsOf>;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false" }, Date.now, () => performance.now() + skewMs);
    walls = wallsOf(server);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    temp.cleanup();
  });

  it("W1 lists every reporting wall by the id the server gave it, newest first; one gone silent is frozen after 30 s, one whose socket closed is disconnected at once; a reload with its token is the same wall", async () => {
    const [lobby, desk] = await Promise.all([connect(server.port), connect(server.port)]);
    clients.push(lobby, desk);
    const lobbyWall = listedAs(await report(lobby, beat("/")));
    const deskWall = listedAs(await report(desk, beat("/traffic?range=24h")));
    expect(lobbyWall.wallId).toMatch(/^[0-9a-f]{12}$/);
    expect(deskWall.wallId).not.toBe(lobbyWall.wallId);
    expect(deskWall.resume.startsWith(`${deskWall.wallId}.`)).toBe(true);
    expect((await api(server.port, "GET", "/walls")).body.complete).toBe(true);

    expect(await walls.walls()).toEqual([
      { wallId: deskWall.wallId, path: "/traffic?range=24h", status: "ok", lastHeartbeatAgeSeconds: expect.any(Number), fps: 59.8, heapMB: 180.5, lastFrameAgeMs: 700, stalePanels: 0, viewport: { width: 3840, height: 2160, dpr: 1 }, connected: true },
      expect.objectContaining({ wallId: lobbyWall.wallId, status: "ok", connected: true }),
    ]);

    // 30 s of server time pass; only the desk keeps reporting.
    skewMs += FROZEN_AFTER_MS + 1_000;
    expect(await report(desk, beat("/traffic?range=24h", deskWall.resume))).toEqual({ ok: true, ...deskWall });
    expect(await walls.wall(lobbyWall.wallId)).toMatchObject({ status: "frozen", connected: true });
    expect((await walls.wall(lobbyWall.wallId))?.lastHeartbeatAgeSeconds).toBeGreaterThanOrEqual(31);
    expect(await walls.wall(deskWall.wallId)).toMatchObject({ status: "ok" });
    expect((await api(server.port, "GET", "/healthz")).body.walls).toEqual({ total: 2, ok: 1, attention: 1, refused: 0 });

    desk.close();
    await walls.until("the desk to show disconnected", async () => (await walls.wall(deskWall.wallId))?.status === "disconnected");
    expect(await walls.wall(deskWall.wallId)).toMatchObject({ connected: false });
    expect((await api(server.port, "GET", "/healthz")).body.walls).toEqual({ total: 2, ok: 0, attention: 2, refused: 0 });

    // The desk reloads: a new socket, the token from sessionStorage.
    const reloaded = await connect(server.port);
    clients.push(reloaded);
    expect(await report(reloaded, beat("/traffic?range=24h", deskWall.resume))).toEqual({ ok: true, ...deskWall });
    expect((await walls.walls()).map((w) => [w.wallId, w.connected, w.status])).toEqual([
      [deskWall.wallId, true, "ok"],
      [lobbyWall.wallId, true, "frozen"],
    ]);
  });

  it("W2 an invalid heartbeat is answered with what is wrong, listed nowhere, and its socket stays connected", async () => {
    const client = await connect(server.port);
    clients.push(client);
    const before = await walls.walls();
    for (const bad of [{ ...beat(), fps: -1 }, { ...beat(), resume: "x".repeat(200) }, { ...beat(), viewport: null }, "garbage", null]) {
      expect(await report(client, bad)).toMatchObject({ ok: false, reason: "invalid-payload", message: expect.stringMatching(/^(fps|resume|viewport|heartbeat): /) });
    }
    expect(await walls.walls()).toEqual(before.map((w) => ({ ...w, lastHeartbeatAgeSeconds: expect.any(Number) })));
    expect(listedAs(await report(client, beat("/after-bad"))).wallId).toMatch(/^[0-9a-f]{12}$/);
    expect(client.connected).toBe(true);
  });

  it("W3 GET only", async () => {
    expect((await api(server.port, "POST", "/walls", { body: {} })).status).toBe(405);
  });

  it("W4 a socket naming another wall's id, in any form, changes nothing about that wall: it is listed as a wall of its own", async () => {
    const lobby = await connect(server.port);
    const victim = listedAs(await report(lobby, beat("/?kiosk=1")));
    lobby.close();
    await walls.until("the lobby to show disconnected", async () => (await walls.wall(victim.wallId))?.status === "disconnected");
    const before = await walls.wall(victim.wallId);

    // The id is public (/walls); the attacker tries it as the old field, as a token, and with a forged or foreign proof.
    const foreign = wallTokens("another deployment's admin token").issue(victim.wallId);
    const attempts: unknown[] = [
      { ...beat("/SPOOFED"), wallId: victim.wallId },
      beat("/SPOOFED", victim.wallId),
      beat("/SPOOFED", `${victim.wallId}.${"A".repeat(22)}`),
      beat("/SPOOFED", foreign),
      beat("/SPOOFED", `${victim.wallId}.${victim.resume.split(".")[1]!.slice(0, 21)}B`),
    ];
    const attackerWalls: string[] = [];
    for (const attempt of attempts) {
      const attacker = await connect(server.port);
      clients.push(attacker);
      const answer = listedAs(await report(attacker, attempt));
      expect(answer.wallId).not.toBe(victim.wallId);
      attackerWalls.push(answer.wallId);
    }
    // A socket bound to its own wall cannot move to another either, even with that wall's real token.
    const bound = clients.at(-1)!;
    expect(listedAs(await report(bound, beat("/SPOOFED", victim.resume))).wallId).toBe(attackerWalls.at(-1));

    expect(await walls.wall(victim.wallId)).toEqual({ ...before, lastHeartbeatAgeSeconds: expect.any(Number) });
    expect(await walls.wall(victim.wallId)).toMatchObject({ path: "/?kiosk=1", status: "disconnected", connected: false });
    expect(new Set(attackerWalls).size).toBe(attempts.length);
  });
});

describe("walls under a flood", () => {
  const temp = tempDir();
  let server: SideServer;
  let walls: ReturnType<typeof wallsOf>;
  const real: TestClient[] = [];

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false", TRUSTED_PROXIES: "127.0.0.1,::1" });
    walls = wallsOf(server);
  });
  afterAll(async () => {
    for (const c of real) c.close();
    await server.close();
    temp.cleanup();
  });

  it("W5 2,000 sockets from one address reporting and leaving: the real walls stay listed and ok, the flood holds at most its quota, /healthz counts honestly", async () => {
    const realWalls: string[] = [];
    for (const address of ["10.1.0.1", "10.1.0.2", "10.1.0.3"]) {
      const socket = await connectAs(server.port, address);
      real.push(socket);
      realWalls.push(listedAs(await report(socket, beat(`/?wall=${address}`))).wallId);
    }

    const FLOOD = 2_000;
    const answers: THeartbeatReply[] = [];
    const startedAt = Date.now();
    // 100 at a time: each connects and reports as not rendering (an alarm on /healthz if listed); half leave at once,
    // half stay open until the next hundred have reported (live walls, which the quota cannot push out).
    let lingering: TestClient[] = [];
    for (let at = 0; at < FLOOD; at += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => connectAs(server.port, "10.6.6.6")));
      answers.push(...(await Promise.all(batch.map((socket) => report(socket, beat("/SPOOFED", null, 0))))));
      for (const socket of lingering) socket.close();
      lingering = batch.filter((socket, i) => (i % 2 === 0 ? (socket.close(), false) : true));
    }
    for (const socket of lingering) socket.close();
    await walls.until("the flood's sockets to be closed", async () => (await walls.walls()).every((w) => w.path !== "/SPOOFED" || !w.connected));
    const floodSeconds = (Date.now() - startedAt) / 1000;
    expect(answers.length).toBe(FLOOD);
    const refused = answers.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => !a.ok && a.reason === "walls-per-address")).toBe(true);

    const listed = await walls.walls();
    const flood = listed.filter((w) => w.path === "/SPOOFED");
    expect(flood.length).toBeLessThanOrEqual(WALLS_PER_ADDRESS);
    for (const [i, wallId] of realWalls.entries()) expect(listed.find((w) => w.wallId === wallId)).toMatchObject({ status: "ok", connected: true, path: `/?wall=10.1.0.${i + 1}` });
    const health = (await api(server.port, "GET", "/healthz")).body.walls as { total: number; ok: number; attention: number; refused: number };
    expect(health).toEqual({ total: listed.length, ok: 3, attention: flood.length, refused: refused.length });
    expect(health.attention).toBeLessThanOrEqual(WALLS_PER_ADDRESS);
    console.log(`flood of ${FLOOD} sockets from one address in ${floodSeconds.toFixed(1)} s: ${FLOOD - refused.length} listed in turn, ${refused.length} refused; /healthz walls ${JSON.stringify(health)}`);
  }, 120_000);

  it("W6 the quota holds under concurrency: 100 sockets of one address reporting at once get exactly the places left", async () => {
    const sockets = await Promise.all(Array.from({ length: 100 }, () => connectAs(server.port, "10.7.7.7")));
    real.push(...sockets);
    const answers = await Promise.all(sockets.map((socket) => report(socket, beat("/concurrent"))));
    expect(answers.filter((a) => a.ok).length).toBe(WALLS_PER_ADDRESS);
    expect((await walls.walls()).filter((w) => w.path === "/concurrent").length).toBe(WALLS_PER_ADDRESS);
    // Their next heartbeats, all at once again: the same walls, none more.
    const again = await Promise.all(sockets.map((socket, i) => report(socket, beat("/concurrent", answers[i]!.ok ? (answers[i] as { resume: string }).resume : null))));
    expect(again.filter((a) => a.ok).map((a) => (a as { wallId: string }).wallId).sort()).toEqual(answers.filter((a) => a.ok).map((a) => (a as { wallId: string }).wallId).sort());
  });

  it("W7 X-Forwarded-For from a peer that is not a trusted proxy names nobody: every address it claims counts as the peer's", async () => {
    const untrusted = await bootSideServer(temp.dir + "/untrusted", { SIM_ENABLED: "false" });
    const sockets: TestClient[] = [];
    try {
      for (let i = 0; i < WALLS_PER_ADDRESS + 10; i++) sockets.push(await connectAs(untrusted.port, `10.9.${i}.1`));
      const answers = await Promise.all(sockets.map((socket) => report(socket, beat("/claims-many-addresses"))));
      expect(answers.filter((a) => a.ok).length).toBe(WALLS_PER_ADDRESS);
    } finally {
      for (const s of sockets) s.close();
      await untrusted.close();
    }
  });
});
