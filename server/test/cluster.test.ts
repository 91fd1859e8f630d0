/**
 * Two side servers, one city: A and B as real processes sharing a PostgreSQL database and
 * a Redis of their own (started here, so it can be stopped). One leads (simulator, alerts,
 * rollups); a batch persisted on one reaches the other's clients; the follower takes over
 * within seconds of the leader's SIGKILL with no duplicate stream; and a Redis outage of
 * 60 s leaves each instance serving its own clients, cross-instance delivery resuming
 * once Redis is back and the missed samples refilled from the database (the walls', and
 * the leader's alert engine's). Any instance lists the walls of all.
 */
import type { ChildProcess } from "node:child_process";
import { connect as tcpConnect, createServer, type Server, type Socket as TcpSocket } from "node:net";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_ID } from "@/lib/catalog";
import { openDatabase } from "@/lib/db/client";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import { healthz } from "./child-server";
import { redisServer, startRedis, startSideServerProcess, type Instance } from "./cluster-processes";
import { createTestDatabase, postgres, type TestDatabase } from "@/lib/db/test-databases";
import { Event, PROTOCOL_VERSION, ZHeartbeatReply, ZHelloReply, type TAlert, type TFrame, type THeartbeat, type TSnapshot } from "@/lib/realtime/protocol";
import type { WallRow } from "@/lib/realtime/walls";
import { api, connect, databaseUrl, hello, sleep, waitFor, waitForAsync, type TestClient } from "./helpers";
import { freePort, runId } from "./mqtt-broker";
import { lacking } from "./needs";

const ADMIN_TOKEN = "cluster-test-admin-token";
const SPEED = 60;
const OUTAGE_MS = 60_000;


/**
 * A front door like nginx's upstream: each connection goes to the first side server that
 * accepts it, in order, so a client whose instance died reconnects to the next one.
 */
async function frontDoor(ports: () => number[]): Promise<{ port: number; close(): void }> {
  const open = new Set<TcpSocket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => undefined);
    const tryPort = (candidates: number[]) => {
      const [port, ...rest] = candidates;
      if (port === undefined) return client.destroy();
      const upstream = tcpConnect(port, "127.0.0.1");
      let connected = false;
      upstream.on("error", () => (connected ? client.destroy() : tryPort(rest)));
      upstream.once("connect", () => {
        connected = true;
        open.add(upstream);
        client.pipe(upstream).pipe(client);
        upstream.on("close", () => client.destroy());
        client.on("close", () => upstream.destroy());
      });
    };
    tryPort(ports());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no port");
  return { port: address.port, close: () => (open.forEach((s) => s.destroy()), server.close()) };
}

const citySeries = (snapshot: TSnapshot) => snapshot.history.find((h) => h.entityId === CITY_ID && h.metricId === "traffic.congestionIndex")?.points ?? [];

const citySamples = (frames: readonly TFrame[]) => frames.flatMap((f) => f.samples.filter((s) => s.entityId === CITY_ID && s.metricId === "traffic.congestionIndex"));

const heartbeat: THeartbeat = { resume: null, path: "/", fps: 60, heapMB: 200, lastFrameAgeMs: 800, stalePanels: 0, viewport: { width: 1920, height: 1080, dpr: 1 } };
/** Reports a wall's heartbeat and returns the id the side server gave it. */
async function reportWall(socket: TestClient): Promise<string> {
  const reply = ZHeartbeatReply.parse(await socket.timeout(5_000).emitWithAck(Event.heartbeat, heartbeat));
  if (!reply.ok) throw new Error(reply.message);
  return reply.wallId;
}
const simulatedTimeOf = async (instance: Instance) => Date.parse(((await healthz(instance.port))?.clock as { simulatedTime: string }).simulatedTime);
const alertsOf = async (instance: Instance) => ((await api(instance.port, "GET", "/alerts")).body.alerts ?? []) as TAlert[];

