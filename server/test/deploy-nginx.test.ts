/**
 * deploy/nginx.conf, run by a real nginx: the committed file with only its ports and /tmp
 * paths rewritten, in front of two side servers (a cluster on a scratch PostgreSQL database
 * and a Redis of the test's own) and a stand-in for the web app. Through nginx's port alone:
 * /realtime/ reaches both side servers in turn, / reaches the web app, /socket.io/ carries a
 * WebSocket that receives frames, and when the side server under that socket is SIGKILLed
 * the client reconnects through nginx to the other one and receives frames again.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, postgres, type TestDatabase } from "@/lib/db/test-databases";
import { Event, type THelloReply } from "@/lib/realtime/protocol";
import { healthz, waitForUrl } from "./child-server";
import { redisServer, startRedis, startSideServerProcess, type Instance } from "./cluster-processes";
import { connect, databaseUrl, hello, record, sleep, waitFor, type TestClient } from "./helpers";
import { freePort, runId } from "./mqtt-broker";
import { binary, lacking } from "./needs";

/** Debian's nginx, or the first one on PATH. */
const NGINX = binary("nginx", ["/usr/sbin/nginx", "nginx"], "apt-get install nginx (macOS: brew install nginx)");

const ADMIN_TOKEN = "deploy-nginx-test-admin-token";

interface Ports {
  sideA: number;
  sideB: number;
  web: number;
  nginx: number;
}

/**
 * The committed config for this test: its side servers', web app's and listening ports become
 * the test's, its /tmp paths go into `dir`. Throws when a token is missing, or when an upstream
 * server, listen or /tmp path is left that the test does not control: an edit to the committed
 * file must not make this test quietly test something else.
 */
