/**
 * History storage against a real SQLite file: rollups agree with raw data, queries keep
 * peaks and gaps, retention deletes exactly what is out of its window.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planQuery } from "../history/plan";
import type { MetricId } from "../catalog";
import { openDatabase, type Database } from "./client";
import { deleteExpired, queryHistory, rollUpHours, rollUpMinutes } from "./history";
import { applyMigrations } from "./migrate";
import { insertSamples, type SampleRow } from "./samples";

const METRIC: MetricId = "traffic.congestionIndex";
const START = Date.UTC(2026, 10, 25, 0, 0, 0);
const HOURS = 3;
const SPIKE_TS = START + 75 * 60_000 + 17_000;
/** Ten minutes with no data at all, from 02:00 to 02:10. */
const GAP = [START + 120 * 60_000, START + 130 * 60_000] as const;

function series(entityId: string): SampleRow[] {
  const rows: SampleRow[] = [];
  for (let ts = START; ts < START + HOURS * 3_600_000; ts += 1_000) {
    if (ts >= GAP[0] && ts < GAP[1]) continue;
    const value = ts === SPIKE_TS ? 9.9 : 3 + Math.round(Math.sin(ts / 600_000) * 100) / 100;
    rows.push({ metricId: METRIC, entityId, ts, value, source: "test", drillId: null });
  }
  return rows;
}

describe("history storage", () => {
  const dir = mkdtempSync(join(tmpdir(), "onescreen-history-"));
  const file = join(dir, "h.db");
  let db: Database;
  const raw = series("shenzhen");

  beforeAll(async () => {
    await applyMigrations(file);
    db = await openDatabase(file);
    for (let i = 0; i < raw.length; i += 5_000) await insertSamples(db, raw.slice(i, i + 5_000));
    await insertSamples(db, series("futian"));
    const minutes = Array.from({ length: HOURS * 60 }, (_, m) => START + m * 60_000);
    await rollUpMinutes(db, minutes);
    await rollUpHours(db, [0, 1, 2].map((h) => START + h * 3_600_000));
  });

  afterAll(async () => {
    await db?.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it("H1 every minute's rollup equals min, max, sum and count of its raw samples", async () => {
    const rollups = await db.rollup1m.findMany({ where: { metricId: METRIC, entityId: "shenzhen" }, orderBy: { bucketTs: "asc" } });
    expect(rollups).toHaveLength(HOURS * 60 - 10); // the ten empty minutes have no rollup
    for (const r of rollups) {
      const start = r.bucketTs.getTime();
      const values = raw.filter((s) => s.ts >= start && s.ts < start + 60_000).map((s) => s.value);
      expect({ min: r.min, max: r.max, count: r.count }).toEqual({ min: Math.min(...values), max: Math.max(...values), count: values.length });
      expect(r.sum).toBeCloseTo(values.reduce((a, b) => a + b, 0), 6);
    }
  });

  it("H2 every hour's rollup equals the aggregate of its raw samples; re-running and retried writes change nothing", async () => {
    await insertSamples(db, raw.slice(0, 5_000)); // a retried batch: ignored by the primary key
    await rollUpMinutes(db, [START, START + 60_000]);
    await rollUpHours(db, [START]);
    const hours = await db.rollup1h.findMany({ where: { metricId: METRIC, entityId: "shenzhen" }, orderBy: { bucketTs: "asc" } });
    expect(hours).toHaveLength(HOURS);
    for (const h of hours) {
      const start = h.bucketTs.getTime();
      const values = raw.filter((s) => s.ts >= start && s.ts < start + 3_600_000).map((s) => s.value);
      expect({ min: h.min, max: h.max, count: h.count }).toEqual({ min: Math.min(...values), max: Math.max(...values), count: values.length });
    }
  });

  it("H3 a bucketed raw query keeps the peak, counts every sample, and leaves a gap where no data exists", async () => {
    const from = START;
    const to = START + HOURS * 3_600_000;
    const plan = planQuery({ from, to, now: to, maxPoints: 100, retention: { rawMs: 48 * 3_600_000, minuteMs: 90 * 86_400_000, hourMs: 730 * 86_400_000 } });
    expect(plan.resolution).toBe("raw");
    const points = await queryHistory(db, { metricId: METRIC, entityId: "shenzhen", from, to, plan });
    expect(points.length).toBeLessThanOrEqual(100);
    expect(Math.max(...points.map((p) => p[3]))).toBe(9.9);
    expect(points.reduce((n, p) => n + p[4], 0)).toBe(raw.length);
    // No bucket lies wholly inside the gap: it is absent, not drawn as zero.
    expect(points.filter(([ts]) => ts >= GAP[0] && ts + plan.bucketMs <= GAP[1])).toEqual([]);
    expect(points.every(([, avg, min, max]) => avg > 0 && min <= avg && avg <= max)).toBe(true);
  });

  it("H4 the same range from minute rollups gives the same buckets as from raw", async () => {
    const from = START;
    const to = START + HOURS * 3_600_000;
    const rawPlan = { resolution: "raw" as const, bucketMs: 600_000 };
    const minutePlan = { resolution: "1m" as const, bucketMs: 600_000 };
    const fromRaw = await queryHistory(db, { metricId: METRIC, entityId: "shenzhen", from, to, plan: rawPlan });
    const fromMinutes = await queryHistory(db, { metricId: METRIC, entityId: "shenzhen", from, to, plan: minutePlan });
    expect(fromMinutes.map((p) => [p[0], p[2], p[3], p[4]])).toEqual(fromRaw.map((p) => [p[0], p[2], p[3], p[4]]));
    fromMinutes.forEach((p, i) => expect(p[1]).toBeCloseTo(fromRaw[i]?.[1] ?? NaN, 9));
  });

  it("H5 retention deletes exactly the rows older than the cutoff, a chunk at a time", async () => {
    const count = async (where: string, ...params: number[]) =>
      Number((await db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "MetricSample" ${where}`, ...params))[0]?.n);
    const cutoff = START + 30 * 60_000;
    const older = await count(`WHERE "ts" < ?`, cutoff);
    const kept = await count(`WHERE "ts" >= ?`, cutoff);
    expect(older).toBe(2 * 30 * 60);
    expect(await deleteExpired(db, "raw", cutoff, 1_000)).toBe(1_000);
    let deleted = 1_000;
    for (let n = -1; n !== 0; deleted += n) n = await deleteExpired(db, "raw", cutoff, 1_000);
    expect(deleted).toBe(older);
    expect(await count(`WHERE "ts" < ?`, cutoff)).toBe(0);
    expect(await count(`WHERE "ts" >= ?`, cutoff)).toBe(kept);
  });
});
