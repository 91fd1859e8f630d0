/**
 * The side server's history jobs on a real, migrated database of each provider (a SQLite
 * file, a PostgreSQL database): rollups of complete minutes and hours as data moves past
 * them, flush at shutdown, chunked retention relative to the source clock (whole days
 * dropped on PostgreSQL), and failures that are logged rather than thrown.
 */
import Sqlite from "better-sqlite3";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricId } from "@/lib/catalog";
import type { DatabaseTarget, Provider } from "@/lib/config";
import { openDatabase, type Database as Db } from "@/lib/db/client";
import { dialectOf } from "@/lib/db/dialect";
import { deleteExpired } from "@/lib/db/history";
import { withPgClient } from "@/lib/db/postgres-admin";
import { insertSamples, type SampleRow } from "@/lib/db/samples";
import { PROVIDERS, openTestDatabase, unavailable } from "@/lib/db/test-databases";
import type { Retention } from "@/lib/history/plan";
import { silentLogger } from "@/lib/log";
import { memoryLog, type LogEvent } from "./log-lines";
import { createHistoryJobs, type HistoryJobs } from "../history-jobs";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 10, 25, 0, 0, 0);
const LONG: Retention = { rawMs: 48 * HOUR, minuteMs: 90 * DAY, hourMs: 730 * DAY };

interface Series {
  metricId: MetricId;
  entityId: string;
}
const CITY: Series = { metricId: "traffic.congestionIndex", entityId: "shenzhen" };
const ROAD: Series = { metricId: "traffic.congestionIndex", entityId: "road-shennan" };
const LOT: Series = { metricId: "parking.occupancy", entityId: "lot-futian-001" };
const SERIES = [CITY, ROAD, LOT];

/** One sample per series every `step` ms in [from, to), with a deterministic value. */
function samples(from: number, to: number, series: readonly Series[] = [CITY, ROAD], step = SECOND): SampleRow[] {
  const rows: SampleRow[] = [];
  for (let ts = from; ts < to; ts += step) {
    for (const [i, s] of series.entries()) rows.push({ ...s, ts, value: 1 + i + ((ts / SECOND) % 7) / 10, source: "test", drillId: null });
  }
  return rows;
}

async function insertAll(db: Db, rows: readonly SampleRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) await insertSamples(db, rows.slice(i, i + 10_000));
}

interface Harness {
  db: Db;
  target: DatabaseTarget;
  jobs: HistoryJobs;
  logs: LogEvent[];
  clock: { now: number };
  /** Disconnects and drops the database. */
  close(): Promise<void>;
}

/** A fresh migrated database of `provider` with history jobs over it; the source clock is `clock.now`. */
async function harness(provider: Provider, name: string, retention: Retention): Promise<Harness> {
  const { db, target, close } = await openTestDatabase(provider, name);
  const { log, events: logs } = memoryLog();
  const clock = { now: START };
  const jobs = createHistoryJobs({ db, retention, simNow: () => clock.now, log });
  return { db, target, jobs, logs, clock, close };
}

/** As the pipeline does: persist a batch, then touch the jobs with it. */
async function feed(h: Harness, rows: readonly SampleRow[]): Promise<void> {
  await insertAll(h.db, rows);
  h.jobs.touch(rows);
}

