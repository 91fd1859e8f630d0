/**
 * The side server as its own process, as `npm start` runs it: bad configuration
 * stops start-up with the variable named, and SIGTERM flushes the pending batch so
 * no sample a client has seen is missing from the database. And `npm start` itself
 * (scripts/start.ts): whichever of its processes is killed, no orphan is left and the
 * product is healthy again, or, when the start script is killed, nothing is left.
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOMAINS } from "@/lib/catalog";
import { Event, type TSample } from "@/lib/realtime/protocol";
import { findEvent, logEvents } from "./log-lines";
import { healthzUrl, waitForUrl } from "./child-server";
import { collectFrames, connect, expectedSeries, hello, sleep, tempDir } from "./helpers";
import { freePort } from "./mqtt-broker";

function runSideServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // Node runs server/main.ts itself (tsx as a loader), as start.ts does: the pid is the server's.
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...process.env, REALTIME_HOST: "127.0.0.1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForPort(output: () => string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const port = findEvent(output(), "listening", { component: "side-server" })?.port;
    if (typeof port === "number") return port;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`side server did not start:\n${output()}`);
}

const summarySeries = expectedSeries(DOMAINS, ["city", "district"]);
const summaryIds = [...new Set([...summarySeries].map((k) => k.split("|")[1] ?? ""))];
const fullCitySeries = expectedSeries(DOMAINS, ["city", "district", "road", "lot", "hospital", "healthCentre", "accessNode"]);

describe("side server process", () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());

  // Independent processes: started together to keep the suite short.
  it.concurrent.for([
    [{ REALTIME_PORT: "abc" }, "REALTIME_PORT"],
    [{ DATABASE_URL: "mysql://nowhere/db" }, "DATABASE_URL"],
    // A PostgreSQL URL is valid configuration; a server that cannot be reached is named the same way.
    [{ DATABASE_URL: "postgres://nowhere/db" }, "DATABASE_URL: cannot reach PostgreSQL at postgres://nowhere/db"],
    [{ DATABASE_URL: "file:/proc/onescreen/x.db" }, "DATABASE_URL"],
    [{ SIM_ENABLED: "maybe" }, "SIM_ENABLED"],
    [{ SIM_SPEED: "fast" }, "SIM_SPEED"],
    [{ SIM_START: "tomorrow morning" }, "SIM_START"],
    [{ ADMIN_TOKEN: "short" }, "ADMIN_TOKEN"],
    [{ SIM_ENTITY_EVERY: "0" }, "SIM_ENTITY_EVERY"],
  ] as const)("P1 refuses to start with %o and names %s", async ([env, variable], { expect }) => {
    const run = runSideServer({ REALTIME_PORT: "0", DATABASE_URL: `file:${join(temp.dir, `p1-${variable}.db`)}`, ...env });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(variable);
  });

  it("P2 SIGTERM persists every sample a client was sent, and the pending batch", async () => {
    const databaseFile = join(temp.dir, "p2.db");
    // A long flush interval guarantees a batch is pending when the signal arrives. Every entity
    // reports every tick (SIM_ENTITY_EVERY=1), so each tick is the whole city.
    const run = runSideServer({ REALTIME_PORT: "0", DATABASE_URL: `file:${databaseFile}`, PERSIST_FLUSH_MS: "900", SIM_ENTITY_EVERY: "1" });
    const port = await waitForPort(run.output, 30_000);
    const client = await connect(port);
    expect((await hello(client)).ok).toBe(true);
    // A second client at entities level sees every lot too.
    const lots = await connect(port);
    expect((await hello(lots, ["parking"], undefined, "entities")).ok).toBe(true);
    const [summaryFrames, lotFrames] = await Promise.all([collectFrames(client, 3_300), collectFrames(lots, 3_300)]);
    const seen: TSample[] = [...summaryFrames, ...lotFrames].flatMap((f) => f.samples);
    expect(summaryFrames.length).toBeGreaterThan(0);
    expect(lotFrames.flatMap((f) => f.samples).length).toBeGreaterThan(1_000);
    // Frames go out 900 ms after their tick; 300 ms after one, the next tick is written to
    // memory but not yet to disk. That is the moment to pull the plug.
    const next = await new Promise<TSample[]>((resolve) => client.once(Event.frame, (f) => resolve(f.samples)));
    seen.push(...next);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    client.close();
    lots.close();

    const persistedThisRun = Number(findEvent(run.output(), "stopped", { component: "side-server" })?.persisted);
    // Its stdout is not a terminal: every line is a JSON event (LOG_FORMAT=auto), none free text.
    const lines = run.output().trim().split("\n");
    expect(lines.filter((line) => logEvents(line).length !== 1)).toEqual([]);
    expect(logEvents(run.output()).map((e) => e.msg)).toEqual(expect.arrayContaining(["listening", "flushing and shutting down", "stopped"]));
    const db = new Database(databaseFile, { readonly: true });
    try {
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM "MetricSample"`).get() as { n: number }).n;
      expect(total, "the stop event's persisted vs rows on disk (a repeated tick ignored by ON CONFLICT DO NOTHING is still counted; see C2)").toBe(persistedThisRun);
      // Every tick the simulator produced is whole on disk: each stored second has every city and
      // district series, and the whole city besides (a few offline lots, institutions and nodes
      // report nothing, so the full-city count varies a little from tick to tick).
      const perTick = db
        .prepare(`SELECT COUNT(*) AS n, SUM("entityId" IN (${summaryIds.map(() => "?").join(",")})) AS summary FROM "MetricSample" GROUP BY "ts"`)
        .all(...summaryIds) as { n: number; summary: number }[];
      expect(perTick.length).toBeGreaterThanOrEqual(4);
      expect(new Set(perTick.map((r) => r.summary))).toEqual(new Set([summarySeries.size]));
      for (const { n } of perTick) {
        expect(n).toBeGreaterThan(3_000);
        expect(n).toBeLessThanOrEqual(fullCitySeries.size);
      }
      const lookup = db.prepare(`SELECT "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" = ?`);
      expect(seen.filter((s) => (lookup.get(s.metricId, s.entityId, s.ts) as { value: number } | undefined)?.value !== s.value)).toEqual([]);
      // The last tick before the signal was still pending (900 ms flush) and must be on disk.
      const newestSeen = Math.max(...seen.map((s) => s.ts));
      const newestStored = (db.prepare(`SELECT MAX("ts") AS t FROM "MetricSample"`).get() as { t: number }).t;
      expect(newestStored).toBeGreaterThan(newestSeen);
    } finally {
      db.close();
    }
  });
});

interface ProductProcess {
  pid: number;
  ppid: number;
  command: string;
}

/** The live (not zombie) processes whose environment carries `marker`: everything `npm start` started, orphans included. */
function productProcesses(marker: string): ProductProcess[] {
  const found: ProductProcess[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, "utf8").split("\0").includes(marker)) continue;
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state === "Z") continue;
      found.push({ pid: Number(name), ppid: Number(ppid), command: readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ").trim() });
    } catch (error) {
      if (!gone(error)) throw error;
    }
  }
  return found;
}

