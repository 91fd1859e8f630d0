import { describe, expect, it } from "vitest";
import { ENTITIES, metricById, type MetricDefinition } from "../catalog";
import type { SeverityLevel } from "../charts/severity";
import { DEFAULT_RULES, seriesLevels, type AlertRule } from "./rules";

const metric = (id: string) => metricById(id) as MetricDefinition;
const hospital = ENTITIES.find((e) => e.kind === "hospital" && e.districtId === "nanshan")!;
const centre = ENTITIES.find((e) => e.kind === "healthCentre")!;
const lot = ENTITIES.find((e) => e.kind === "lot" && e.districtId === "futian")!;
// hospital-offline is a warning: one hospital down; three in a district is district-hospitals-offline's critical, which marks no single hospital.
const offline: SeverityLevel = { severity: "warning", direction: "below", value: 0 };
const occupancy: SeverityLevel[] = [
  { severity: "warning", direction: "above", value: 85 },
  { severity: "critical", direction: "above", value: 95 },
];

describe("seriesLevels: one source of thresholds, the catalog's and the rules'", () => {
  const disabled = (id: string): AlertRule[] => DEFAULT_RULES.map((r) => (r.id === id ? { ...r, enabled: false } : r));
  it.each<[string, string, string, readonly AlertRule[], SeverityLevel[]]>([
    ["a hospital's link: the hospital-offline rule", "health.connected", hospital.id, DEFAULT_RULES, [offline]],
    ["the rule disabled: nothing", "health.connected", hospital.id, disabled("hospital-offline"), []],
    ["a health centre: no rule watches it", "health.connected", centre.id, DEFAULT_RULES, []],
    ["the city's count: no rule watches it", "health.connected", "shenzhen", DEFAULT_RULES, []],
    ["a lot's occupancy: the catalog's two (district-lots-full counts lots, it marks none)", "parking.occupancy", lot.id, DEFAULT_RULES, occupancy],
    ["a per-lot rule of an operator's adds its level", "parking.occupancy", lot.id, [{ ...DEFAULT_RULES[0]!, id: "my-lot-full", metricId: "parking.occupancy", kind: "lot", direction: "above", threshold: 97, clearAt: 90, severity: "critical" }], [...occupancy, { severity: "critical", direction: "above", value: 97 }]],
    ["no rules at all: the catalog's", "parking.occupancy", lot.id, [], occupancy],
    ["an info rule marks nothing", "health.connected", hospital.id, DEFAULT_RULES.map((r) => (r.id === "hospital-offline" ? { ...r, severity: "info" as const } : r)), []],
  ])("%s", (_case, metricId, entityId, rules, expected) => {
    expect(seriesLevels(metric(metricId), entityId, rules)).toEqual(expected);
  });
});