/** Rows of `table`, all or those whose time `column` is before (<) or at or after (>=) `at`. */
async function count(db: Db, table: string, where?: { column: string; op: "<" | ">="; at: number }): Promise<number> {
  const d = dialectOf(db);
  const sql = where ? d.sql(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${where.column}" ${where.op} ${d.time("?")}`) : `SELECT COUNT(*) AS n FROM "${table}"`;
  const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(sql, ...(where ? [where.at] : []));
  return Number(rows[0]?.n);
}
const before = (column: string, at: number) => ({ column, op: "<" as const, at });
const atOrAfter = (column: string, at: number) => ({ column, op: ">=" as const, at });

/** Bucket starts (minutes after START) of one series' rollups in `table`. */
async function rolled(db: Db, table: "Rollup1m" | "Rollup1h", entityId = "shenzhen"): Promise<{ at: number; count: number }[]> {
  const d = dialectOf(db);
  const rows = await db.$queryRawUnsafe<{ b: number | bigint; count: number | bigint }[]>(
    d.sql(`SELECT ${d.ms('"bucketTs"')} AS b,"count" FROM "${table}" WHERE "entityId" = ? ORDER BY "bucketTs"`),
    entityId,
  );
  return rows.map((r) => ({ at: (Number(r.b) - START) / MINUTE, count: Number(r.count) }));
}

/** Every rollup row equals the aggregate of its raw rows (the SQL is a second, independent way to compute it). */
async function expectRollupsMatchRaw(db: Db, table: "Rollup1m" | "Rollup1h", width: number): Promise<void> {
  const d = dialectOf(db);
  const mismatches = await db.$queryRawUnsafe<unknown[]>(
    `SELECT r."bucketTs", r."count", raw.n FROM "${table}" r
     LEFT JOIN (SELECT "metricId","entityId",(${d.ms('"ts"')} / ${width}) * ${width} AS b, COUNT(*) AS n, MIN("value") AS lo, MAX("value") AS hi, SUM("value") AS s
                FROM "MetricSample" GROUP BY 1, 2, 3) raw
       ON raw."metricId" = r."metricId" AND raw."entityId" = r."entityId" AND raw.b = ${d.ms('r."bucketTs"')}
     WHERE raw.n IS NULL OR raw.n != r."count" OR raw.lo != r."min" OR raw.hi != r."max" OR ABS(raw.s - r."sum") > 1e-6`,
  );
  expect(mismatches).toEqual([]);
}

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`history jobs on ${provider}`, () => historyJobsContract(provider));

function historyJobsContract(provider: Provider): void {
describe("history jobs: rollups", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness(provider, "rollups", LONG);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("J1 rollUp() rolls only complete minutes: the minute still receiving data waits until data moves past it", async () => {
    await feed(h, samples(START, START + 200 * SECOND)); // 00:00:00 – 00:03:19
    await h.jobs.rollUp();
    expect(await rolled(h.db, "Rollup1m")).toEqual([0, 1, 2].map((at) => ({ at, count: 60 })));
    expect(await rolled(h.db, "Rollup1m", "road-shennan")).toEqual([0, 1, 2].map((at) => ({ at, count: 60 })));

    await feed(h, samples(START + 200 * SECOND, START + 240 * SECOND)); // up to 00:03:59: minute 3 full, but nothing after it yet
    await h.jobs.rollUp();
    expect((await rolled(h.db, "Rollup1m")).map((r) => r.at)).toEqual([0, 1, 2]);

    await feed(h, samples(START + 240 * SECOND, START + 251 * SECOND)); // 00:04:00 – 00:04:10
    await h.jobs.rollUp();
    expect(await rolled(h.db, "Rollup1m")).toEqual([0, 1, 2, 3].map((at) => ({ at, count: 60 })));
    expect(await count(h.db, "Rollup1h")).toBe(0); // the hour is far from complete
    await expectRollupsMatchRaw(h.db, "Rollup1m", MINUTE);
  });

  it("J2 a late sample for an already rolled minute is rolled in by the next rollUp()", async () => {
    await feed(h, [{ ...CITY, ts: START + MINUTE + 500, value: 9.5, source: "test", drillId: null }]);
    await h.jobs.rollUp();
    expect((await rolled(h.db, "Rollup1m"))[1]).toEqual({ at: 1, count: 61 });
    await expectRollupsMatchRaw(h.db, "Rollup1m", MINUTE);
  });

  it("J3 an hour is rolled from its minutes once data reaches the next hour, and not before", async () => {
    await feed(h, samples(START + 251 * SECOND, START + HOUR));
    await h.jobs.rollUp();
    expect(await count(h.db, "Rollup1h")).toBe(0);
    expect((await rolled(h.db, "Rollup1m")).length).toBe(59); // minute 59 is still the newest

    await feed(h, samples(START + HOUR, START + HOUR + SECOND)); // the first sample of 01:00
    await h.jobs.rollUp();
    expect((await rolled(h.db, "Rollup1m")).map((r) => r.at)).toEqual(Array.from({ length: 60 }, (_, m) => m));
    expect(await rolled(h.db, "Rollup1h")).toEqual([{ at: 0, count: 3_600 + 1 }]); // with J2's late sample
    await expectRollupsMatchRaw(h.db, "Rollup1h", HOUR);
  });

  it("J4 flush() rolls everything pending, complete or not", async () => {
    await h.jobs.flush();
    expect((await rolled(h.db, "Rollup1m")).at(-1)).toEqual({ at: 60, count: 1 });
    expect(await rolled(h.db, "Rollup1h")).toEqual([
      { at: 0, count: 3_601 },
      { at: 60, count: 1 },
    ]);
    await expectRollupsMatchRaw(h.db, "Rollup1m", MINUTE);
    await expectRollupsMatchRaw(h.db, "Rollup1h", HOUR);
    // Every minute and hour that received data has its rollup, for both series.
    expect(await count(h.db, "Rollup1m")).toBe(2 * 61);
    expect(await count(h.db, "Rollup1h")).toBe(2 * 2);
    expect(h.logs).toEqual([]);
  });
});

