/**
 * Crash safety of the side server as a real process: SIGKILL it at randomised moments
 * while the simulator writes the whole city every tick, restart it on the same database,
 * and check that every restart finds an intact database (PRAGMA integrity_check), that
 * nothing acknowledged is lost (every sample a client received in a frame — frames go out
 * only after their batch is on disk — is stored with the same value), that ticks are
 * written whole or not at all, and that once a clean restart has run its rollups the
 * 1-minute rollups of complete minutes agree with the raw samples.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOMAINS, ENTITIES, isSummaryEntity } from "@/lib/catalog";
import { healthz, healthzUrl, waitForUrl, type ChildServer } from "./child-server";
import { type TSample } from "@/lib/realtime/protocol";
import { connect, expectedSeries, hello, readDb, record, sleep, tempDir, waitFor, type TestClient } from "./helpers";

/** Simulated seconds per tick: 4 ticks per simulated minute, so minutes complete within seconds. */
const SPEED = 15;
const TICK_MS = SPEED * 1_000;
const KILLS = 3;
const ADMIN_TOKEN = "crash-test-admin-token-0123456789";
const FIRST_START = Date.parse("2026-11-25T08:00:00+08:00");

interface Run extends ChildServer {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Node itself runs server/main.ts (tsx as a loader, not the tsx CLI, which would run it in a
 * grandchild): the pid we SIGKILL is the process holding the database.
 */
function runSideServer(port: number, databaseFile: string, simStart: number): Run {
  const env = {
    ...process.env,
    REALTIME_HOST: "127.0.0.1",
    REALTIME_PORT: String(port),
    DATABASE_URL: `file:${databaseFile}`,
    ADMIN_TOKEN,
    SIM_ENABLED: "true",
    // Every entity every tick (~3,200 rows a second, one transaction per tick): as heavy as the simulator writes.
    SIM_ENTITY_EVERY: "1",
    SIM_SPEED: String(SPEED),
    SIM_START: new Date(simStart).toISOString(),
    PERSIST_FLUSH_MS: "10",
  };
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { name: "side server", child, output: () => output, exited };
}

/** A free port in the range this suite may use (4600–4699). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 4600 + Math.floor(Math.random() * 100);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port in 4600–4699");
}

const sampleKey = (s: Pick<TSample, "metricId" | "entityId" | "ts">) => `${s.metricId}|${s.entityId}|${s.ts}`;

/** What a crashed database looks like to the next start: the file and its WAL, copied, opened read-write (so WAL recovery runs). */
function crashImageCheck(databaseFile: string, copyTo: string): { integrity: string; rows: number; maxTs: number } {
  copyFileSync(databaseFile, copyTo);
  if (existsSync(`${databaseFile}-wal`)) copyFileSync(`${databaseFile}-wal`, `${copyTo}-wal`);
  const db = new Database(copyTo);
  try {
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
    const { rows, maxTs } = db.prepare(`SELECT COUNT(*) AS rows, COALESCE(MAX("ts"), 0) AS maxTs FROM "MetricSample"`).get() as { rows: number; maxTs: number };
    return { integrity, rows, maxTs };
  } finally {
    db.close();
  }
}

const summarySeries = expectedSeries(DOMAINS, ["city", "district"]);
const summaryIds = ENTITIES.filter((e) => isSummaryEntity(e.id)).map((e) => e.id);
const fullCitySeries = expectedSeries(DOMAINS, ["city", "district", "road", "lot", "hospital", "healthCentre", "accessNode"]);

describe("side server crash safety", () => {
  const temp = tempDir();
  const runs: Run[] = [];
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const run of runs) {
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill("SIGKILL");
        await run.exited;
      }
    }
    temp.cleanup();
  });

  it("C1 SIGKILL during heavy writes, restart ×3: intact database, nothing acknowledged lost, rollups agree with raw", { timeout: 90_000 }, async () => {
    const databaseFile = join(temp.dir, "crash.db");
    const port = await freePort();
    /** Every sample a client was sent (frames and snapshots): value by (metric, entity, ts). */
    const received = new Map<string, TSample>();
    let receivedWithRepeats = 0;
    const remember = (samples: readonly TSample[]) => {
      for (const s of samples) {
        receivedWithRepeats++;
        const key = sampleKey(s);
        const before = received.get(key);
        // The same instant sent twice with two values would itself be a fault.
        expect(before === undefined || before.value === s.value, `two values sent for ${key}`).toBe(true);
        received.set(key, s);
      }
    };
    /** Simulated-time range each run wrote into: [SIM_START, next run's SIM_START). */
    const starts: number[] = [];
    const killLog: string[] = [];

    /** Starts a run, connects a wall-like client at entities level, and records what it is sent. */
    async function startRun(simStart: number) {
      starts.push(simStart);
      const run = runSideServer(port, databaseFile, simStart);
      runs.push(run);
      await waitForUrl(healthzUrl(port), run, 25_000);
      const client = await connect(port);
      clients.push(client);
      const recorder = record(client);
      const reply = await hello(client, DOMAINS, undefined, "entities");
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      if (reply.ok) remember(reply.snapshot.latest);
      return { run, client, recorder };
    }

    let simStart = FIRST_START;
    for (let kill = 1; kill <= KILLS; kill++) {
      const { run, client, recorder } = await startRun(simStart);
      // Writing is under way once a frame arrives; its arrival is the end of a batch write, so
      // whole seconds later the next writes end. Kill 1.9–4 s in, at a random point around
      // the end of a write (up to 150 ms before it: inside the transaction, or just before).
      await waitFor("first frame", () => (recorder.frames.length > 0 ? true : undefined), 10_000);
      const firstFrameAt = Date.now();
      const ticks = 2 + Math.floor(Math.random() * 3);
      const offset = Math.round(-150 + Math.random() * 170);
      await sleep(ticks * 1_000 + offset);
      const pid = run.child.pid;
      expect(pid).toBeDefined();
      process.kill(pid!, "SIGKILL");
      const exit = await run.exited;
      expect(exit.signal).toBe("SIGKILL");
      // The process that was serving is gone: nothing answers on the port any more.
      expect(await healthz(port)).toBeUndefined();
      recorder.stop();
      client.close();
      remember(recorder.frames.flatMap((f) => f.samples));

      const image = crashImageCheck(databaseFile, join(temp.dir, `crash-image-${kill}.db`));
      const newestReceived = Math.max(0, ...recorder.frames.flatMap((f) => f.samples.map((s) => s.ts)));
      killLog.push(
        `kill ${kill}: ${Date.now() - firstFrameAt} ms after first frame (${ticks} ticks ${offset >= 0 ? "+" : ""}${offset} ms), ${recorder.frames.length} frames, ` +
          `${image.rows} rows on disk, newest tick on disk ${image.maxTs > newestReceived ? "committed but never broadcast" : "= newest received"}, integrity ${image.integrity}`,
      );
      expect(image.integrity, `integrity after kill ${kill}`).toBe("ok");
      // The next run carries on the simulated timeline after the newest stored tick.
      simStart = Math.max(simStart, image.maxTs) + TICK_MS;
    }

    // A final, clean run: it must start on the crashed file, write, and have time to roll up.
    const { run, client, recorder } = await startRun(simStart);
    await waitFor("first frame after the last restart", () => (recorder.frames.length > 0 ? true : undefined), 10_000);
    // Rollups run every 5 s for minutes the data has moved past: give the final run two passes at most.
    /** (series, minute) pairs before `horizon` whose 1-minute rollup is absent, or differs from raw in count, min, max or sum (so avg). */
    const rollupDisagreement = (db: Database.Database, horizon: number) =>
      db
        .prepare(
          `SELECT COALESCE(SUM(m."count" IS NULL), 0) AS absent, COALESCE(SUM(m."count" IS NOT NULL), 0) AS wrong FROM (
             SELECT "metricId","entityId",("ts" / 60000) * 60000 AS b, COUNT(*) AS c, MIN("value") AS mn, MAX("value") AS mx, SUM("value") AS sm
             FROM "MetricSample" WHERE "ts" < ? GROUP BY "metricId","entityId",b
           ) r LEFT JOIN "Rollup1m" m ON m."metricId" = r."metricId" AND m."entityId" = r."entityId" AND m."bucketTs" = r.b
           WHERE m."count" IS NULL OR m."count" != r.c OR m."min" != r.mn OR m."max" != r.mx OR ABS(m."sum" - r.sm) > 1e-9 * MAX(1, ABS(r.sm))`,
        )
        .get(horizon) as { absent: number; wrong: number };
    const pollDeadline = Date.now() + 11_000;
    for (;;) {
      const agreed = readDb(databaseFile, (db) => {
        const maxTs = (db.prepare(`SELECT MAX("ts") AS t FROM "MetricSample"`).get() as { t: number }).t;
        const { absent, wrong } = rollupDisagreement(db, Math.floor(maxTs / 60_000) * 60_000);
        return absent + wrong === 0;
      });
      if (agreed || Date.now() > pollDeadline) break;
      await sleep(500);
    }
    // At least one frame after the polling, so the last samples seen are recorded too.
    const framesSoFar = recorder.frames.length;
    await waitFor("a frame after the rollup poll", () => (recorder.frames.length > framesSoFar ? true : undefined), 5_000);
    run.child.kill("SIGTERM");
    const exit = await run.exited;
    recorder.stop();
    client.close();
    remember(recorder.frames.flatMap((f) => f.samples));
    expect(exit.code, run.output()).toBe(0);

    readDb(databaseFile, (db) => {
      const integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
      const rows = (db.prepare(`SELECT COUNT(*) AS n FROM "MetricSample"`).get() as { n: number }).n;

      // Nothing acknowledged is lost: every received sample is stored, with the value that was sent.
      const lookup = db.prepare(`SELECT "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? AND "ts" = ?`);
      const missing: string[] = [];
      const changed: string[] = [];
      for (const s of received.values()) {
        const row = lookup.get(s.metricId, s.entityId, s.ts) as { value: number } | undefined;
        if (!row) missing.push(sampleKey(s));
        else if (row.value !== s.value) changed.push(`${sampleKey(s)}: sent ${s.value}, stored ${row.value}`);
      }

      // Ticks are whole or absent (one transaction per tick), and within each run no tick is missing
      // between its first and last stored one: only the batch in flight at the kill may be lost.
      const perTick = db.prepare(`SELECT "ts" AS ts, COUNT(*) AS n, SUM("entityId" IN (${summaryIds.map(() => "?").join(",")})) AS summary FROM "MetricSample" GROUP BY "ts" ORDER BY "ts"`).all(...summaryIds) as {
        ts: number;
        n: number;
        summary: number;
      }[];
      const brokenTicks = perTick.filter((t) => t.summary !== summarySeries.size || t.n <= 3_000 || t.n > fullCitySeries.size);
      const holes: string[] = [];
      starts.forEach((from, i) => {
        const to = starts[i + 1] ?? Number.POSITIVE_INFINITY;
        const ticks = perTick.map((t) => t.ts).filter((ts) => ts >= from && ts < to);
        for (let j = 1; j < ticks.length; j++) if (ticks[j]! - ticks[j - 1]! !== TICK_MS) holes.push(`run ${i + 1}: ${new Date(ticks[j - 1]!).toISOString()} → ${new Date(ticks[j]!).toISOString()}`);
      });

      // Rollups of complete minutes (the data has moved past them) agree with raw: count, min, max, sum (so avg).
      const maxTs = perTick.at(-1)?.ts ?? 0;
      const horizon = Math.floor(maxTs / 60_000) * 60_000;
      const rawMinutes = db.prepare(`SELECT DISTINCT ("ts" / 60000) * 60000 AS b FROM "MetricSample" WHERE "ts" < ? ORDER BY b`).all(horizon) as { b: number }[];
      const rolledMinutes = new Set((db.prepare(`SELECT DISTINCT "bucketTs" AS b FROM "Rollup1m"`).all() as { b: number }[]).map((r) => r.b));
      const unrolledMinutes = rawMinutes
        .filter((m) => !rolledMinutes.has(m.b))
        .map((m) => `${new Date(m.b).toISOString()} (run ${starts.filter((s) => s <= m.b + 59_999).length})`);
      const disagreeing = rollupDisagreement(db, horizon);
      const rollupRows = (db.prepare(`SELECT COUNT(*) AS n FROM "Rollup1m"`).get() as { n: number }).n;
      // The hour rollup is built from the minutes (informational: the hour is not complete yet).
      const hour = Math.floor(FIRST_START / 3_600_000) * 3_600_000;
      const hourCounts = db
        .prepare(`SELECT (SELECT COUNT(*) FROM "MetricSample" WHERE "ts" >= ? AND "ts" < ?) AS raw, (SELECT COALESCE(SUM("count"), 0) FROM "Rollup1h" WHERE "bucketTs" = ?) AS rolled`)
        .get(hour, hour + 3_600_000, hour) as { raw: number; rolled: number };

      console.log(
        [
          `[crash] ${killLog.join("\n[crash] ")}`,
          `[crash] samples received: ${received.size} distinct (${receivedWithRepeats} with snapshot repeats); rows on disk: ${rows}; ticks on disk: ${perTick.length}; missing: ${missing.length}; changed: ${changed.length}`,
          `[crash] broken ticks: ${brokenTicks.length}; holes within a run: ${holes.length}; integrity: ${integrity}`,
          `[crash] complete minutes in raw: ${rawMinutes.length}; without any 1m rollup: ${unrolledMinutes.length} [${unrolledMinutes.join(", ")}]; (series, minute) rollups absent: ${disagreeing.absent}, differing from raw: ${disagreeing.wrong}; Rollup1m rows: ${rollupRows}`,
          `[crash] hour ${new Date(hour).toISOString()}: ${hourCounts.raw} raw samples, Rollup1h counts ${hourCounts.rolled}`,
        ].join("\n"),
      );

      expect(integrity).toBe("ok");
      expect(received.size).toBeGreaterThan(10_000);
      expect(missing.slice(0, 10), `${missing.length} acknowledged samples missing`).toEqual([]);
      expect(changed.slice(0, 10), `${changed.length} acknowledged samples changed`).toEqual([]);
      expect(rows).toBeGreaterThanOrEqual(received.size);
      expect(brokenTicks).toEqual([]);
      expect(holes).toEqual([]);
      expect(rawMinutes.length).toBeGreaterThan(0);
      expect(unrolledMinutes, "complete minutes with raw samples but no 1-minute rollup").toEqual([]);
      expect(disagreeing, "(series, minute) pairs whose 1-minute rollup is absent or disagrees with raw").toEqual({ absent: 0, wrong: 0 });
    });
    // The kills did not go by unnoticed: every run but the last ended by SIGKILL.
    expect(runs.length).toBe(KILLS + 1);
  });
});
