/**
 * The rest of the persistence contract, on each provider (a SQLite file, a PostgreSQL
 * database): alert rules and alerts, drills, ingest tokens, reference data and the recent
 * window's read. Times go in and come out as epoch milliseconds, exactly, whichever database
 * holds them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../alerts/rules";
import { ENTITIES } from "../catalog/city";
import { REFERENCE_FIGURES } from "../reference/figures";
import type { Provider } from "../config";
import { acknowledgeAlert, alertById, alertPeriods, alertsOverlapping, deleteRule, insertAlert, loadRules, recentAlerts, resolveAlert, resolveAlertById, ruleNames, saveRule, unresolvedAlerts, wireAlert } from "./alerts";
import type { Database } from "./client";
import { openDrills, saveDrill, stopDrill } from "./drills";
import { createIngestToken, listIngestTokens, revokeIngestToken, sourceOfToken } from "./ingest-tokens";
import { referenceFigures, seedReferenceData } from "./reference";
import { dialectOf } from "./dialect";
import { insertSamples, samplesSince } from "./samples";
import { PROVIDERS, openTestDatabase, unavailable } from "./test-databases";

const T = Date.UTC(2026, 10, 25, 6, 30, 15, 123); // with milliseconds, to see they survive

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`store on ${provider}`, () => storeContract(provider));

function storeContract(provider: Provider): void {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(provider, "store"));
  });
  afterAll(async () => {
    await close?.();
  });

  it("seeds reference data idempotently: every entity and figure once, however often", async () => {
    await seedReferenceData(db);
    await seedReferenceData(db);
    expect(await db.entity.count()).toBe(ENTITIES.length);
    const figures = await referenceFigures(db);
    expect(figures).toHaveLength(REFERENCE_FIGURES.length);
    const lot = await db.entity.findUniqueOrThrow({ where: { id: "lot-futian-001" } });
    expect(lot).toMatchObject({ kind: "lot", districtId: "futian" });
    expect(typeof lot.capacity).toBe("number");
  });

  it("alert rules: an empty table is seeded with the defaults, then saved, replaced and deleted by id", async () => {
    // Read back as they were seeded, counting rules' atLeast and atLeastPercent included.
    expect(await loadRules(db)).toEqual(DEFAULT_RULES.toSorted((a, b) => a.id.localeCompare(b.id)));
    const custom = { ...DEFAULT_RULES[0]!, id: "custom", threshold: 9, clearAt: 8 };
    await saveRule(db, custom);
    await saveRule(db, { ...custom, threshold: 9.5 });
    expect((await loadRules(db)).find((r) => r.id === "custom")?.threshold).toBe(9.5);
    expect(await deleteRule(db, "custom")).toBe(true);
    expect(await deleteRule(db, "custom")).toBe(false);
    expect(await loadRules(db)).toHaveLength(DEFAULT_RULES.length);
  });

  it("alerts: opened, listed newest first (ties by entity), acknowledged, resolved; times exact to the millisecond", async () => {
    const base = { ruleId: "lot-full", metricId: "parking.occupancy", severity: "warning" as const, triggerValue: 96, peakValue: 96 };
    await insertAlert(db, { ...base, id: "a1", entityId: "lot-b", sinceTs: T - 120_000, openedTs: T });
    await insertAlert(db, { ...base, id: "a2", entityId: "lot-a", sinceTs: T - 120_000, openedTs: T });
    await insertAlert(db, { ...base, id: "a3", entityId: "lot-c", sinceTs: T - 60_000, openedTs: T + 1 });
    await insertAlert(db, { ...base, ruleId: "lots-full", id: "a4", entityId: "futian", sinceTs: T - 60_000, openedTs: T - 1, triggerValue: 41, peakValue: 41, counted: "lot" });
    expect(await alertById(db, "a4")).toMatchObject({ counted: "lot", triggerValue: 41 });
    expect(await alertById(db, "a3")).toMatchObject({ counted: null });
    expect(await resolveAlertById(db, "a4", "op", T, null)).toBe(true);
    expect((await unresolvedAlerts(db)).map((a) => a.id)).toEqual(["a3", "a2", "a1"]);
    expect(await alertById(db, "a1")).toMatchObject({ sinceTs: T - 120_000, openedTs: T, acknowledgedTs: null, resolvedTs: null });

    expect(await acknowledgeAlert(db, "a1", "op", "seen", T + 5)).toBe(true);
    expect(await alertById(db, "a1")).toMatchObject({ acknowledgedTs: T + 5, acknowledgedBy: "op", ackComment: "seen" });
    expect(await resolveAlert(db, "lot-full", "lot-b", T + 10, 99, "auto")).toBe(true);
    expect(await resolveAlert(db, "lot-full", "lot-b", T + 11, 99, "auto")).toBe(false);
    expect(await resolveAlertById(db, "a2", "op", T + 20, null)).toBe(true);
    expect(await acknowledgeAlert(db, "a2", "op", null, T + 21)).toBe(false); // resolved already
    expect((await unresolvedAlerts(db)).map((a) => a.id)).toEqual(["a3"]);
    expect((await recentAlerts(db, 2)).map((a) => a.id)).toEqual(["a3", "a2"]);
    expect(await alertById(db, "a1")).toMatchObject({ resolvedTs: T + 10, resolvedBy: "auto", peakValue: 99 });
  });

  it("alert periods: those overlapping [from, to) of one series, open ones included, oldest first", async () => {
    const q = { metricId: "parking.occupancy", entityId: "lot-b" };
    expect(await alertPeriods(db, { ...q, from: T - 200_000, to: T + 1_000 })).toEqual([{ from: T - 120_000, to: T + 10, severity: "warning" }]);
    expect(await alertPeriods(db, { ...q, from: T + 10, to: T + 1_000 })).toEqual([]); // ended exactly at `from`
    expect(await alertPeriods(db, { metricId: "parking.occupancy", entityId: "lot-c", from: T, to: T + 1_000 })).toEqual([{ from: T - 60_000, to: null, severity: "warning" }]);
  });

  it("alerts for a replay: those open at some instant of [from, to), newest first, bounded; named after their rule", async () => {
    // a4 open [T-1, T), a1 [T, T+10), a2 [T, T+20), a3 from T+1 on (see above).
    const ids = async (from: number, to: number, limit = 10) => (await alertsOverlapping(db, { from, to, limit })).map((a) => a.id);
    expect(await ids(T - 1_000, T - 1)).toEqual([]); // nothing was open before T-1
    expect(await ids(T - 1_000, T)).toEqual(["a4"]);
    expect(await ids(T - 1_000, T + 1)).toEqual(["a2", "a1", "a4"]);
    expect(await ids(T + 10, T + 15)).toEqual(["a3", "a2"]); // a1 resolved at T+10
    expect(await ids(T + 500, T + 600)).toEqual(["a3"]);
    expect(await ids(T, T + 600, 1)).toEqual(["a3"]);
    const [a1] = await alertsOverlapping(db, { from: T + 5, to: T + 6, limit: 10 }).then((rows) => rows.filter((r) => r.id === "a1"));
    expect(a1).toMatchObject({ openedTs: T, acknowledgedTs: T + 5, resolvedTs: T + 10 });
    // An operator's per-lot rule (the defaults count full lots per district instead).
    const lotFull = { ...DEFAULT_RULES[0]!, id: "lot-full", name: { zh: "停车场将满", en: "Car park nearly full" }, metricId: "parking.occupancy" as const, kind: "lot" as const, direction: "above" as const, threshold: 95, clearAt: 90, severity: "warning" as const };
    await saveRule(db, lotFull);
    const names = await ruleNames(db);
    expect(names.get("lot-full")).toEqual(lotFull.name);
    expect(wireAlert(a1!, names.get(a1!.ruleId))).toEqual({
      id: "a1",
      ruleId: "lot-full",
      name: lotFull.name,
      metricId: "parking.occupancy",
      entityId: "lot-b",
      severity: "warning",
      sinceTs: T - 120_000,
      openedTs: T,
      triggerValue: 96,
      acknowledged: { at: T + 5, by: "op", comment: "seen" },
    });
    expect(wireAlert(a1!, undefined).name).toEqual({ zh: "lot-full", en: "lot-full" }); // the rule was deleted since
    await deleteRule(db, "lot-full");
  });

  it("drills: saved, open until their end or a stop, stopped with their time", async () => {
    await saveDrill(db, { id: "d1", scenarioId: "typhoon", startMs: T, endMs: T + 3_600_000 }, "admin-token");
    await saveDrill(db, { id: "d2", scenarioId: "hospital-surge", startMs: T + 1, endMs: T + 60_000 }, "admin-token");
    expect(await openDrills(db, T + 30_000)).toEqual([
      { id: "d1", scenarioId: "typhoon", startMs: T, endMs: T + 3_600_000 },
      { id: "d2", scenarioId: "hospital-surge", startMs: T + 1, endMs: T + 60_000 },
    ]);
    expect((await openDrills(db, T + 60_000)).map((d) => d.id)).toEqual(["d1"]);
    await stopDrill(db, "d1", T + 100);
    expect(await openDrills(db, T + 50)).toEqual([{ id: "d2", scenarioId: "hospital-surge", startMs: T + 1, endMs: T + 60_000 }]);
    expect((await db.drill.findUniqueOrThrow({ where: { id: "d1" } })).stoppedTs?.getTime()).toBe(T + 100);
  });

  it("ingest tokens: found by hash only, a name once, revoked for good", async () => {
    const token = await createIngestToken(db, "feed-1", new Date(T));
    await expect(createIngestToken(db, "feed-1")).rejects.toThrow("name: a token named feed-1 exists already");
    expect(await sourceOfToken(db, token)).toEqual({ name: "feed-1", revoked: false });
    expect(await sourceOfToken(db, "osi_not-a-token")).toBeNull();
    expect(await revokeIngestToken(db, "feed-1", new Date(T + 1))).toBe(true);
    expect(await revokeIngestToken(db, "feed-1")).toBe(false);
    expect(await sourceOfToken(db, token)).toEqual({ name: "feed-1", revoked: true });
    expect(await listIngestTokens(db)).toEqual([{ name: "feed-1", createdAt: new Date(T), revokedAt: new Date(T + 1) }]);
  });

  it("time: epoch milliseconds go in and come out exactly, through time() and ms(), from 1970 to 2100", async () => {
    const d = dialectOf(db);
    const times = [0, 1, 999, T, T + 1, 4_102_444_799_999, ...Array.from({ length: 300 }, (_, i) => Math.floor((i * 4_102_444_799_999) / 299) + (i % 1_000))];
    const rows = await db.$queryRawUnsafe<{ t: number | bigint }[]>(d.sql(times.map(() => `SELECT ${d.ms(d.time("?"))} AS t`).join(" UNION ALL ")), ...times);
    expect(rows.map((r) => Number(r.t))).toEqual(times);
  });

  it("samples: a retried sample is ignored (the first value stands), and the recent window reads back exactly what was written", async () => {
    const rows = [0, 1, 2].map((k) => ({ metricId: "traffic.congestionIndex" as const, entityId: "shenzhen", ts: T + k * 1_000, value: 3 + k / 10, source: "sim", drillId: k === 1 ? "d1" : null }));
    expect(await insertSamples(db, rows)).toBe(3);
    expect(await insertSamples(db, [{ ...rows[0]!, value: 9 }, ...rows])).toBe(0);
    expect(await samplesSince(db, T + 1_000, { entityIds: ["shenzhen", "futian"] })).toEqual(rows.slice(1).map(({ metricId, entityId, ts, value }) => ({ metricId, entityId, ts, value })));
    expect(await samplesSince(db, T + 2_000, { metricIds: ["traffic.congestionIndex"] })).toEqual([{ metricId: "traffic.congestionIndex", entityId: "shenzhen", ts: T + 2_000, value: 3.2 }]);
    expect(await samplesSince(db, T, { entityIds: [] })).toEqual([]);
    expect((await db.metricSample.findMany({ where: { drillId: "d1" } })).map((r) => r.ts.getTime())).toEqual([T + 1_000]);
  });
}
