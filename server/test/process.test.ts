/**
 * The side server as its own process, as `npm start` runs it: bad configuration
 * stops start-up with the variable named, and SIGTERM flushes the pending batch so
 * no sample a client has seen is missing from the database.
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOMAINS } from "@/lib/catalog";
import { Event, type TSample } from "@/lib/realtime/protocol";
import { collectFrames, connect, expectedSeries, hello, tempDir } from "./helpers";

const TSX = join(process.cwd(), "node_modules", ".bin", "tsx");

function runSideServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(TSX, ["server/main.ts"], { env: { ...process.env, REALTIME_HOST: "127.0.0.1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForPort(output: () => string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /listening on http:\/\/[\d.]+:(\d+)/.exec(output());
    if (match?.[1]) return Number(match[1]);
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

    const persistedThisRun = Number(/(\d+) samples persisted this run/.exec(run.output())?.[1]);
    const db = new Database(databaseFile, { readonly: true });
    try {
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM "MetricSample"`).get() as { n: number }).n;
      expect(total, "'samples persisted this run' vs rows on disk (a repeated tick ignored by ON CONFLICT DO NOTHING is still counted; see C2)").toBe(persistedThisRun);
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
