/**
 * Drill scenarios: named incidents a trainer can start. Each has a course (ramp in,
 * hold, ramp out) and turns into Effects the simulator applies on top of the normal
 * city; when it ends, its effects are exactly zero again.
 */
import { DISTRICTS, ENTITIES, ROADS, type Text } from "../catalog";

export const SCENARIO_IDS = ["accident-shennan", "fiber-cut-nanshan", "hospital-surge", "typhoon"] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface ScenarioDefinition {
  id: ScenarioId;
  name: Text;
  description: Text;
  defaultMinutes: number;
  /** Shares of the duration spent ramping in and out (a cable cut is abrupt, a typhoon is not). */
  rampIn: number;
  rampOut: number;
}

/** One drill running (or scheduled) in simulated time. */
export interface ActiveDrill {
  id: string;
  scenarioId: ScenarioId;
  startMs: number;
  endMs: number;
}

/** What the running drills change, at one instant. Absent keys mean no change. */
export interface Effects {
  districtCongestion: Map<string, number>;
  roadCongestion: Map<string, number>;
  /** Multiplies traffic flow everywhere (people stay home in a typhoon). */
  flowFactor: number;
  speedFactor: number;
  parkingFill: Map<string, number>;
  incidents: Map<string, number>;
  /** Share (0–1) of a district's access nodes / health institutions cut off. */
  nodeOutage: Map<string, number>;
  institutionOutage: Map<string, number>;
  outages: Map<string, number>;
  /** Multipliers on one institution's visits and waits, by entity id. */
  visitsFactor: Map<string, number>;
  waitFactor: Map<string, number>;
  clinicFactor: number;
  broadbandDemand: number;
}

export const SCENARIOS: Record<ScenarioId, ScenarioDefinition> = {
  "accident-shennan": {
    id: "accident-shennan",
    name: { zh: "深南大道交通事故", en: "Accident blocking Shennan Blvd" },
    description: { zh: "深南大道封闭，拥堵蔓延至北环、滨海、红荔、新洲，福田、南山停车场趋满", en: "Shennan Blvd blocked; congestion spreads to neighbouring roads, nearby car parks fill" },
    defaultMinutes: 45,
    rampIn: 0.08,
    rampOut: 0.25,
  },
  "fiber-cut-nanshan": {
    id: "fiber-cut-nanshan",
    name: { zh: "南山光缆中断", en: "Fibre cut in Nanshan" },
    description: { zh: "南山区大部分接入节点离线，区内医疗机构健康信息网断连", en: "Most Nanshan access nodes drop; health institutions there lose their link" },
    defaultMinutes: 60,
    rampIn: 0.02,
    rampOut: 0.1,
  },
  "hospital-surge": {
    id: "hospital-surge",
    name: { zh: "医院就诊激增", en: "Hospital surge" },
    description: { zh: "福田最大公立医院就诊量与候诊时长激增，周边道路拥堵", en: "Futian's largest hospital: visits and waits climb, nearby roads congest" },
    defaultMinutes: 90,
    rampIn: 0.2,
    rampOut: 0.3,
  },
  typhoon: {
    id: "typhoon",
    name: { zh: "台风过境", en: "Typhoon" },
    description: { zh: "全市车流减少、车速下降，沿海接入节点故障，居家上网激增，门诊量下降", en: "City-wide: less traffic and slower, coastal network faults, home internet surges, fewer clinic visits" },
    defaultMinutes: 360,
    rampIn: 0.25,
    rampOut: 0.3,
  },
};

/** The hospital the surge drill hits: Futian's largest, found once from the catalog. */
export const SURGE_HOSPITAL_ID: string = ENTITIES.filter((e) => e.kind === "hospital" && e.districtId === "futian")
  .toSorted((a, b) => (b.capacity ?? 0) - (a.capacity ?? 0))[0]?.id ?? "";

export function isScenarioId(id: string): id is ScenarioId {
  return (SCENARIO_IDS as readonly string[]).includes(id);
}

/** 0 before and after the drill, rising to 1 and falling back along its ramps. */
export function intensity(drill: ActiveDrill, timeMs: number): number {
  if (timeMs < drill.startMs || timeMs >= drill.endMs) return 0;
  const scenario = SCENARIOS[drill.scenarioId];
  const duration = drill.endMs - drill.startMs;
  const elapsed = (timeMs - drill.startMs) / duration;
  if (elapsed < scenario.rampIn) return elapsed / scenario.rampIn;
  if (elapsed > 1 - scenario.rampOut) return (1 - elapsed) / scenario.rampOut;
  return 1;
}

function emptyEffects(): Effects {
  return {
    districtCongestion: new Map(),
    roadCongestion: new Map(),
    flowFactor: 1,
    speedFactor: 1,
    parkingFill: new Map(),
    incidents: new Map(),
    nodeOutage: new Map(),
    institutionOutage: new Map(),
    outages: new Map(),
    visitsFactor: new Map(),
    waitFactor: new Map(),
    clinicFactor: 1,
    broadbandDemand: 0,
  };
}

const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);
const multiply = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 1) * value);

function apply(e: Effects, scenario: ScenarioId, i: number): void {
  switch (scenario) {
    case "accident-shennan": {
      add(e.roadCongestion, "road-shennan", 6.5 * i);
      for (const id of ROADS.find((r) => r.id === "road-shennan")?.neighbours ?? []) add(e.roadCongestion, id, 3 * i);
      add(e.districtCongestion, "futian", 2 * i);
      add(e.districtCongestion, "nanshan", 1.2 * i);
      add(e.districtCongestion, "luohu", 0.8 * i);
      add(e.parkingFill, "futian", 0.5 * i);
      add(e.parkingFill, "nanshan", 0.08 * i);
      add(e.incidents, "futian", 1);
      return;
    }
    case "fiber-cut-nanshan":
      add(e.nodeOutage, "nanshan", 0.75 * i);
      add(e.institutionOutage, "nanshan", 0.7 * i);
      add(e.outages, "nanshan", Math.ceil(8 * i));
      return;
    case "hospital-surge":
      multiply(e.visitsFactor, SURGE_HOSPITAL_ID, 1 + 1.5 * i);
      multiply(e.waitFactor, SURGE_HOSPITAL_ID, 1 + 2.5 * i);
      add(e.roadCongestion, "road-huanggang", 4.5 * i);
      add(e.roadCongestion, "road-shennan", 0.8 * i);
      add(e.districtCongestion, "futian", 0.5 * i);
      return;
    case "typhoon":
      e.flowFactor *= 1 - 0.5 * i;
      e.speedFactor *= 1 - 0.35 * i;
      e.clinicFactor *= 1 - 0.5 * i;
      e.broadbandDemand += 0.35 * i;
      for (const d of DISTRICTS) {
        add(e.districtCongestion, d.id, 1.2 * i);
        add(e.nodeOutage, d.id, (d.profile === "coastal" ? 0.35 : 0.1) * i);
        add(e.outages, d.id, Math.ceil(2 * i));
        if (d.profile === "residential") add(e.parkingFill, d.id, 0.06 * i);
      }
      return;
  }
}

/** The combined effects of every drill running at `timeMs`. */
export function effectsAt(drills: readonly ActiveDrill[], timeMs: number): Effects {
  const effects = emptyEffects();
  for (const drill of drills) {
    const i = intensity(drill, timeMs);
    if (i > 0) apply(effects, drill.scenarioId, i);
  }
  return effects;
}
