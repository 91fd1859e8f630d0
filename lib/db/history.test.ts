/**
 * History storage on a real database of each provider (a SQLite file, a PostgreSQL
 * database; migrated as at start-up): three hours of 1 Hz samples for two series, rolled
 * up per minute and per hour, then checked against the raw rows themselves. The tests run
 * in order on one database; H4 adds a late sample to series B only and H6 (retention)
 * deletes rows, so it comes last.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricId } from "../catalog";
import { RESOLUTION_MS, planQuery, type QueryPlan } from "../history/plan";
import type { Database } from "./client";
import { dialectOf } from "./dialect";
import { deleteExpired, dropExpiredPartitions, exportPage, exportRowCount, queryHistory, queryReplay, rollUpHours, rollUpMinutes, type HistoryPoint } from "./history";
import { insertSamples, type SampleRow } from "./samples";
import { PROVIDERS, openTestDatabase, unavailable } from "./test-databases";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 10, 25, 0, 0, 0);
const END = START + 3 * HOUR;
const RETENTION = { rawMs: 48 * HOUR, minuteMs: 90 * DAY, hourMs: 730 * DAY };

/** Series A: the city's congestion, with a one-sample spike, a one-sample dip and ten minutes without data. */
const A = { metricId: "traffic.congestionIndex" as MetricId, entityId: "shenzhen" };
const SPIKE = { ts: START + 37 * MINUTE + 13 * SECOND, value: 9.87 };
const DIP = { ts: START + 141 * MINUTE + 5 * SECOND, value: 0.05 };
const GAP = { from: START + 100 * MINUTE, to: START + 110 * MINUTE };
/** Series B: a car park's occupancy, every second with no gap. */
const B = { metricId: "parking.occupancy" as MetricId, entityId: "lot-futian-001" };

function seriesA(): SampleRow[] {
  const rows: SampleRow[] = [];
  for (let ts = START, k = 0; ts < END; ts += SECOND, k++) {
    if (ts >= GAP.from && ts < GAP.to) continue;
    const value = ts === SPIKE.ts ? SPIKE.value : ts === DIP.ts ? DIP.value : 3 + 1.5 * Math.sin(k / 97) + ((k * 7_919) % 13) / 100;
    rows.push({ ...A, ts, value, source: "test", drillId: null });
  }
  return rows;
}

function seriesB(): SampleRow[] {
  const rows: SampleRow[] = [];
  for (let ts = START, k = 0; ts < END; ts += SECOND, k++) {
    rows.push({ ...B, ts, value: 40 + 20 * Math.cos(k / 311) + (k % 17) * 0.37, source: "test", drillId: null });
  }
  return rows;
}

interface Agg {
  min: number;
  max: number;
  sum: number;
  count: number;
}
interface RawRow {
  metricId: string;
  entityId: string;
  ts: number;
  value: number;
}
interface RollupRow extends Agg {
  metricId: string;
  entityId: string;
  bucketTs: number;
}

function aggregate(values: readonly number[]): Agg {
  return { min: Math.min(...values), max: Math.max(...values), sum: values.reduce((a, b) => a + b, 0), count: values.length };
}