describe("history jobs: after a crash", () => {
  it("J10 catchUp() at start rolls what a killed process persisted but never rolled up: minutes, and the hour they complete", async () => {
    const before = await harness(provider, "crash", LONG);
    // The first process rolls 00:00–00:58, then persists up to 01:00:30 and is killed before rolling again.
    await feed(before, samples(START, START + 59 * MINUTE));
    await before.jobs.rollUp();
    await insertAll(before.db, samples(START + 59 * MINUTE, START + HOUR + 30 * SECOND));
    expect(await rolled(before.db, "Rollup1m")).toHaveLength(58);
    await before.db.$disconnect();

    // The restarted process knows nothing of that in memory.
    const db = await openDatabase(before.target);
    const after = createHistoryJobs({ db, retention: LONG, simNow: () => START + HOUR + 30 * SECOND, log: silentLogger() });
    await after.catchUp();
    await after.rollUp();
    expect((await rolled(db, "Rollup1m")).map((r) => r.at)).toEqual(Array.from({ length: 60 }, (_, m) => m));
    expect(await rolled(db, "Rollup1h")).toEqual([{ at: 0, count: 3_600 }]);
    await expectRollupsMatchRaw(db, "Rollup1m", MINUTE);
    await expectRollupsMatchRaw(db, "Rollup1h", HOUR);
    await db.$disconnect();
    await before.close();
  });
});