function renderNginxConfig(committed: string, ports: Ports, dir: string): string {
  const tokens = new Map([
    ["127.0.0.1:4001", `127.0.0.1:${ports.sideA}`],
    ["127.0.0.1:4002", `127.0.0.1:${ports.sideB}`],
    ["127.0.0.1:3001", `127.0.0.1:${ports.web}`],
    // Loopback only: the test's nginx is nobody else's.
    ["listen 8080;", `listen 127.0.0.1:${ports.nginx};`],
    ["/tmp/onescreen-nginx", join(dir, "onescreen-nginx")],
  ]);
  const found = new Set<string>();
  // One pass, so a replacement is never replaced again (a free port that happens to be 4002).
  const pattern = new RegExp([...tokens.keys()].map((token) => token.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"), "g");
  const rendered = committed.replace(pattern, (token) => (found.add(token), tokens.get(token) ?? token));
  const missing = [...tokens.keys()].filter((token) => !found.has(token));
  if (missing.length > 0) throw new Error(`deploy/nginx.conf no longer contains ${missing.map((t) => JSON.stringify(t)).join(", ")}: update renderNginxConfig in server/test/deploy-nginx.test.ts`);
  const ours = new Set([...tokens.values()]);
  const strays = rendered.split("\n").filter((line) => {
    const directive = line.trim();
    if (directive.startsWith("#")) return false;
    const server = /^server\s+([^\s{;]+)/.exec(directive)?.[1];
    return directive.replaceAll(dir, "").includes("/tmp/") || (server !== undefined && !ours.has(server)) || (directive.startsWith("listen ") && !ours.has(directive));
  });
  if (strays.length > 0) throw new Error(`deploy/nginx.conf has directives this test does not rewrite:\n${strays.join("\n")}`);
  return rendered;
}

describe.skipIf(lacking("deploy/nginx.conf", NGINX, postgres, redisServer))("deploy/nginx.conf before two side servers and the web app", () => {
  let dir: string;
  let database: TestDatabase;
  let redis: ChildProcess;
  let a: Instance;
  let b: Instance;
  let web: Server;
  let nginx: ChildProcess;
  let nginxPort: number;
  let front: string;
  let wall: TestClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "onescreen-nginx-test-"));
    database = await createTestDatabase("postgresql", "deploy");
    const redisPort = await freePort();
    redis = await startRedis(redisPort);
    const env = {
      DATABASE_URL: databaseUrl(database.target),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      CLUSTER_NAME: `deploy-${runId}`.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
      ADMIN_TOKEN,
      SIM_SPEED: "60",
    };
    // One after the other: the first migrates the new database and leads.
    a = await startSideServerProcess("A", env);
    b = await startSideServerProcess("B", env);

    // The web app's stand-in: says who it is, what it was asked and for which host.
    web = createServer((req, res) => res.writeHead(200, { "content-type": "text/plain", "x-seen-request-id": String(req.headers["x-request-id"]) }).end(`web ${req.headers.host} ${req.url}`));
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    const webAddress = web.address();
    if (typeof webAddress !== "object" || !webAddress) throw new Error("no port");

    const ports = { sideA: a.port, sideB: b.port, web: webAddress.port, nginx: (nginxPort = await freePort()) };
    const conf = join(dir, "nginx.conf");
    writeFileSync(conf, renderNginxConfig(readFileSync("deploy/nginx.conf", "utf8"), ports, dir));
    // Run as root, nginx's workers are nobody: they must reach their temp folders in here.
    chmodSync(dir, 0o755);
    const nginxBinary = NGINX.path ?? "nginx";
    const checked = spawnSync(nginxBinary, ["-t", "-p", dir, "-c", conf], { encoding: "utf8" });
    if (checked.status !== 0) throw new Error(`nginx -t refuses deploy/nginx.conf as rendered in ${conf}:\n${checked.stderr}${checked.stdout}`);
    nginx = spawn(nginxBinary, ["-p", dir, "-c", conf, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    nginx.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    nginx.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    front = `http://127.0.0.1:${ports.nginx}`;
    await waitForUrl(`${front}/`, { name: "nginx", child: nginx, output: () => output }, 10_000);
  }, 60_000);

  afterAll(async () => {
    wall?.close();
    if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
      // TERM, not KILL: the master stops its workers only when it is asked to.
      const exited = new Promise((resolve) => nginx.once("exit", resolve));
      nginx.kill("SIGTERM");
      if ((await Promise.race([exited, sleep(5_000).then(() => "timeout")])) === "timeout") nginx.kill("SIGKILL");
    }
    for (const instance of [a, b]) instance?.child.kill("SIGKILL");
    redis?.kill("SIGKILL");
    web?.closeAllConnections();
    web?.close();
    await sleep(500);
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const res = await fetch(`${front}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, text: await res.text() };
  };

  it("/realtime/healthz reaches the side servers in turn: both answer 200, one leading, one following", async () => {
    const roles: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const { status, text } = await get("/realtime/healthz");
      expect(status, text).toBe(200);
      roles.push((JSON.parse(text) as { role?: unknown }).role);
    }
    expect(roles.every((role) => role === "leader" || role === "follower"), roles.join(", ")).toBe(true);
    expect(new Set(roles), roles.join(", ")).toEqual(new Set(["leader", "follower"]));
  });

  it("/realtime/livez and /realtime/readyz reach the side servers: 200 from each in turn", async () => {
    for (let i = 0; i < 4; i++) {
      expect(await get("/realtime/livez")).toMatchObject({ status: 200, text: expect.stringContaining('"status":"alive"') });
      expect(await get("/realtime/readyz")).toMatchObject({ status: 200, text: expect.stringContaining('"ready":true') });
    }
  });

  it("a request id reaches the servers: the client's X-Request-Id, or one nginx makes; the side servers echo it", async () => {
    const seen = async (headers: Record<string, string>) => (await fetch(`${front}/`, { headers, signal: AbortSignal.timeout(5_000) })).headers.get("x-seen-request-id");
    expect(await seen({ "x-request-id": "client-abc-123" })).toBe("client-abc-123");
    expect(await seen({})).toMatch(/^[0-9a-f]{32}$/);
    const side = await fetch(`${front}/realtime/livez`, { signal: AbortSignal.timeout(5_000) });
    expect(side.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("/metrics of neither server is served through the proxy: Prometheus scrapes each process directly", async () => {
    expect((await get("/metrics")).status).toBe(404);
    expect((await get("/realtime/metrics")).status).toBe(404);
  });

  it("every other path reaches the web app, as asked, with the host and port the browser used (its origin checks compare them)", async () => {
    const host = `127.0.0.1:${nginxPort}`;
    expect(await get("/")).toEqual({ status: 200, text: `web ${host} /` });
    expect(await get("/alerts?lang=en")).toEqual({ status: 200, text: `web ${host} /alerts?lang=en` });
  });

  it("a wall's WebSocket on /socket.io/ receives frames; when its side server is SIGKILLed it reconnects through nginx to the other and receives frames again", async () => {
    // The wall's own backoff (components/realtime/live-client.ts).
    wall = await connect(nginxPort, { reconnection: true, reconnectionDelay: 500, reconnectionDelayMax: 2_000 });
    const frames = record(wall).frames;
    const frameAt: number[] = [];
    wall.on(Event.frame, () => frameAt.push(Date.now()));
    expect((await hello(wall)).ok).toBe(true);
    await waitFor("frames through nginx", () => (frames.length >= 2 ? true : undefined), 10_000);

    // As the wall does: hello again on every reconnect (this listener comes after the first connect).
    const reconnects: { at: number; reply?: THelloReply }[] = [];
    wall.on("connect", () => {
      const reconnect: (typeof reconnects)[number] = { at: Date.now() };
      reconnects.push(reconnect);
      void hello(wall).then((reply) => (reconnect.reply = reply), () => undefined);
    });

    const clients = [(await healthz(a.port))?.connectedClients, (await healthz(b.port))?.connectedClients];
    expect([...clients].sort(), "connectedClients of A, B").toEqual([0, 1]);
    const [under, other] = clients[0] === 1 ? [a, b] : [b, a];
    const role = (await healthz(under.port))?.role;
    const killedAt = Date.now();
    under.child.kill("SIGKILL");

    const back = await waitFor(`the wall back through nginx with frames from ${other.name}`, () => {
      const reconnect = reconnects[0];
      const frame = reconnect?.reply?.ok ? frameAt.find((at) => at >= reconnect.at) : undefined;
      return reconnect && frame !== undefined ? { reconnect, frame } : undefined;
    }, 10_000);
    const [reconnectMs, frameMs] = [back.reconnect.at - killedAt, back.frame - killedAt];
    console.log(`[deploy-nginx] through nginx, the wall on ${under.name} (${String(role)}) reconnected to ${other.name} ${reconnectMs} ms after ${under.name}'s SIGKILL, its first frame from ${other.name} after ${frameMs} ms`);
    expect(frameMs).toBeLessThan(5_000);
    expect((await healthz(other.port))?.connectedClients).toBe(1);
    // And the side servers' HTTP API stays whole: nginx passes over the dead instance.
    for (let i = 0; i < 4; i++) expect((await get("/realtime/healthz")).status).toBe(200);
  }, 30_000);
});