/** The raw rows as stored, grouped by series and bucket of `width`. */
function groupRaw(rows: readonly RawRow[], width: number): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.metricId}|${r.entityId}|${Math.floor(r.ts / width) * width}`;
    let values = groups.get(key);
    if (!values) groups.set(key, (values = []));
    values.push(r.value);
  }
  return groups;
}

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`history storage on ${provider}`, () => historyContract(provider));

/** Which raw rows to read: one series, and/or a time range [from, to). */
interface RawFilter {
  series?: { metricId: string; entityId: string };
  from?: number;
  to?: number;
}

function historyContract(provider: (typeof PROVIDERS)[number]): void {
  let db: Database;
  let close: () => Promise<void>;
  const minuteStarts = Array.from({ length: 180 }, (_, m) => START + m * MINUTE);
  const hourStarts = [START, START + HOUR, START + 2 * HOUR];

  const rawRows = async (filter: RawFilter = {}): Promise<RawRow[]> => {
    const d = dialectOf(db);
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (condition: string, ...values: (string | number)[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (filter.series) add(`"metricId" = ? AND "entityId" = ?`, filter.series.metricId, filter.series.entityId);
    if (filter.from !== undefined) add(`"ts" >= ${d.time("?")}`, filter.from);
    if (filter.to !== undefined) add(`"ts" < ${d.time("?")}`, filter.to);
    const sql = `SELECT "metricId","entityId",${d.ms('"ts"')} AS ts,"value" FROM "MetricSample" ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY "metricId","entityId","ts"`;
    return (await db.$queryRawUnsafe<{ metricId: string; entityId: string; ts: number | bigint; value: number }[]>(d.sql(sql), ...params)).map((r) => ({ ...r, ts: Number(r.ts) }));
  };
  const rollups = async (table: "Rollup1m" | "Rollup1h"): Promise<RollupRow[]> =>
    (
      await db.$queryRawUnsafe<{ metricId: string; entityId: string; bucketTs: number | bigint; min: number; max: number; sum: number; count: number | bigint }[]>(
        `SELECT "metricId","entityId",${dialectOf(db).ms('"bucketTs"')} AS "bucketTs","min","max","sum","count" FROM "${table}" ORDER BY "metricId","entityId","bucketTs"`,
      )
    ).map((r) => ({ ...r, bucketTs: Number(r.bucketTs), count: Number(r.count) }));
  /** Rows of `table` whose `column` is before (<) or at or after (>=) `at`. */
  const count = async (table: string, column: string, op: "<" | ">=", at: number): Promise<number> => {
    const d = dialectOf(db);
    return Number((await db.$queryRawUnsafe<{ n: number | bigint }[]>(d.sql(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" ${op} ${d.time("?")}`), at))[0]?.n);
  };
  const ofA = (from: number, to: number): RawFilter => ({ series: A, from, to });

  /** Every rollup row matches the aggregate of the raw rows of its bucket, and every non-empty bucket has one. */
  async function expectRollupsMatchRaw(table: "Rollup1m" | "Rollup1h", width: number): Promise<number> {
    const expected = groupRaw(await rawRows(), width);
    const actual = await rollups(table);
    expect(actual.map((r) => `${r.metricId}|${r.entityId}|${r.bucketTs}`).sort()).toEqual([...expected.keys()].sort());
    for (const r of actual) {
      const want = aggregate(expected.get(`${r.metricId}|${r.entityId}|${r.bucketTs}`) ?? []);
      expect({ at: r.bucketTs, min: r.min, max: r.max, count: r.count }).toEqual({ at: r.bucketTs, min: want.min, max: want.max, count: want.count });
      expect(Math.abs(r.sum - want.sum)).toBeLessThanOrEqual(1e-9 * Math.abs(want.sum));
    }
    return actual.length;
  }

  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(provider, "history"));
    const rows = [...seriesA(), ...seriesB()];
    for (let i = 0; i < rows.length; i += 5_000) await insertSamples(db, rows.slice(i, i + 5_000));
    await rollUpMinutes(db, minuteStarts);
    await rollUpHours(db, hourStarts);
  });

  afterAll(async () => {
    await close?.();
  });

  it("H0 the written series are stored as written", async () => {
    const stored = await rawRows();
    const written = [...seriesA(), ...seriesB()].map(({ metricId, entityId, ts, value }) => ({ metricId, entityId, ts, value }));
    expect(stored).toEqual(written.sort((x, y) => x.metricId.localeCompare(y.metricId) || x.entityId.localeCompare(y.entityId) || x.ts - y.ts));
  });

  it("H1 every 1-minute rollup equals min, max, sum and count of the raw rows of its minute (all minutes, both series)", async () => {
    // 180 minutes of B, 170 of A: the ten empty minutes of A's gap have no rollup at all.
    expect(await expectRollupsMatchRaw("Rollup1m", MINUTE)).toBe(180 + 170);
    const spikeMinute = await db.rollup1m.findUniqueOrThrow({ where: { metricId_entityId_bucketTs: { ...A, bucketTs: new Date(SPIKE.ts - (SPIKE.ts % MINUTE)) } } });
    expect(spikeMinute.max).toBe(SPIKE.value);
  });

  it("H2 every 1-hour rollup equals the aggregate of the raw rows of its hour", async () => {
    expect(await expectRollupsMatchRaw("Rollup1h", HOUR)).toBe(2 * 3);
  });

  it("H3 re-running the rollups, and re-inserting the same raw rows, changes nothing", async () => {
    const before = { m: await rollups("Rollup1m"), h: await rollups("Rollup1h"), raw: await count("MetricSample", "ts", ">=", 0) };
    expect(await insertSamples(db, seriesA().slice(0, 4_000))).toBe(0); // a retried batch: ignored by the primary key
    expect(await insertSamples(db, [{ ...seriesB()[10]!, value: 0 }])).toBe(0); // even with another value, the first write stands
    await rollUpMinutes(db, minuteStarts);
    await rollUpHours(db, hourStarts);
    await rollUpMinutes(db, minuteStarts.slice(0, 7));
    await rollUpHours(db, hourStarts.slice(0, 1));
    expect({ m: await rollups("Rollup1m"), h: await rollups("Rollup1h"), raw: await count("MetricSample", "ts", ">=", 0) }).toEqual(before);
  });

  it("H4 a late sample for an already rolled minute is included once that minute (and its hour) is rolled again", async () => {
    const minute = START + 5 * MINUTE;
    const key = (bucketTs: number) => ({ metricId_entityId_bucketTs: { ...B, bucketTs: new Date(bucketTs) } });
    const oldMinute = await db.rollup1m.findUniqueOrThrow({ where: key(minute) });
    const oldHour = await db.rollup1h.findUniqueOrThrow({ where: key(START) });
    const late = { ...B, ts: minute + 30_500, value: 99.5, source: "test", drillId: null };
    expect(await insertSamples(db, [late])).toBe(1);
    // Not rolled again yet: the rollup still describes the minute as it was.
    expect(await db.rollup1m.findUniqueOrThrow({ where: key(minute) })).toEqual(oldMinute);

    await rollUpMinutes(db, [minute]);
    await rollUpHours(db, [START]);
    const newMinute = await db.rollup1m.findUniqueOrThrow({ where: key(minute) });
    expect({ count: newMinute.count, max: newMinute.max, min: newMinute.min }).toEqual({ count: oldMinute.count + 1, max: 99.5, min: oldMinute.min });
    expect(newMinute.sum).toBeCloseTo(oldMinute.sum + 99.5, 9);
    const newHour = await db.rollup1h.findUniqueOrThrow({ where: key(START) });
    expect({ count: newHour.count, max: newHour.max }).toEqual({ count: oldHour.count + 1, max: 99.5 });
    // And everything still agrees with raw, late sample included.
    await expectRollupsMatchRaw("Rollup1m", MINUTE);
    await expectRollupsMatchRaw("Rollup1h", HOUR);
  });

  describe("H5 queryHistory", () => {
    const query = (from: number, to: number, plan: QueryPlan): Promise<HistoryPoint[]> => queryHistory(db, { ...A, from, to, plan });

    /** The raw rows of series A in [from, to), as the reference every query is checked against. */
    const rawA = async (from: number, to: number) => rawRows(ofA(from, to));

    it("H5 raw over one hour with maxPoints 100: at most 100 points, the spike kept in its bucket's max, counts adding up to the raw rows", async () => {
      const from = START;
      const to = START + HOUR;
      const plan = planQuery({ from, to, now: to, maxPoints: 100, retention: RETENTION });
      expect(plan).toEqual({ resolution: "raw", bucketMs: 36_000 });
      const points = await query(from, to, plan);
      const raw = await rawA(from, to);
      expect(points.length).toBeGreaterThan(0);
      expect(points.length).toBeLessThanOrEqual(100);
      expect(points.reduce((n, p) => n + p[4], 0)).toBe(raw.length);
      const spikePoint = points.find(([ts]) => ts <= SPIKE.ts && SPIKE.ts < ts + plan.bucketMs);
      expect(spikePoint?.[3]).toBe(SPIKE.value);
      expect(Math.max(...points.map((p) => p[3]))).toBe(SPIKE.value);
      // Each point is exactly the aggregate of the raw rows in [ts, ts + bucketMs).
      for (const [ts, avg, min, max, n] of points) {
        const values = raw.filter((r) => r.ts >= ts && r.ts < ts + plan.bucketMs).map((r) => r.value);
        const want = aggregate(values);
        expect({ ts, min, max, n }).toEqual({ ts, min: want.min, max: want.max, n: want.count });
        expect(avg).toBeCloseTo(want.sum / want.count, 9);
        expect(min <= avg && avg <= max).toBe(true);
      }
      // Oldest first, one point per bucket.
      expect(points.map((p) => p[0])).toEqual([...new Set(points.map((p) => p[0]))].sort((x, y) => x - y));
    });

    it("H5 three hours from 1-minute rollups give the same buckets (start, min, max, count, avg) as from raw", async () => {
      const from = START;
      const to = END;
      const plan = planQuery({ from, to, now: to + 3 * DAY, maxPoints: 100, retention: RETENTION });
      expect(plan).toEqual({ resolution: "1m", bucketMs: 2 * MINUTE });
      const fromMinutes = await query(from, to, plan);
      const fromRaw = await query(from, to, { resolution: "raw", bucketMs: plan.bucketMs });
      expect(fromMinutes.length).toBeLessThanOrEqual(100);
      expect(fromMinutes.map(([ts, , min, max, n]) => [ts, min, max, n])).toEqual(fromRaw.map(([ts, , min, max, n]) => [ts, min, max, n]));
      fromMinutes.forEach(([, avg], i) => expect(avg).toBeCloseTo(fromRaw[i]![1], 9));
      expect(Math.max(...fromMinutes.map((p) => p[3]))).toBe(SPIKE.value);
      expect(Math.min(...fromMinutes.map((p) => p[2]))).toBe(DIP.value);
    });

    it("H5 three hours from 1-hour rollups give the same three buckets as from raw", async () => {
      const plan: QueryPlan = { resolution: "1h", bucketMs: HOUR };
      const fromHours = await query(START, END, plan);
      const fromRaw = await query(START, END, { resolution: "raw", bucketMs: HOUR });
      expect(fromHours).toHaveLength(3);
      expect(fromHours.map(([ts, , min, max, n]) => [ts, min, max, n])).toEqual(fromRaw.map(([ts, , min, max, n]) => [ts, min, max, n]));
      fromHours.forEach(([, avg], i) => expect(avg).toBeCloseTo(fromRaw[i]![1], 9));
    });

    it.each<[string, QueryPlan]>([
      ["raw", { resolution: "raw", bucketMs: MINUTE }],
      ["1-minute rollups", { resolution: "1m", bucketMs: MINUTE }],
      ["1-minute rollups at 2-minute buckets", { resolution: "1m", bucketMs: 2 * MINUTE }],
    ])("H5 ten minutes without samples are missing buckets, not zero-valued ones (%s)", async (_case, plan) => {
      const points = await query(START, END, plan);
      expect(points.filter(([ts]) => ts >= GAP.from && ts < GAP.to)).toEqual([]);
      expect(points.some(([ts]) => ts === GAP.from - plan.bucketMs)).toBe(true);
      expect(points.some(([ts]) => ts === GAP.to)).toBe(true);
      expect(points).toHaveLength(180 * (MINUTE / plan.bucketMs) - 10 * (MINUTE / plan.bucketMs));
      expect(points.every(([, avg, min, , n]) => n > 0 && min > 0 && avg > 0)).toBe(true);
    });

    it("H5 a query returns only its own series", async () => {
      const points = await queryHistory(db, { ...B, from: START, to: END, plan: { resolution: "raw", bucketMs: HOUR } });
      expect(points.reduce((n, p) => n + p[4], 0)).toBe(3 * 3_600 + 1); // B has no gap, plus H4's late sample
      expect(points.every(([, , min]) => min > 10)).toBe(true); // occupancy values, not congestion
    });

    it.each<[string, number, number, number]>([
      ["1-minute rollups, from 30 s past a minute", START + 30 * SECOND, START + HOUR + 30 * SECOND, 4 * DAY],
      ["1-hour rollups, from half past an hour", START + 30 * MINUTE, END, 100 * DAY],
    ])("H5 from %s: each point is exactly the raw data of [ts, ts + bucketMs), and no sample in [from, to) is dropped", async (_case, from, to, age) => {
      // A UI asks for "the last 7 days" from Date.now(): from is practically never on a minute or hour boundary.
      const plan = planQuery({ from, to, now: to + age, maxPoints: 20, retention: RETENTION });
      expect(plan.resolution).not.toBe("raw");
      const points = await query(from, to, plan);
      const raw = await rawA(START, END);
      // The last bucket ends at `to`, rounded up to the rollup grid (a rollup row is a whole minute or hour).
      const step = RESOLUTION_MS[plan.resolution];
      const end = Math.ceil(to / step) * step;
      const wrong = points
        .filter(([ts, , min, max, n]) => {
          const values = raw.filter((r) => r.ts >= ts && r.ts < Math.min(ts + plan.bucketMs, end)).map((r) => r.value);
          return n !== values.length || min !== Math.min(...values) || max !== Math.max(...values);
        })
        .map(([ts, , , , n]) => `${new Date(ts).toISOString()} (count ${n})`);
      const counted = points.reduce((sum, p) => sum + p[4], 0);
      const inRange = raw.filter((r) => r.ts >= from && r.ts < to).length;
      expect({ pointsNotMatchingTheirInterval: wrong.slice(0, 2), everySampleInRangeCounted: counted >= inRange }).toEqual({
        pointsNotMatchingTheirInterval: [],
        everySampleInRangeCounted: true,
      });
    });
  });

  describe("H5 queryReplay", () => {
    it("H5 one averaged point per step for every series asked for, stamped with the newest sample of the step", async () => {
      const from = START + 37 * MINUTE;
      const to = from + MINUTE;
      const series = await queryReplay(db, { metricIds: [A.metricId, B.metricId], entityIds: [A.entityId, B.entityId], from, to, plan: { resolution: "raw", bucketMs: 10 * SECOND } });
      // Only the pairs that exist: A is the city's, B the car park's.
      expect(series.map((s) => `${s.metricId}|${s.entityId}`).sort()).toEqual([`${B.metricId}|${B.entityId}`, `${A.metricId}|${A.entityId}`].sort());
      const raw = await rawRows(ofA(from, to));
      const expected = Array.from({ length: 6 }, (_, k) => {
        const step = raw.filter((r) => r.ts >= from + k * 10 * SECOND && r.ts < from + (k + 1) * 10 * SECOND);
        return [step.at(-1)!.ts, step.reduce((sum, r) => sum + r.value, 0) / step.length];
      });
      const a = series.find((s) => s.metricId === A.metricId)!;
      expect(a.points.map(([ts]) => ts)).toEqual(expected.map(([ts]) => ts));
      a.points.forEach(([, value], k) => expect(value).toBeCloseTo(expected[k]![1]!, 9));
    });

    it("H5 reads minute rollups at 60x: one point per minute, the average of the raw rows of that minute, nothing in a gap", async () => {
      const from = GAP.from - 5 * MINUTE;
      const to = GAP.to + 5 * MINUTE;
      const [a] = await queryReplay(db, { metricIds: [A.metricId], entityIds: [A.entityId], from, to, plan: { resolution: "1m", bucketMs: MINUTE } });
      expect(a!.points.map(([ts]) => ts)).toEqual([...Array.from({ length: 5 }, (_, k) => from + k * MINUTE), ...Array.from({ length: 5 }, (_, k) => GAP.to + k * MINUTE)]);
      const firstMinute = (await rawRows(ofA(from, from + MINUTE))).map((r) => r.value);
      expect(a!.points[0]![1]).toBeCloseTo(firstMinute.reduce((x, y) => x + y, 0) / firstMinute.length, 9);
    });
  });

  describe("H5 exportPage", () => {
    it("H5 pages through every raw row of the range, in order, none twice, as many as counted", async () => {
      const from = GAP.from - 20 * MINUTE;
      const to = GAP.to + 20 * MINUTE;
      const q = { ...A, to, resolution: "raw" as const };
      const exported: HistoryPoint[] = [];
      for (let cursor = from; ; ) {
        const page = await exportPage(db, { ...q, from: cursor, limit: 500 });
        exported.push(...page);
        if (page.length < 500) break;
        cursor = page[page.length - 1]![0] + 1;
      }
      const raw = await rawRows(ofA(from, to));
      expect(exported).toEqual(raw.map((r) => [r.ts, r.value, r.value, r.value, 1]));
      expect(await exportRowCount(db, { ...q, from })).toBe(raw.length);
    });

    it("H5 reads minute rollups as [start, avg, min, max, count] when raw is not what was asked", async () => {
      const page = await exportPage(db, { ...A, from: START, to: START + 3 * MINUTE, resolution: "1m", limit: 10 });
      const raw = await rawRows(ofA(START, START + MINUTE));
      expect(page.map(([ts, , , , n]) => [ts, n])).toEqual([0, 1, 2].map((m) => [START + m * MINUTE, 60]));
      const values = raw.map((r) => r.value);
      expect(page[0]![2]).toBe(Math.min(...values));
      expect(page[0]![3]).toBe(Math.max(...values));
      expect(page[0]![1]).toBeCloseTo(values.reduce((x, y) => x + y, 0) / values.length, 9);
    });
  });

  describe("H6 deleteExpired", () => {
    it("H6 removes exactly the raw rows older than the cutoff, at most `limit` per call, and nothing at or after it", async () => {
      const cutoff = START + 30 * MINUTE; // samples exist at exactly the cutoff: they must stay
      const keptBefore = await rawRows({ from: cutoff });
      const older = await count("MetricSample", "ts", "<", cutoff);
      expect(older).toBe(2 * 30 * 60 + 1); // both series' first half hour, plus H4's late sample
      expect(keptBefore.filter((r) => r.ts === cutoff)).toHaveLength(2);

      expect(await deleteExpired(db, "raw", cutoff, 1_000)).toBe(1_000);
      expect(await count("MetricSample", "ts", "<", cutoff)).toBe(older - 1_000);
      let deleted = 1_000;
      const calls: number[] = [];
      for (let n = -1; n !== 0; deleted += n) calls.push((n = await deleteExpired(db, "raw", cutoff, 1_000)));
      expect(calls).toEqual([1_000, 1_000, 601, 0]);
      expect(deleted).toBe(older);
      expect(await count("MetricSample", "ts", "<", cutoff)).toBe(0);
      expect(await rawRows({ from: cutoff })).toEqual(keptBefore);
    });

    it("H6 removes exactly the rollups whose bucket starts before the cutoff", async () => {
      const minutesBefore = await rollups("Rollup1m");
      const hoursBefore = await rollups("Rollup1h");
      const minuteCutoff = START + 60 * MINUTE;
      expect(await deleteExpired(db, "1m", minuteCutoff, 50)).toBe(50);
      while ((await deleteExpired(db, "1m", minuteCutoff, 50)) > 0);
      expect(await rollups("Rollup1m")).toEqual(minutesBefore.filter((r) => r.bucketTs >= minuteCutoff));
      expect(minutesBefore.filter((r) => r.bucketTs < minuteCutoff)).toHaveLength(2 * 60);

      expect(await deleteExpired(db, "1h", START + HOUR, 10)).toBe(2);
      expect(await rollups("Rollup1h")).toEqual(hoursBefore.filter((r) => r.bucketTs >= START + HOUR));
      expect(await rollups("Rollup1h")).toHaveLength(4);
    });
  });

  describe("H7 retention by day", () => {
    it("H7 drops the days wholly before the cutoff (PostgreSQL: their partitions; SQLite: nothing to drop), and deleteExpired takes the rest", async () => {
      const dayBefore = START - DAY;
      const old = [0, 1, 2].map((k) => ({ ...B, ts: dayBefore + k * HOUR, value: 50 + k, source: "test", drillId: null }));
      expect(await insertSamples(db, old)).toBe(3);
      const keptBefore = await rawRows({ from: START });
      const dropped = await dropExpiredPartitions(db, START + 90 * MINUTE);
      expect(dropped).toEqual(provider === "postgresql" ? ["MetricSample_p20261124"] : []);
      if (provider === "postgresql") expect(await count("MetricSample", "ts", "<", START)).toBe(0);
      // The day holding the cutoff stays whole: only its rows before the cutoff go, and by deleteExpired.
      while ((await deleteExpired(db, "raw", START, 1_000)) > 0);
      expect(await count("MetricSample", "ts", "<", START)).toBe(0);
      expect(await rawRows({ from: START })).toEqual(keptBefore);
      // A sample for a dropped day (a late one) still finds its partition: it is made again.
      expect(await insertSamples(db, old.slice(0, 1))).toBe(1);
      expect(await count("MetricSample", "ts", "<", START)).toBe(1);
    });
  });
}
