/**
 * Faults of the disk under a running side server (SQLite, the default): the database file
 * made immutable for a while (`chattr +i`, as a read-only or failing disk does), and another
 * process holding the database in `BEGIN EXCLUSIVE` past the busy timeout. Writes are
 * retried until they succeed, nothing acknowledged is lost, the simulator's samples queue
 * instead of being dropped, and /healthz says degraded (why, since when) during the fault
 * and ok after it, with no restart.
 */
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_ID } from "@/lib/catalog";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import type { SideServer } from "../app";
import { api, bootSideServer, readDb, sleep, tempDir, waitForAsync } from "./helpers";

const temp = tempDir();

/** chattr needs root and a file system that keeps the flag (ext4 does); elsewhere these tests say so and skip. */
function chattrWorks(): boolean {
  const probe = join(temp.dir, "chattr-probe");
  writeFileSync(probe, "");
  try {
    execFileSync("chattr", ["+i", probe], { stdio: "ignore" });
    execFileSync("chattr", ["-i", probe], { stdio: "ignore" });
    return true;
  } catch {
    console.log("write-faults: chattr +i is not available here (needs root on ext4): the immutable-file test is skipped");
    return false;
  }
}
const canChattr = chattrWorks();
const chattr = (flag: "+i" | "-i", file: string) => execFileSync("chattr", [flag, file]);

describe("the disk failing under a running side server", () => {
  let server: SideServer;
  let token: string;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { INGEST_RATE_PER_SECOND: "100", INGEST_BURST: "100" });
    token = await createIngestToken(server.db, "faults");
  });

  afterAll(async () => {
    if (canChattr) chattr("-i", server.databaseFile);
    await server?.close();
    temp.cleanup();
  });

  const health = async () => {
    const res = await api(server.port, "GET", "/healthz");
    return { status: res.status, problems: JSON.stringify(res.body.problems) };
  };
  /** The simulated city's congestion index as stored: one sample per tick, so a gap is a lost tick. */
  const cityTicks = () =>
    readDb(server.databaseFile, (db) => (db.prepare(`SELECT "ts" FROM "MetricSample" WHERE "metricId" = 'traffic.congestionIndex' AND "entityId" = ? ORDER BY "ts"`).all(CITY_ID) as { ts: number }[]).map((r) => r.ts));
  /** Waits until the city's ticks are stored up to a second past `ts` (the source clock is the wall clock here), and returns the newest. */
  const storedPast = (ts: number) => waitForAsync("the ticks after the fault to be stored", async () => cityTicks().find((t) => t > ts + 1_000), 15_000);
  /** Not one simulated tick was dropped: the city's series runs second by second from `before` to `after`. */
  const expectEveryTick = (before: number, after: number) => {
    const ticks = cityTicks().filter((ts) => ts >= before && ts <= after);
    expect(ticks.map((ts, i) => ts - (ticks[i - 1] ?? ts - 1_000))).toEqual(ticks.map(() => 1_000));
  };

  it.skipIf(!canChattr)("F1 an immutable database file and WAL (a read-only disk): writes are retried, health is degraded with the cause, then everything is stored and health is ok again by itself", async () => {
    await waitForAsync("health ok and the simulator storing", async () => ((await health()).status === 200 && cityTicks().length >= 3 ? true : undefined), 15_000);
    const before = cityTicks().at(-1)!;
    const files = [server.databaseFile, `${server.databaseFile}-wal`];
    for (const file of files) chattr("+i", file);
    let answer: Promise<Awaited<ReturnType<typeof api>>>;
    // Sent during the fault: it is not answered (not acknowledged) before it is on disk.
    const lot = { metricId: "parking.occupancy", entityId: "lot-futian-002", ts: Date.now() - 1_234, value: 63 };
    try {
      answer = api(server.port, "POST", "/ingest", { token, body: { samples: [lot] } });
      const degraded = await waitForAsync("health to say degraded", async () => {
        const h = await health();
        return h.status === 503 && /sample writes failing/.test(h.problems) ? h : undefined;
      }, 15_000);
      expect(degraded.problems).toMatch(/"since":"20\d\d-/);
      let settled = false;
      void answer.then(() => (settled = true));
      await sleep(8_000);
      expect(settled).toBe(false);
    } finally {
      for (const file of files) chattr("-i", file);
    }
    const faultEnd = Date.now();
    const stored = await answer;
    expect(stored).toMatchObject({ status: 200, body: { accepted: 1, inserted: 1, duplicates: 0 } });
    expect(readDb(server.databaseFile, (db) => db.prepare(`SELECT "value" FROM "MetricSample" WHERE "entityId" = ? AND "ts" = ?`).all(lot.entityId, lot.ts))).toEqual([{ value: 63 }]);
    await waitForAsync("health ok again", async () => ((await health()).status === 200 ? true : undefined), 15_000);
    expectEveryTick(before, await storedPast(faultEnd));
  });

  it.skipIf(!canChattr)("F1b an immutable database file with a writable WAL: samples are stored in the WAL, health says the checkpoint fails, then ok again", async () => {
    await waitForAsync("health ok", async () => ((await health()).status === 200 ? true : undefined), 15_000);
    chattr("+i", server.databaseFile);
    try {
      const degraded = await waitForAsync("health to say degraded", async () => {
        const h = await health();
        return h.status === 503 ? h : undefined;
      }, 15_000);
      expect(degraded.problems).toMatch(/WAL checkpoint failing \(SQLITE_IOERR/);
      const lot = { metricId: "parking.occupancy", entityId: "lot-futian-003", ts: Date.now() - 1_234, value: 64 };
      expect(await api(server.port, "POST", "/ingest", { token, body: { samples: [lot] } })).toMatchObject({ status: 200, body: { inserted: 1 } });
      expect(readDb(server.databaseFile, (db) => db.prepare(`SELECT "value" FROM "MetricSample" WHERE "entityId" = ? AND "ts" = ?`).all(lot.entityId, lot.ts))).toEqual([{ value: 64 }]);
    } finally {
      chattr("-i", server.databaseFile);
    }
    await waitForAsync("health ok again", async () => ((await health()).status === 200 ? true : undefined), 15_000);
  });

  it("F2 another process holds the database in BEGIN EXCLUSIVE for 12 s: the simulator's samples queue, none is dropped, health says why and recovers", async () => {
    await waitForAsync("health ok", async () => ((await health()).status === 200 ? true : undefined), 15_000);
    const before = cityTicks().at(-1)!;
    const blocker = new Database(server.databaseFile);
    blocker.exec("BEGIN EXCLUSIVE");
    try {
      const degraded = await waitForAsync("health to say degraded", async () => {
        const h = await health();
        return h.status === 503 ? h : undefined;
      }, 15_000);
      expect(degraded.problems).toMatch(/samples waiting to be written|SQLITE_BUSY/);
      await sleep(12_000 - 5_000);
    } finally {
      blocker.exec("ROLLBACK");
      blocker.close();
    }
    const faultEnd = Date.now();
    await waitForAsync("health ok again", async () => ((await health()).status === 200 ? true : undefined), 15_000);
    expectEveryTick(before, await storedPast(faultEnd));
  });
});
