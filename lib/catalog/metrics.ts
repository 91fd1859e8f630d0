/**
 * The one catalog of metrics. Simulator, pipeline, database, charts and tests all
 * read it; nothing else lists metric ids, units or ranges.
 */

export const DOMAINS = ["traffic", "parking", "health", "broadband"] as const;
export type Domain = (typeof DOMAINS)[number];

import type { EntityKind } from "./city";

export interface Text {
  zh: string;
  en: string;
}

export interface Thresholds {
  /** "above": larger is worse (congestion); "below": smaller is worse (speed). */
  direction: "above" | "below";
  warning: number;
  critical: number;
}

export interface MetricDefinition {
  id: string;
  domain: Domain;
  label: Text;
  unit: Text;
  /** Entity kinds this metric is measured on. */
  entityKinds: readonly EntityKind[];
  /** Physically plausible range for any entity it is measured on, the city included. */
  range: { min: number; max: number };
  /** How the city value relates to the districts' values. */
  cityAggregate: "sum" | "weighted-mean";
  decimals: number;
  thresholds?: Thresholds;
  /**
   * A count of things or an on/off state (1 online, 0 not): it holds its value until the
   * next report and changes in jumps, so charts draw it as steps, never as a slope.
   */
  discrete?: true;
}

const CITY_AND_DISTRICTS = ["city", "district"] as const;
const ROADS_TOO = ["city", "district", "road"] as const;
const LOTS_TOO = ["city", "district", "lot"] as const;
const INSTITUTIONS_TOO = ["city", "district", "hospital", "healthCentre"] as const;
const NODES_TOO = ["city", "district", "accessNode"] as const;

