import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AlertRecord } from "../db/alerts";
import { acknowledgedBy, alertEvents, stillOpen } from "./alerts";

const T0 = Date.UTC(2026, 11, 3, 0, 0, 0); // 08:00 in Shenzhen
const H = 3_600_000;
const SPAN = { from: T0, to: T0 + 8 * H };

function alert(id: string, over: Partial<AlertRecord>): AlertRecord {
  return {
    id,
    ruleId: "parking-full",
    metricId: "parking.occupancy",
    entityId: "lot-futian-001",
    severity: "warning",
    sinceTs: T0,
    openedTs: T0,
    triggerValue: 97,
    peakValue: 97,
    acknowledgedTs: null,
    acknowledgedBy: null,
    ackComment: null,
    resolvedTs: null,
    resolvedBy: null,
    counted: null,
    incidentId: null,
    resolveComment: null,
    ...over,
  };
}

describe("alertEvents", () => {
  it("lists who acknowledged with what comment and who resolved, in time order, only inside the span", () => {
    const handled = alert("a", { openedTs: T0 + H, acknowledgedTs: T0 + 2 * H, acknowledgedBy: "zhang", ackComment: "交警已到场", resolvedTs: T0 + 3 * H, resolvedBy: "li" });
    const before = alert("b", { openedTs: T0 - H, resolvedTs: T0 + H / 2, resolvedBy: "auto" });
    const next = alert("c", { openedTs: T0 + 7 * H, acknowledgedTs: T0 + 9 * H, acknowledgedBy: "wang" });
    const events = alertEvents([next, handled, before], SPAN);
    expect(events.map((e) => [e.alert.id, e.kind, e.by, e.comment])).toEqual([
      ["b", "resolved", "auto", null],
      ["a", "opened", null, null],
      ["a", "acknowledged", "zhang", "交警已到场"],
      ["a", "resolved", "li", null],
      ["c", "opened", null, null],
    ]);
  });

  it("keeps an alert's lifecycle order when its events share an instant", () => {
    const instant = alert("a", { openedTs: T0 + H, acknowledgedTs: T0 + H, acknowledgedBy: "zhang", resolvedTs: T0 + H, resolvedBy: "zhang" });
    expect(alertEvents([instant], SPAN).map((e) => e.kind)).toEqual(["opened", "acknowledged", "resolved"]);
  });

  it("every event lies in the span, in time order, and no alert has an event kind twice (property)", () => {
    const ts = fc.integer({ min: SPAN.from - 4 * H, max: SPAN.to + 4 * H });
    const arbAlert = fc.record({ opened: ts, ack: fc.option(fc.nat(6 * H)), resolved: fc.option(fc.nat(6 * H)) });
    fc.assert(
      fc.property(fc.array(arbAlert, { maxLength: 30 }), (specs) => {
        const alerts = specs.map((s, i) =>
          alert(`a${i}`, { openedTs: s.opened, acknowledgedTs: s.ack === null ? null : s.opened + s.ack, acknowledgedBy: s.ack === null ? null : "op", resolvedTs: s.resolved === null ? null : s.opened + s.resolved, resolvedBy: s.resolved === null ? null : "auto" }),
        );
        const events = alertEvents(alerts, SPAN);
        const seen = new Set<string>();
        for (let i = 0; i < events.length; i++) {
          const e = events[i]!;
          expect(e.at).toBeGreaterThanOrEqual(SPAN.from);
          expect(e.at).toBeLessThan(SPAN.to);
          if (i > 0) expect(e.at).toBeGreaterThanOrEqual(events[i - 1]!.at);
          expect(seen.has(`${e.alert.id}:${e.kind}`)).toBe(false);
          seen.add(`${e.alert.id}:${e.kind}`);
        }
        // And none missed: every lifecycle instant inside the span is an event.
        const inside = (t: number | null) => t !== null && t >= SPAN.from && t < SPAN.to;
        const expected = alerts.reduce((n, a) => n + [a.openedTs, a.acknowledgedTs, a.resolvedTs].filter(inside).length, 0);
        expect(events).toHaveLength(expected);
      }),
    );
  });
});

describe("stillOpen", () => {
  it("hands over what is open at the span's end, critical first, and not what opened after it", () => {
    const warning = alert("w", { openedTs: T0 + H });
    const critical = alert("c", { severity: "critical", openedTs: T0 + 2 * H });
    const resolvedLater = alert("r", { openedTs: T0, resolvedTs: SPAN.to + H, resolvedBy: "li" });
    const resolvedIn = alert("x", { openedTs: T0, resolvedTs: T0 + H, resolvedBy: "auto" });
    const after = alert("n", { openedTs: SPAN.to + 1 });
    expect(stillOpen([warning, critical, resolvedLater, resolvedIn, after], SPAN).map((a) => a.id)).toEqual(["c", "r", "w"]);
  });

  it("counts an acknowledgement only when it came before the span's end", () => {
    const a = alert("a", { acknowledgedTs: SPAN.to + 1, acknowledgedBy: "next-shift" });
    expect(acknowledgedBy(a, SPAN.to)).toBe(false);
    expect(acknowledgedBy(a, SPAN.to + 2)).toBe(true);
  });
});
