import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entitiesOfKind } from "../catalog";
import type { TAlert } from "../realtime/protocol";
import { feedRows, fitFeed, SEVERITIES, worstKept } from "./feed";

const alert = (over: Partial<TAlert>): TAlert => ({
  id: "a",
  ruleId: "road-gridlock",
  name: { zh: "道路严重拥堵", en: "Road gridlocked" },
  metricId: "traffic.congestionIndex",
  entityId: "road-shennan",
  severity: "critical",
  sinceTs: 0,
  openedTs: 1,
  triggerValue: 9.4,
  acknowledged: null,
  ...over,
});
const acked = { at: 5, by: "值班员", comment: null };
const futianLots = entitiesOfKind("lot").filter((l) => l.districtId === "futian");
const lotsFull = (n: number, from = 0): TAlert[] =>
  futianLots.slice(from, from + n).map((lot, i) => alert({ id: `lot-${from + i}`, ruleId: "lot-full", metricId: "parking.occupancy", entityId: lot.id, severity: "warning", openedTs: 100 + i, triggerValue: 90 + i }));

describe("feedRows", () => {
  it("orders by severity, then unacknowledged before acknowledged, then newest first", () => {
    const rows = feedRows([
      alert({ id: "w-new", severity: "warning", ruleId: "r1", openedTs: 50 }),
      alert({ id: "c-acked", openedTs: 40, acknowledged: acked }),
      alert({ id: "i", severity: "info", ruleId: "r2", openedTs: 60 }),
      alert({ id: "c-old", openedTs: 10, entityId: "road-beihuan" }),
      alert({ id: "c-new", openedTs: 20, entityId: "road-binhai" }),
    ]);
    expect(rows.map((r) => r.key)).toEqual(["c-new", "c-old", "c-acked", "w-new", "i"]);
  });

  it("collapses one rule's warnings in one district into a row with a count and the worst value, acknowledged ones apart", () => {
    const lots = lotsFull(12);
    const rows = feedRows([...lots.slice(0, 10), ...lots.slice(10).map((a) => ({ ...a, acknowledged: acked }))]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ severity: "warning", acknowledged: false, districtId: "futian", worst: { triggerValue: 99 }, openedTs: 109 });
    expect(rows[0]!.members).toHaveLength(10);
    expect(rows[1]).toMatchObject({ acknowledged: true, worst: { triggerValue: 101 } });
  });

  it("takes the lowest value as the worst where lower is worse", () => {
    const speeds = [40, 12, 25].map((v, i) => alert({ id: `s${i}`, ruleId: "slow", severity: "warning", metricId: "traffic.avgSpeed", entityId: ["road-shennan", "road-xinzhou", "road-huanggang"][i]!, triggerValue: v }));
    expect(feedRows(speeds)[0]!.worst.triggerValue).toBe(12);
  });

  it("keeps each critical its own row", () => {
    expect(feedRows([alert({ id: "x" }), alert({ id: "y", openedTs: 2 })]).map((r) => r.members.length)).toEqual([1, 1]);
  });
});