/** A process that ended while it was being read, or another user's (never one of ours). */
const gone = (error: unknown) => ["ENOENT", "ESRCH", "EACCES", "EPERM"].includes((error as NodeJS.ErrnoException).code ?? "");

/** Pids among `processes` with a socket listening on `port` (IPv4 or IPv6). */
function listeners(port: number, processes: readonly ProductProcess[]): number[] {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDRESS:PORT in hex; state 0A is LISTEN.
      if (fields[3] === "0A" && Number.parseInt(fields[1]?.split(":")[1] ?? "", 16) === port && fields[9]) inodes.add(fields[9]);
    }
  }
  return processes
    .filter(({ pid }) => {
      try {
        return readdirSync(`/proc/${pid}/fd`).some((fd) => inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? ""));
      } catch (error) {
        if (gone(error)) return false;
        throw error;
      }
    })
    .map(({ pid }) => pid);
}

/** Whether `url` answers 200 now (a refused or timed-out request is a no). */
const answers = (url: string): Promise<boolean> =>
  fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    (res) => res.ok,
    () => false,
  );

describe("npm start (scripts/start.ts) supervising the two servers", () => {
  const temp = tempDir();
  // In the environment of every process the product starts, and only theirs.
  const run = randomBytes(6).toString("hex");
  const marker = `ONESCREEN_PROCESS_TEST=${run}`;
  afterAll(() => {
    // Whatever a failed run left behind.
    for (const { pid } of productProcesses(marker)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch (error) {
        if (!gone(error)) throw error;
      }
    }
    temp.cleanup();
  });

  // Uses the web app's build when it is current; otherwise start.ts builds it first, as for a user (a minute or two).
  it("P3 SIGKILL of any server process leaves no orphan and the product healthy again; SIGKILL of start.ts leaves nothing", { timeout: 300_000 }, async () => {
    const [webPort, realtimePort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ONESCREEN_PROCESS_TEST: run,
      PORT: String(webPort),
      REALTIME_PORT: String(realtimePort),
      REALTIME_HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(temp.dir, "p3.db")}`,
      SIM_ENABLED: "true",
      ADMIN_TOKEN: "process-test-admin-token-0123456789",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    delete env.REALTIME_INTERNAL_URL;
    delete env.REALTIME_PUBLIC_URL;
    // As `npm start` runs it (package.json), plus what start.ts gives its own children: should
    // this test's worker die, start.ts stops the product rather than outlive it.
    const start = spawn(process.execPath, ["--require", "./scripts/supervised.cjs", "--import", "tsx", "scripts/start.ts"], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let output = "";
    start.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    start.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const product = { name: "npm start", child: start, output: () => output };
    const webUrl = `http://127.0.0.1:${webPort}/`;
    await waitForUrl(healthzUrl(realtimePort), product, 240_000);
    await waitForUrl(webUrl, product, 60_000);

    /** No orphan (every process of the product descends from start.ts), one of them listens on each port, and both servers answer. */
    const healthy = async (): Promise<ProductProcess[] | undefined> => {
      const processes = productProcesses(marker);
      const pids = new Set(processes.map((p) => p.pid));
      if (processes.some((p) => p.pid !== start.pid && !pids.has(p.ppid))) return undefined;
      if ([realtimePort, webPort].some((port) => listeners(port, processes).length !== 1)) return undefined;
      return (await answers(healthzUrl(realtimePort))) && (await answers(webUrl)) ? processes : undefined;
    };
    const until = async (what: string, check: () => Promise<ProductProcess[] | undefined>, timeoutMs: number): Promise<ProductProcess[]> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const result = await check();
        if (result) return result;
        if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs / 1000} s; processes: ${JSON.stringify(productProcesses(marker), null, 1)}\n${output.slice(-3_000)}`);
        await sleep(250);
      }
    };

    const initial = await until("a healthy product", healthy, 10_000);
    // Every process but start.ts and esbuild's transform services (tsx's, started and stopped as needed): the servers and any wrapper around them.
    const roles = initial.filter((p) => p.pid !== start.pid && !p.command.includes("esbuild")).map((p) => p.command);
    expect(roles.length).toBeGreaterThanOrEqual(2);
    for (const role of roles) {
      const victim = productProcesses(marker).find((p) => p.command === role)!;
      process.kill(victim.pid, "SIGKILL");
      await until(
        `the product healthy again after SIGKILL of ${role}`,
        async () => {
          const processes = await healthy();
          const back = processes && !processes.some((p) => p.pid === victim.pid) && roles.every((r) => processes.filter((p) => p.command === r).length === 1);
          return back ? processes : undefined;
        },
        30_000,
      );
    }

    start.kill("SIGKILL");
    await until("every process of the product gone after SIGKILL of start.ts", async () => (productProcesses(marker).length === 0 ? [] : undefined), 15_000);
    expect([await answers(healthzUrl(realtimePort)), await answers(webUrl)]).toEqual([false, false]);
  });
});
