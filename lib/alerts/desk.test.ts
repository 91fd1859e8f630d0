import { describe, expect, it } from "vitest";
import { deskHref, deskOrder, deskPage, districtOf, parseDeskFilter, stateOf, type DeskAlert } from "./desk";

let n = 0;
function alert(over: Partial<DeskAlert> = {}): DeskAlert {
  n++;
  return {
    id: `a${String(n).padStart(3, "0")}`,
    name: { zh: "道路严重拥堵", en: "Road gridlocked" },
    metricId: "traffic.congestionIndex",
    entityId: "road-shennan",
    severity: "warning",
    openedTs: 1_000 * n,
    acknowledged: null,
    resolved: null,
    ...over,
  };
}

describe("parseDeskFilter / deskHref", () => {
  it("reads repeated and comma-joined values, keeps known ones only, and writes them back canonically", () => {
    const filter = parseDeskFilter({ severity: ["warning", "critical,bogus"], domain: "parking", district: "futian", state: "resolved", q: "  深南  ", page: "3" });
    expect(filter).toEqual({ severities: ["critical", "warning"], domains: ["parking"], district: "futian", states: ["resolved"], text: "深南", page: 3 });
    expect(deskHref(filter, "en")).toBe("/alerts?severity=critical%2Cwarning&domain=parking&district=futian&state=resolved&q=%E6%B7%B1%E5%8D%97&page=3&lang=en");
  });

  it("defaults to every unresolved alert on page 1, and leaves the defaults out of the URL", () => {
    const filter = parseDeskFilter({ district: "atlantis", page: "-2", state: "nope" });
    expect(filter).toEqual({ severities: [], domains: [], district: null, states: ["open", "acknowledged"], text: "", page: 1 });
    expect(deskHref(filter, "zh")).toBe("/alerts");
    expect(deskHref(parseDeskFilter({ page: "1.5" }), "zh")).toBe("/alerts");
  });
});

describe("deskPage", () => {
  it("sorts by severity first, then open before acknowledged before resolved, then newest", () => {
    const oldCritical = alert({ severity: "critical" });
    const ackedCritical = alert({ severity: "critical", acknowledged: { by: "op", comment: null } });
    const newWarning = alert({ severity: "warning" });
    const info = alert({ severity: "info" });
    const newCritical = alert({ severity: "critical" });
    const resolvedCritical = alert({ severity: "critical", resolved: { by: "auto" } });
    const all = [info, newWarning, resolvedCritical, ackedCritical, oldCritical, newCritical];
    const page = deskPage(all, parseDeskFilter({ state: "open,acknowledged,resolved" }));
    expect(page.rows.map((a) => a.id)).toEqual([newCritical, oldCritical, ackedCritical, resolvedCritical, newWarning, info].map((a) => a.id));
    expect([...all].sort(deskOrder)).toEqual(page.rows);
    expect(page.unresolved).toEqual({ critical: 3, warning: 1, info: 1 });
  });

  it("filters by severity, domain, district, state and every word of the text", () => {
    const road = alert({ severity: "critical" });
    const lot = alert({ metricId: "parking.occupancy", entityId: "lot-futian-001", name: { zh: "停车场将满", en: "Car park nearly full" } });
    const hospital = alert({ metricId: "health.waitMinutes", entityId: "hospital-nanshan-01", name: { zh: "医院候诊超长", en: "Long wait" }, acknowledged: { by: "zhang", comment: "已联系医院" } });
    const district = alert({ metricId: "health.connected", entityId: "nanshan", name: { zh: "片区多家医院断连", en: "Hospitals offline" }, resolved: { by: "li" } });
    const all = [road, lot, hospital, district];
    const ids = (query: Record<string, string>) => deskPage(all, parseDeskFilter(query)).rows.map((a) => a.id);
    expect(ids({})).toEqual([road.id, lot.id, hospital.id]);
    expect(ids({ severity: "warning" })).toEqual([lot.id, hospital.id]);
    expect(ids({ domain: "health", state: "open,acknowledged,resolved" })).toEqual([hospital.id, district.id]);
    expect(ids({ district: "futian" })).toEqual([road.id, lot.id]);
    expect(ids({ district: "nanshan", state: "resolved" })).toEqual([district.id]);
    expect(ids({ state: "acknowledged" })).toEqual([hospital.id]);
    expect(ids({ q: "SHENNAN" })).toEqual([road.id]);
    expect(ids({ q: "南山 联系" })).toEqual([hospital.id]);
    expect(ids({ q: "福田 医院" })).toEqual([]);
    expect(districtOf(district)).toBe("nanshan");
    expect(districtOf({ entityId: "shenzhen" })).toBeNull();
    expect(stateOf(district)).toBe("resolved");
  });

  it("pages the kept alerts and shows the last page when fewer remain than the one asked", () => {
    const all = Array.from({ length: 30 }, () => alert());
    const second = deskPage(all, parseDeskFilter({ page: "2" }), 12);
    expect(second).toMatchObject({ total: 30, page: 2, pages: 3 });
    expect(second.rows).toHaveLength(12);
    const beyond = deskPage(all, parseDeskFilter({ page: "9" }), 12);
    expect(beyond).toMatchObject({ page: 3, pages: 3 });
    expect(beyond.rows).toHaveLength(6);
    expect(deskPage([], parseDeskFilter({ page: "4" }))).toMatchObject({ rows: [], total: 0, page: 1, pages: 1 });
  });
});
