import { describe, expect, it } from "vitest";
import type { TAlert } from "../realtime/protocol";
import { entitiesOfKind } from "../catalog";
import { attentionOf } from "./attention";

const alert = (over: Partial<TAlert>): TAlert => ({
  id: "a",
  ruleId: "road-gridlock",
  name: { zh: "道路严重拥堵", en: "Road gridlocked" },
  metricId: "traffic.congestionIndex",
  entityId: "road-shennan",
  severity: "critical",
  sinceTs: 0,
  openedTs: 1,
  triggerValue: 8.4,
  acknowledged: null,
  ...over,
});

describe("attentionOf", () => {
  it("points at the newest unacknowledged critical alert, its domain and its district", () => {
    const alerts = [alert({ id: "old", openedTs: 1 }), alert({ id: "new", openedTs: 5, metricId: "health.connected", entityId: "futian" }), alert({ id: "warn", openedTs: 9, severity: "warning" })];
    expect(attentionOf(alerts)).toMatchObject({ alert: { id: "new" }, domain: "health", districtId: "futian" });
    expect(attentionOf([alert({})])).toMatchObject({ domain: "traffic", districtId: "futian" });
  });

  it("draws a road by its course and a car park where it stands; a district is its own outline", () => {
    expect(attentionOf([alert({})])?.place).toMatchObject({ kind: "road", course: expect.arrayContaining([[114.058, 22.541]]) });
    const lot = entitiesOfKind("lot")[0]!;
    expect(attentionOf([alert({ entityId: lot.id, metricId: "parking.occupancy" })])?.place).toEqual({ kind: "point", at: [lot.lon, lot.lat] });
    expect(attentionOf([alert({ entityId: "futian" })])?.place).toBeNull();
  });

  it("asks for nothing once every critical alert is acknowledged", () => {
    expect(attentionOf([alert({ acknowledged: { at: 2, by: "值班员", comment: null } }), alert({ id: "w", severity: "warning" })])).toBeNull();
    expect(attentionOf([])).toBeNull();
  });
});