describe.skipIf(lacking("the cluster", postgres, redisServer))("two side servers sharing PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let redisPort: number;
  let redis: ChildProcess;
  const instances: Instance[] = [];
  const clients: TestClient[] = [];

  async function startInstance(name: string): Promise<Instance> {
    const instance = await startSideServerProcess(name, {
      DATABASE_URL: databaseUrl(database.target),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      CLUSTER_NAME: `test-${runId}`.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
      ADMIN_TOKEN,
      SIM_SPEED: String(SPEED),
    });
    instances.push(instance);
    return instance;
  }


  async function client(instance: Instance): Promise<{ socket: TestClient; frames: TFrame[] }> {
    const socket = await connect(instance.port);
    clients.push(socket);
    const frames: TFrame[] = [];
    socket.on("frame", (frame) => frames.push(frame));
    await hello(socket);
    return { socket, frames };
  }

  const roleOf = async (instance: Instance) => (await healthz(instance.port))?.role;

  beforeAll(async () => {
    database = await createTestDatabase("postgresql", "cluster");
    redisPort = await freePort();
    redis = await startRedis(redisPort);
  }, 30_000);

  afterAll(async () => {
    for (const socket of clients) socket.close();
    for (const instance of instances) instance.child.kill("SIGKILL");
    redis?.kill("SIGKILL");
    await sleep(500);
    await database?.drop();
  });

  let a: Instance;
  let b: Instance;

  it("one instance leads, the other follows, and both report it", async () => {
    a = await startInstance("A");
    // Listening comes before the first try for the lock (a connection of its own): on a loaded machine /healthz answers first, as a follower.
    await waitForAsync("A to take the lead", async () => ((await roleOf(a)) === "leader" ? true : undefined), 10_000);
    b = await startInstance("B");
    await sleep(2_000);
    expect([await roleOf(a), await roleOf(b)]).toEqual(["leader", "follower"]);
  }, 60_000);

  it("a batch the leader's simulator persists reaches a client connected to the follower", async () => {
    const onB = await client(b);
    await waitFor("city frames on B", () => (citySamples(onB.frames).length >= 3 ? true : undefined), 10_000);
  }, 20_000);

  it("alert rules changed through the follower are the leader's: the follower relays them", async () => {
    const rule = { name: { zh: "测试", en: "Test" }, metricId: "traffic.congestionIndex", scope: CITY_ID, direction: "above", threshold: 9.9, clearAt: 9, forSeconds: 60, severity: "info" };
    const put = await fetch(`http://127.0.0.1:${b.port}/alerts/rules/cluster-test`, { method: "PUT", headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(rule) });
    expect(put.status, await put.clone().text()).toBe(200);
    const onA = (await (await fetch(`http://127.0.0.1:${a.port}/alerts/rules`)).json()) as { rules: { id: string }[] };
    expect(onA.rules.map((r) => r.id)).toContain("cluster-test");
  }, 20_000);

  it("the follower takes over within seconds of the leader's SIGKILL, the simulated stream goes on once, and a wall on the dead instance reconnects to the other, whole", async () => {
    const onB = await client(b);
    await waitFor("city frames on B", () => (citySamples(onB.frames).length >= 2 ? true : undefined), 10_000);
    // A wall coming in through the front door lands on A (first in line); when A dies it reconnects and lands on B.
    const door = await frontDoor(() => [a.port, b.port]);
    const wall = io(`http://127.0.0.1:${door.port}`, { transports: ["websocket"], reconnectionDelay: 200, reconnectionDelayMax: 500, forceNew: true });
    const snapshots: TSnapshot[] = [];
    const wallFrames: TFrame[] = [];
    wall.on(Event.frame, (frame: TFrame) => wallFrames.push(frame));
    wall.on("connect", () => {
      wall.timeout(5_000).emit(Event.hello, { protocolVersion: PROTOCOL_VERSION, domains: ["traffic"] }, (error: unknown, raw: unknown) => {
        const reply = ZHelloReply.safeParse(raw);
        if (!error && reply.success && reply.data.ok) snapshots.push(reply.data.snapshot);
      });
    });
    await waitFor("the wall's first snapshot, from A", () => (snapshots.length === 1 ? true : undefined), 10_000);
    expect((await healthz(a.port))?.connectedClients).toBe(1);
    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    await waitForAsync("B leads", async () => ((await roleOf(b)) === "leader" ? true : undefined), 15_000);
    const failoverMs = Date.now() - killedAt;
    console.log(`[cluster] failover: B leads ${failoverMs} ms after A's SIGKILL`);
    expect(failoverMs).toBeLessThan(10_000);
    const before = citySamples(onB.frames).length;
    await waitFor("city frames from B's own simulator", () => (citySamples(onB.frames).length >= before + 3 ? true : undefined), 10_000);
    const ts = citySamples(onB.frames).map((s) => s.ts);
    expect(new Set(ts).size).toBe(ts.length);
    expect([...ts].sort((x, y) => x - y)).toEqual(ts);
    // The wall reconnected through the door to B, and B's snapshot holds the window A's wall had, and more.
    await waitFor("the wall's second snapshot, from B", () => (snapshots.length >= 2 ? true : undefined), 10_000);
    const [fromA, fromB] = [citySeries(snapshots[0]!), citySeries(snapshots[1]!)];
    console.log(`[cluster] the wall reconnected to B with ${fromB.length} points of the city's congestion (it had ${fromA.length} from A)`);
    expect(fromB.length).toBeGreaterThanOrEqual(fromA.length);
    expect(fromB.map((p) => p[0])).toEqual(expect.arrayContaining(fromA.map((p) => p[0])));
    const framesAfter = wallFrames.length;
    await waitFor("frames on the reconnected wall", () => (wallFrames.length > framesAfter ? true : undefined), 10_000);
    wall.close();
    door.close();
  }, 40_000);

  it(`Redis stopped for ${OUTAGE_MS / 1000} s: no instance crashes, each keeps serving its own clients, and cross-instance delivery resumes after`, async () => {
    const c = await startInstance("C");
    expect(await roleOf(c)).toBe("follower");
    const onB = await client(b);
    const onC = await client(c);
    await waitFor("C receives B's batches", () => (citySamples(onC.frames).length >= 2 ? true : undefined), 10_000);
    // A wall on each instance: either one lists both.
    const [wallOnB, wallOnC] = [await reportWall(onB.socket), await reportWall(onC.socket)];
    const wallsOf = async (instance: Instance) => (await api(instance.port, "GET", "/walls")).body as { walls: WallRow[]; complete: boolean };
    await waitForAsync("both walls listed on C", async () => ((await wallsOf(c)).walls.length === 2 ? true : undefined));
    expect(await wallsOf(c)).toEqual({ walls: [expect.objectContaining({ wallId: expect.any(String) }), expect.anything()], complete: true });
    expect((await wallsOf(b)).walls.map((w) => w.wallId).sort()).toEqual([wallOnB, wallOnC].sort());
    // A rule that only a hospital feed ingested on C will breach: the simulator's waits stay far below.
    const rule = { name: { zh: "候诊超长", en: "Wait too long" }, metricId: "health.waitMinutes", scope: "hospital-futian-01", direction: "above", threshold: 230, clearAt: 200, forSeconds: 0, severity: "info" };
    expect((await api(b.port, "PUT", "/alerts/rules/refill-test", { token: ADMIN_TOKEN, body: rule })).status).toBe(200);
    const db = await openDatabase(database.target);
    const feedToken = await createIngestToken(db, "hospital-feed");
    await db.$disconnect();

    redis.kill("SIGKILL");
    await sleep(3_000);
    const [bDuring, cDuring] = [citySamples(onB.frames).length, citySamples(onC.frames).length];
    // C says its list of walls may miss some, and still lists its own.
    expect(await wallsOf(c)).toEqual({ walls: [expect.objectContaining({ wallId: wallOnC })], complete: false });
    // An alert operation on C cannot reach the leader: it says so at once instead of hanging.
    const relayed = await api(c.port, "GET", "/alerts/rules");
    expect(relayed).toMatchObject({ status: 503, body: { error: expect.stringContaining("Redis is away") } });
    // The feed reaches C meanwhile, stamped ahead (within the accepted clock skew) of what B's simulator will send for that hospital by the time Redis returns.
    const simulatedNow = await simulatedTimeOf(c);
    const breach = { metricId: "health.waitMinutes", entityId: "hospital-futian-01", ts: simulatedNow + 3 * 60_000 * SPEED, value: 239 };
    const ingested = await api(c.port, "POST", "/ingest", { token: feedToken, body: { samples: [breach] } });
    expect(ingested.status, JSON.stringify(ingested.body)).toBe(200);
    await sleep(OUTAGE_MS - 3_000 - 5_000);
    expect((await alertsOf(b)).filter((alert) => alert.ruleId === "refill-test")).toEqual([]);
    // B (the leader, with the simulator) kept its own clients fed; C got nothing from B meanwhile.
    expect(citySamples(onB.frames).length).toBeGreaterThan(bDuring + 10);
    expect(citySamples(onC.frames).length).toBeLessThanOrEqual(cDuring + 1);
    expect([b.child.exitCode, c.child.exitCode]).toEqual([null, null]);
    expect(await roleOf(b)).toBe("leader");

    redis = await startRedis(redisPort);
    const returned = Date.now();
    const cBefore = citySamples(onC.frames).length;
    await waitFor("C receives B's batches again", () => (citySamples(onC.frames).length > cBefore + 1 ? true : undefined), 20_000);
    console.log(`[cluster] after a ${OUTAGE_MS / 1000} s Redis outage, C's clients receive B's batches again ${Date.now() - returned} ms after Redis returns`);
    // And C's walls get what they missed from the database: every city sample B's clients saw during the outage.
    const seenOnB = citySamples(onB.frames).map((x) => x.ts);
    const missingOnC = () => {
      const onCNow = new Set(citySamples(onC.frames).map((x) => x.ts));
      return seenOnB.filter((ts) => !onCNow.has(ts));
    };
    await waitFor("C refilled", () => (missingOnC().length === 0 ? true : undefined), 15_000).catch((error: Error) => {
      const missing = missingOnC();
      throw new Error(`${error.message}: C's clients lack ${missing.length} of the ${seenOnB.length} city samples B's clients saw (${missing.slice(0, 3).map((ts) => new Date(ts).toISOString()).join(", ")} …); C printed:\n${c.output().slice(-3_000)}`);
    });
    // And the leader's alert engine saw the sample stored on C during the outage: the alert opens, and C lists it too.
    const opened = await waitForAsync("the alert on B", async () => (await alertsOf(b)).find((alert) => alert.ruleId === "refill-test"), 15_000);
    expect(opened).toMatchObject({ entityId: "hospital-futian-01", triggerValue: 239, sinceTs: breach.ts });
    await waitForAsync("the alert on C", async () => ((await alertsOf(c)).some((alert) => alert.id === opened.id) ? true : undefined));
    expect((await wallsOf(c)).complete).toBe(true);
    // Redis came back empty; a side server started now still keeps the cluster's simulated time.
    const d = await startInstance("D");
    const [onD, onBNow] = [await simulatedTimeOf(d), await simulatedTimeOf(b)];
    expect(Math.abs(onD - onBNow)).toBeLessThan(2_000 * SPEED);
  }, OUTAGE_MS + 90_000);
});
