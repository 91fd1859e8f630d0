import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CITY_ID } from "../catalog";
import { INCIDENT_WINDOW_MS, groupIncidents, placeOf, type IncidentMember } from "./incidents";

const MIN = 60_000;
const at = (minutes: number) => Date.parse("2026-11-25T08:30:00+08:00") + minutes * MIN;
const gridlock = (id: string, minutes: number, entityId = "road-shennan"): IncidentMember => ({ id, metricId: "traffic.congestionIndex", entityId, severity: "critical", openedTs: at(minutes) });
const lotsFull = (id: string, minutes: number, entityId = "futian"): IncidentMember => ({ id, metricId: "parking.occupancy", entityId, severity: "warning", openedTs: at(minutes) });
const waitLong = (id: string, minutes: number, entityId = "hospital-futian-01"): IncidentMember => ({ id, metricId: "health.waitMinutes", entityId, severity: "critical", openedTs: at(minutes) });

describe("incidents", () => {
  it("an accident's cascade in one district is one incident, its domains in the order the event reached them", () => {
    const incidents = groupIncidents([waitLong("c", 24), gridlock("a", 0), lotsFull("b", 12)]);
    expect(incidents).toEqual([{ id: "incident-a", placeId: "futian", alertIds: ["a", "b", "c"], domains: ["traffic", "parking", "health"], severity: "critical", startTs: at(0), lastOpenedTs: at(24) }]);
  });

  it("the window runs from the chain's last alert: a gap longer than it begins a new chain", () => {
    expect(groupIncidents([gridlock("a", 0), lotsFull("b", 16)])).toEqual([]);
    expect(groupIncidents([gridlock("a", 0), gridlock("a2", 10, "road-xinzhou"), lotsFull("b", 24)]).map((i) => i.alertIds)).toEqual([["a", "a2", "b"]]);
    expect(groupIncidents([gridlock("a", 0), lotsFull("b", 20)], 20 * MIN)).toHaveLength(1);
  });

  it("one domain alone is not an incident, however many alerts it has", () => {
    expect(groupIncidents([gridlock("a", 0), gridlock("b", 1, "road-xinzhou"), gridlock("c", 2, "road-hongli")])).toEqual([]);
  });

  it("other districts and the city do not join a district's chain", () => {
    expect(groupIncidents([gridlock("a", 0), lotsFull("b", 5, "nanshan"), { ...lotsFull("c", 6), entityId: CITY_ID }])).toEqual([]);
    expect(placeOf("lot-futian-001")).toBe("futian");
    expect(placeOf(CITY_ID)).toBe(CITY_ID);
    expect(placeOf("no-such-entity")).toBeNull();
  });

  it("every alert is in at most one incident, each incident is one place, two domains or more, links no further apart than the window", () => {
    const entities = ["road-shennan", "futian", "lot-futian-001", "hospital-futian-01", "nanshan", "lot-nanshan-001", "node-nanshan-001", CITY_ID];
    const metrics = ["traffic.congestionIndex", "parking.occupancy", "health.waitMinutes", "broadband.outages"];
    const member = fc.record({ entityId: fc.constantFrom(...entities), metricId: fc.constantFrom(...metrics), severity: fc.constantFrom("info", "warning", "critical" as const), openedTs: fc.integer({ min: 0, max: 120 }).map((m) => at(m)) });
    fc.assert(
      fc.property(fc.array(member, { maxLength: 40 }), (drawn) => {
        const alerts = drawn.map((a, i) => ({ ...a, id: `a${i}` }));
        const byId = new Map(alerts.map((a) => [a.id, a]));
        const incidents = groupIncidents(alerts);
        const ids = incidents.flatMap((i) => i.alertIds);
        expect(new Set(ids).size).toBe(ids.length);
        for (const incident of incidents) {
          const members = incident.alertIds.map((id) => byId.get(id)!);
          expect(new Set(members.map((a) => placeOf(a.entityId)))).toEqual(new Set([incident.placeId]));
          expect(incident.domains.length).toBeGreaterThanOrEqual(2);
          for (let k = 1; k < members.length; k++) expect(members[k]!.openedTs - members[k - 1]!.openedTs).toBeLessThanOrEqual(INCIDENT_WINDOW_MS);
          expect(incident.severity).toBe(members.some((a) => a.severity === "critical") ? "critical" : members.some((a) => a.severity === "warning") ? "warning" : "info");
        }
        // The same alerts in another order give the same incidents.
        expect(groupIncidents(alerts.toReversed())).toEqual(incidents);
      }),
    );
  });
});