describe("history jobs: retention", () => {
  it("J5 expire() deletes exactly the rows older than simNow − retention, over several 5,000-row chunks, and keeps the rest", async () => {
    const h = await harness(provider, "retention", { rawMs: 10 * MINUTE, minuteMs: HOUR, hourMs: 90 * MINUTE });
    try {
      // Two hours of three series at 1 Hz: 21,600 rows, of which 19,800 are older than 10 minutes.
      const rows = samples(START, START + 2 * HOUR, SERIES);
      await feed(h, rows);
      await h.jobs.flush();
      h.clock.now = START + 2 * HOUR;
      const cutoffs = { raw: h.clock.now - 10 * MINUTE, minute: h.clock.now - HOUR, hour: h.clock.now - 90 * MINUTE };
      const was = {
        rawOld: await count(h.db, "MetricSample", before("ts", cutoffs.raw)),
        rawKept: await count(h.db, "MetricSample", atOrAfter("ts", cutoffs.raw)),
        minuteKept: await count(h.db, "Rollup1m", atOrAfter("bucketTs", cutoffs.minute)),
      };
      expect(was).toEqual({ rawOld: 3 * 110 * 60, rawKept: 3 * 10 * 60, minuteKept: 3 * 60 });

      await h.jobs.expire();
      expect(h.logs).toEqual([]);
      // 19,800 rows went at no more than 5,000 per statement: the chunk loop ran four times.
      expect(await count(h.db, "MetricSample")).toBe(was.rawKept);
      expect(await count(h.db, "MetricSample", before("ts", cutoffs.raw))).toBe(0);
      // The oldest kept sample is the one exactly at the cutoff.
      const oldest = await h.db.metricSample.findFirstOrThrow({ orderBy: { ts: "asc" } });
      expect(oldest.ts.getTime()).toBe(cutoffs.raw);
      // Rollups go by their own retention: minutes older than an hour, hours older than 90 minutes.
      expect(await count(h.db, "Rollup1m")).toBe(was.minuteKept);
      expect(await count(h.db, "Rollup1m", before("bucketTs", cutoffs.minute))).toBe(0);
      expect((await rolled(h.db, "Rollup1h")).map((r) => r.at)).toEqual([60]); // 00:00 < 00:30 went, 01:00 stays

      // Retention follows the source clock: nothing more goes until it moves on.
      await h.jobs.expire();
      expect(await count(h.db, "MetricSample")).toBe(was.rawKept);
      h.clock.now += 5 * MINUTE;
      await h.jobs.expire();
      expect(await count(h.db, "MetricSample")).toBe(3 * 5 * 60);
    } finally {
      await h.close();
    }
  });

  it("J6 expire() of ~50,000 rows does not block the event loop for long (measured; the figure is printed)", async () => {
    const h = await harness(provider, "blocking", LONG);
    try {
      // Five series (three in SERIES plus two roads), 10,000 s each: 50,000 expired rows, plus an hour that stays.
      const series: Series[] = [...SERIES, { ...ROAD, entityId: "road-beihuan" }, { ...ROAD, entityId: "road-binhai" }];
      const expired = samples(START, START + 10_000 * SECOND, series);
      await insertAll(h.db, expired);
      await insertAll(h.db, samples(START + 50 * HOUR, START + 51 * HOUR, series.slice(0, 1)));
      h.clock.now = START + 51 * HOUR; // raw retention 48 h: everything before 03:00 on day 1 is out

      const loop = monitorEventLoopDelay({ resolution: 1 });
      let maxGap = 0;
      let last = performance.now();
      const probe = setInterval(() => {
        const t = performance.now();
        maxGap = Math.max(maxGap, t - last);
        last = t;
      }, 1);
      loop.enable();
      const began = performance.now();
      await h.jobs.expire();
      const took = performance.now() - began;
      loop.disable();
      clearInterval(probe);
      const maxBlockMs = loop.max / 1e6;

      expect(await count(h.db, "MetricSample")).toBe(3_600);
      // For comparison, the same rows in one unchunked DELETE.
      await insertAll(h.db, expired);
      const unchunkedBegan = performance.now();
      expect(await deleteExpired(h.db, "raw", START + 3 * HOUR, 1_000_000)).toBe(expired.length);
      const unchunkedMs = performance.now() - unchunkedBegan;

      console.log(
        `J6 (${provider}) expire() of ${expired.length} raw rows: ${took.toFixed(0)} ms in all; longest event-loop block ${maxBlockMs.toFixed(1)} ms ` +
          `(monitorEventLoopDelay max), ${maxGap.toFixed(1)} ms (1 ms setInterval drift probe); one unchunked DELETE of the same rows: ${unchunkedMs.toFixed(0)} ms`,
      );
      expect(maxBlockMs).toBeLessThan(200);
      expect(maxGap).toBeLessThan(200);
    } finally {
      await h.close();
    }
  });

  it.skipIf(provider !== "postgresql")("J11 expire() drops the days of raw samples wholly past retention as partitions, says so, and deletes the rest of the cut day row by row", async () => {
    const h = await harness(provider, "days", { rawMs: 24 * HOUR, minuteMs: 90 * DAY, hourMs: 730 * DAY });
    try {
      // Three days of one series at one sample a minute: 2026-11-25, -26 and -27.
      await insertAll(h.db, samples(START, START + 3 * DAY, [CITY], MINUTE));
      h.clock.now = START + 2 * DAY + 12 * HOUR; // cutoff: 2026-11-26 12:00, so the 25th goes whole and half the 26th row by row
      await h.jobs.expire();
      expect(h.logs).toEqual([expect.objectContaining({ msg: "retention: dropped whole days of raw samples", partitions: ["MetricSample_p20261125"] })]);
      expect(await count(h.db, "MetricSample", before("ts", h.clock.now - DAY))).toBe(0);
      expect(await count(h.db, "MetricSample")).toBe(36 * 60);
      const partitions = await h.db.$queryRawUnsafe<{ name: string }[]>(`SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"MetricSample"'::regclass ORDER BY 1`);
      expect(partitions.map((p) => p.name)).toEqual(["MetricSample_p20261126", "MetricSample_p20261127"]);
    } finally {
      await h.close();
    }
  });
});

