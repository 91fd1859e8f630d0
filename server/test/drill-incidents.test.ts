/**
 * Each drill produces the incident its description tells (lib/sim/scenarios.ts): the alerts the
 * default rules open during it, grouped as the product groups them (lib/alerts/incidents.ts),
 * include one incident in the drill's district reaching the drill's domains in order. Fed at ×1,
 * the default speed, through the real engine (simulated-feed.ts), from 20 minutes before the
 * drill until the incident is whole.
 *
 * The typhoon is not here: it is city-wide, and its alerts (the city's outage surge, then roads
 * gridlocked across districts an hour later) are no one place's chain.
 */
import { describe, expect, it } from "vitest";
import type { AlertEvent } from "@/lib/alerts/engine";
import { groupIncidents, type Incident, type IncidentMember } from "@/lib/alerts/incidents";
import type { Domain } from "@/lib/catalog";
import { SCENARIOS, type ActiveDrill, type ScenarioId } from "@/lib/sim/scenarios";
import { DRILL_AT, feed, local } from "./simulated-feed";

const DAY = "2026-11-25";
const DESCRIBED: Partial<Record<ScenarioId, { placeId: string; domains: Domain[] }>> = {
  // 深南大道封闭，拥堵蔓延 … 福田停车场趋满
  "accident-shennan": { placeId: "futian", domains: ["traffic", "parking"] },
  // 南山区大部分接入节点离线，区内医疗机构健康信息网断连
  "fiber-cut-nanshan": { placeId: "nanshan", domains: ["health", "broadband"] },
  // 福田最大公立医院就诊量与候诊时长激增，周边道路拥堵
  "hospital-surge": { placeId: "futian", domains: ["health", "traffic"] },
};

describe("each drill produces the incident it describes", () => {
  for (const [scenarioId, described] of Object.entries(DESCRIBED) as [ScenarioId, { placeId: string; domains: Domain[] }][]) {
    it(`${scenarioId}: one incident in ${described.placeId}, ${described.domains.join(" → ")}`, () => {
      const startMs = local(DAY, DRILL_AT[scenarioId]);
      const drill: ActiveDrill = { id: "drill", scenarioId, startMs, endMs: startMs + SCENARIOS[scenarioId].defaultMinutes * 60_000 };
      const opened: IncidentMember[] = [];
      let incident: Incident | undefined;
      feed(startMs - 20 * 60_000, drill.endMs, 1, [drill], (events: AlertEvent[]) => {
        for (const e of events) if (e.type === "open") opened.push({ id: `${e.ruleId}|${e.entityId}|${e.at}`, metricId: e.metricId, entityId: e.entityId, severity: e.severity, openedTs: e.at });
        incident = groupIncidents(opened).find((i) => i.placeId === described.placeId && described.domains.every((d) => i.domains.includes(d)));
        return incident !== undefined;
      });
      console.log(`${scenarioId}: ${opened.length} alerts opened, incidents ${JSON.stringify(groupIncidents(opened).map((i) => ({ place: i.placeId, domains: i.domains, alerts: i.alertIds.length, minutesIn: (i.startTs - startMs) / 60_000 })))}`);
      expect(incident, `an incident in ${described.placeId} across ${described.domains.join(", ")}`).toBeDefined();
      expect(incident!.domains.filter((d) => described.domains.includes(d))).toEqual(described.domains);
      // The drill's doing: it began after the drill started.
      expect(incident!.startTs).toBeGreaterThanOrEqual(startMs);
    }, 300_000);
  }
});