export const METRICS = [
  {
    id: "traffic.congestionIndex",
    domain: "traffic",
    label: { zh: "交通拥堵指数", en: "Congestion index" },
    unit: { zh: "", en: "" },
    entityKinds: ROADS_TOO,
    range: { min: 0, max: 10 },
    cityAggregate: "weighted-mean",
    decimals: 1,
    thresholds: { direction: "above", warning: 6, critical: 8 },
  },
  {
    id: "traffic.avgSpeed",
    domain: "traffic",
    label: { zh: "平均车速", en: "Average speed" },
    unit: { zh: "km/h", en: "km/h" },
    entityKinds: ROADS_TOO,
    range: { min: 0, max: 120 },
    cityAggregate: "weighted-mean",
    decimals: 1,
    thresholds: { direction: "below", warning: 25, critical: 15 },
  },
  {
    id: "traffic.flow",
    domain: "traffic",
    label: { zh: "道路车流量", en: "Traffic flow" },
    unit: { zh: "辆/时", en: "veh/h" },
    entityKinds: ROADS_TOO,
    range: { min: 0, max: 500_000 },
    cityAggregate: "sum",
    decimals: 0,
  },
  {
    id: "traffic.incidents",
    domain: "traffic",
    label: { zh: "在途交通事件", en: "Open incidents" },
    unit: { zh: "起", en: "" },
    entityKinds: CITY_AND_DISTRICTS,
    range: { min: 0, max: 200 },
    cityAggregate: "sum",
    decimals: 0,
    discrete: true,
  },
  {
    id: "parking.freeSpaces",
    domain: "parking",
    label: { zh: "空闲泊位", en: "Free spaces" },
    unit: { zh: "个", en: "spaces" },
    entityKinds: LOTS_TOO,
    range: { min: 0, max: 400_000 },
    cityAggregate: "sum",
    decimals: 0,
    discrete: true,
  },
  {
    id: "parking.occupancy",
    domain: "parking",
    label: { zh: "泊位占用率", en: "Occupancy" },
    unit: { zh: "%", en: "%" },
    entityKinds: LOTS_TOO,
    range: { min: 0, max: 100 },
    cityAggregate: "weighted-mean",
    decimals: 1,
    thresholds: { direction: "above", warning: 85, critical: 95 },
  },
  {
    id: "parking.lotsOnline",
    domain: "parking",
    label: { zh: "联网停车场", en: "Networked lots online" },
    unit: { zh: "个", en: "lots" },
    entityKinds: CITY_AND_DISTRICTS,
    range: { min: 0, max: 1_000 },
    cityAggregate: "sum",
    decimals: 0,
    discrete: true,
  },
  {
    id: "health.connected",
    domain: "health",
    label: { zh: "在线医疗机构", en: "Institutions online" },
    unit: { zh: "家", en: "" },
    entityKinds: INSTITUTIONS_TOO,
    range: { min: 0, max: 500 },
    cityAggregate: "sum",
    decimals: 0,
    discrete: true,
  },
  {
    id: "health.visits",
    domain: "health",
    label: { zh: "门急诊量", en: "Outpatient visits" },
    unit: { zh: "人次/时", en: "visits/h" },
    entityKinds: INSTITUTIONS_TOO,
    range: { min: 0, max: 100_000 },
    cityAggregate: "sum",
    decimals: 0,
  },
  {
    id: "health.waitMinutes",
    domain: "health",
    label: { zh: "平均候诊时长", en: "Average wait" },
    unit: { zh: "分钟", en: "min" },
    entityKinds: INSTITUTIONS_TOO,
    range: { min: 0, max: 240 },
    cityAggregate: "weighted-mean",
    decimals: 0,
    thresholds: { direction: "above", warning: 40, critical: 60 },
  },
  {
    id: "broadband.downloadMbps",
    domain: "broadband",
    label: { zh: "平均下载速率", en: "Avg download speed" },
    unit: { zh: "Mbps", en: "Mbps" },
    entityKinds: NODES_TOO,
    range: { min: 0, max: 2_000 },
    cityAggregate: "weighted-mean",
    decimals: 0,
    thresholds: { direction: "below", warning: 150, critical: 80 },
  },
  {
    id: "broadband.backboneTbps",
    domain: "broadband",
    label: { zh: "骨干网流量", en: "Backbone traffic" },
    unit: { zh: "Tbps", en: "Tbps" },
    entityKinds: CITY_AND_DISTRICTS,
    range: { min: 0, max: 100 },
    cityAggregate: "sum",
    decimals: 2,
  },
  {
    id: "broadband.ftthHouseholds",
    domain: "broadband",
    label: { zh: "光纤入户", en: "FTTH households" },
    unit: { zh: "万户", en: "10k households" },
    entityKinds: CITY_AND_DISTRICTS,
    range: { min: 0, max: 2_000 },
    cityAggregate: "sum",
    decimals: 1,
    discrete: true,
  },
  {
    id: "broadband.nodesOnline",
    domain: "broadband",
    label: { zh: "在线接入节点", en: "Access nodes online" },
    unit: { zh: "个", en: "nodes" },
    entityKinds: CITY_AND_DISTRICTS,
    range: { min: 0, max: 1_000 },
    cityAggregate: "sum",
    decimals: 0,
    discrete: true,
  },
  {
    id: "broadband.outages",
    domain: "broadband",
    label: { zh: "网络故障", en: "Network outages" },
    unit: { zh: "起", en: "" },
    entityKinds: CITY_AND_DISTRICTS,
    range: { min: 0, max: 200 },
    cityAggregate: "sum",
    decimals: 0,
    discrete: true,
  },
] as const satisfies readonly MetricDefinition[];

export type MetricId = (typeof METRICS)[number]["id"];

const byId: ReadonlyMap<string, MetricDefinition> = new Map(METRICS.map((m) => [m.id, m]));

export function metricById(id: string): MetricDefinition | undefined {
  return byId.get(id);
}

export function isMetricId(id: string): id is MetricId {
  return byId.has(id);
}

export function metricsOf(domain: Domain): MetricDefinition[] {
  return METRICS.filter((m) => m.domain === domain);
}

/** The metrics measured on an entity of this kind. */
export function metricsOfKind(kind: EntityKind): MetricDefinition[] {
  return METRICS.filter((m) => (m.entityKinds as readonly EntityKind[]).includes(kind));
}

export function domainOfMetric(id: MetricId): Domain {
  // Every MetricId is in the map by construction.
  return (byId.get(id) as MetricDefinition).domain;
}