describe("history jobs: failures", () => {
  let h: Harness;

  /** Renames a table from a second connection, as a fault the jobs cannot foresee. */
  async function renameTable(from: string, to: string): Promise<void> {
    const sql = `ALTER TABLE "${from}" RENAME TO "${to}"`;
    if (h.target.provider === "postgresql") {
      await withPgClient(h.target.url, (client) => client.query(sql));
      return;
    }
    const raw = new Sqlite(h.target.file);
    try {
      raw.exec(sql);
    } finally {
      raw.close();
    }
  }
  /** How each database says a table is missing. */
  const missing = (table: string) => (provider === "sqlite" ? `no such table: (main\\.)?${table}` : `relation "${table}" does not exist`);

  beforeAll(async () => {
    h = await harness(provider, "failures", LONG);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("J7 a failing rollUp() is logged, not thrown, and the next run rolls new minutes", async () => {
    await renameTable("Rollup1m", "Rollup1m_away");
    try {
      await feed(h, samples(START, START + 130 * SECOND)); // minutes 0 and 1 complete
      await expect(h.jobs.rollUp()).resolves.toBeUndefined();
    } finally {
      await renameTable("Rollup1m_away", "Rollup1m");
    }
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toMatchObject({ msg: "history job failed", job: "rollup", error: expect.stringMatching(new RegExp(missing("Rollup1m"))) });

    await feed(h, samples(START + 130 * SECOND, START + 190 * SECOND)); // minute 2 complete
    await h.jobs.rollUp();
    expect(h.logs).toHaveLength(1);
    expect(await rolled(h.db, "Rollup1m")).toContainEqual({ at: 2, count: 60 });
  });

  it("J8 the minutes whose rollup failed are rolled by a later run, and their hour counts them (nothing is lost to a transient failure)", async () => {
    // J7's first run failed for minutes 0 and 1; later runs must still produce them.
    await h.jobs.rollUp();
    await h.jobs.flush();
    expect({ minutes: (await rolled(h.db, "Rollup1m")).map((r) => r.at), hour: await rolled(h.db, "Rollup1h") }).toEqual({
      minutes: [0, 1, 2, 3],
      hour: [{ at: 0, count: 190 }], // 00:00:00 – 00:03:09
    });
  });

  it("J9 a failing expire() is logged, not thrown, and the next run deletes what is due", async () => {
    h.clock.now = START + 49 * HOUR; // 48 h raw retention: every sample of J7 is now out
    await renameTable("MetricSample", "MetricSample_away");
    try {
      await expect(h.jobs.expire()).resolves.toBeUndefined();
    } finally {
      await renameTable("MetricSample_away", "MetricSample");
    }
    expect(h.logs.at(-1)).toMatchObject({ msg: "history job failed", job: "retention", error: expect.stringMatching(new RegExp(missing("MetricSample"))) });
    const logged = h.logs.length;
    expect(await count(h.db, "MetricSample")).toBe(2 * 190);
    await h.jobs.expire();
    expect(h.logs).toHaveLength(logged);
    expect(await count(h.db, "MetricSample")).toBe(0);
  });
});
}