describe("fitFeed", () => {
  it("shows everything that fits, counting nothing", () => {
    expect(fitFeed([alert({}), ...lotsFull(3)], 4)).toMatchObject({ rows: [{ key: "a" }, { members: { length: 3 } }], hidden: { critical: 0, warning: 0, info: 0 } });
  });

  it("keeps an acknowledged critical in sight under a flood of warnings and counts the rest by severity", () => {
    const flood = SEVERITIES.flatMap((severity) =>
      entitiesOfKind("hospital").map((h, i) => alert({ id: `${severity}-${h.id}`, ruleId: `wait-${severity}`, metricId: "health.waitMinutes", entityId: h.id, severity: severity === "critical" ? "warning" : severity, openedTs: 1000 + i })),
    );
    const fitted = fitFeed([...flood, alert({ id: "gridlock", acknowledged: acked })], 3);
    expect(fitted.rows[0]).toMatchObject({ key: "gridlock", acknowledged: true });
    expect(fitted.rows).toHaveLength(2);
    expect(fitted.hidden.warning + fitted.hidden.info + fitted.rows[1]!.members.length).toBe(flood.length);
  });

  it("groups criticals only when they do not fit one by one", () => {
    const criticals = futianLots.slice(0, 6).map((l, i) => alert({ id: `c${i}`, ruleId: "lot-full", entityId: l.id, metricId: "parking.occupancy", openedTs: i }));
    expect(fitFeed(criticals, 4)).toMatchObject({ rows: [{ severity: "critical", members: { length: 6 } }], hidden: { critical: 0 } });
  });

  const anyAlert = fc.record({
    rule: fc.constantFrom("r1", "r2", "r3"),
    entity: fc.constantFrom("shenzhen", "futian", "road-shennan", "road-yanba", ...futianLots.slice(0, 3).map((l) => l.id)),
    severity: fc.constantFrom(...SEVERITIES),
    openedTs: fc.integer({ min: 0, max: 50 }),
    acked: fc.boolean(),
    value: fc.integer({ min: 0, max: 100 }),
  });

  it("shows every open critical whenever their groups fit, and shown + counted is every alert (property)", () => {
    fc.assert(
      fc.property(fc.array(anyAlert, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (specs, capacity) => {
        const alerts = specs.map((s, i) => alert({ id: `a${i}`, ruleId: s.rule, entityId: s.entity, severity: s.severity, openedTs: s.openedTs, triggerValue: s.value, acknowledged: s.acked ? acked : null }));
        const { rows, hidden } = fitFeed(alerts, capacity);
        const shown = rows.flatMap((r) => r.members.map((m) => m.id));
        expect(new Set(shown).size).toBe(shown.length);
        expect(shown.length + hidden.critical + hidden.warning + hidden.info).toBe(alerts.length);
        const anyHidden = hidden.critical + hidden.warning + hidden.info > 0;
        expect(rows.length + (anyHidden ? 1 : 0)).toBeLessThanOrEqual(Math.max(capacity, 1));
        const criticalGroups = feedRows(alerts, SEVERITIES).filter((r) => r.severity === "critical").length;
        if (criticalGroups < capacity) expect(hidden.critical).toBe(0);
        // No incident here (no alert carries one): a row never mixes severities.
        for (const row of rows) for (const m of row.members) expect(m.severity).toBe(row.severity);
      }),
    );
  });
});

describe("incidents on the feed", () => {
  it("an event across domains is one row, as bad as its worst alert and named by it; what is cut is counted by each alert's own severity", () => {
    const incident = "incident-road";
    const alerts = [alert({ id: "road", incidentId: incident, acknowledged: acked }), ...lotsFull(3).map((a) => ({ ...a, incidentId: incident })), alert({ id: "elsewhere", ruleId: "slow", severity: "warning", entityId: "road-binhai", metricId: "traffic.avgSpeed", openedTs: 500 })];
    const rows = feedRows(alerts);
    expect(rows[0]).toMatchObject({ key: `incident|${incident}`, severity: "critical", acknowledged: false, worst: { id: "road" }, districtId: "futian", incident: { id: incident, domains: ["traffic", "parking"] } });
    expect(rows[0]!.members).toHaveLength(4);
    expect(rows.slice(1).map((r) => r.worst.id)).toEqual(["elsewhere"]);
    expect(fitFeed(alerts, 1).hidden).toEqual({ critical: 1, warning: 4, info: 0 });
    // One domain only (the road's alert resolved): no incident, the car parks are a group again.
    expect(feedRows(alerts.filter((a) => a.id !== "road")).map((r) => r.incident)).toEqual([null, null]);
  });
});

describe("worstKept", () => {
  it("keeps an old critical when more newer warnings are open than are sent, in the original order", () => {
    const newestFirst = [...lotsFull(30).toReversed(), alert({ id: "old-critical", openedTs: 0 }), alert({ id: "old-info", severity: "info", openedTs: -1 })];
    const kept = worstKept(newestFirst, 10);
    expect(kept).toHaveLength(10);
    expect(kept.at(-1)!.id).toBe("old-critical");
    expect(kept.slice(0, 9).map((a) => a.id)).toEqual(newestFirst.slice(0, 9).map((a) => a.id));
    expect(worstKept(newestFirst, 100)).toEqual(newestFirst);
  });
});
