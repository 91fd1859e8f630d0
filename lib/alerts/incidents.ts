/**
 * Incidents (一体运行联动): one event in the city shows up in several domains — an accident
 * gridlocks a road, the car parks around it fill, the nearest hospital fills. Alerts that open
 * in the same place within `windowMs` of the previous one there form a chain; a chain that
 * spans two domains or more is an incident. The window runs from the last alert of the chain,
 * not the first, because a cascade spreads: the car parks fill ten minutes after the road
 * jams, the hospital ten minutes after that.
 *
 * The place is the alert's district (a district alert's own, an entity's district's); alerts on
 * the city as a whole chain with each other only, since a city-wide alert is not evidence that
 * an unrelated district's one belongs to it.
 *
 * Pure: the same alerts always give the same incidents, with the same ids (the id is the first
 * alert's), so every side server and every page agrees on them.
 */
import { CITY_ID, domainOfMetric, entityById, isMetricId, type Domain } from "../catalog";
import { SEVERITIES, type AlertSeverity } from "./rules";

export const INCIDENT_WINDOW_MS = 15 * 60_000;

/** What grouping needs of an alert. */
export interface IncidentMember {
  id: string;
  metricId: string;
  entityId: string;
  severity: AlertSeverity;
  openedTs: number;
}

export interface Incident {
  /** `incident-` and the id of the alert that began it. */
  id: string;
  /** The district, or the city. */
  placeId: string;
  /** Its alerts in the order they opened. */
  alertIds: string[];
  /** The domains in the order the event reached them: the chain an operator reads. */
  domains: Domain[];
  severity: AlertSeverity;
  startTs: number;
  lastOpenedTs: number;
}

/** The district an alert belongs to, the city for a city-wide one; null for an entity nobody knows. */
export function placeOf(entityId: string): string | null {
  if (entityId === CITY_ID) return CITY_ID;
  const entity = entityById(entityId);
  if (!entity) return null;
  return entity.kind === "district" ? entity.id : (entity.districtId ?? null);
}

const worse = (a: AlertSeverity, b: AlertSeverity) => (SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b);

/** The incidents among `alerts` (any order), oldest first. */
export function groupIncidents(alerts: readonly IncidentMember[], windowMs: number = INCIDENT_WINDOW_MS): Incident[] {
  const chains: Incident[] = [];
  const latestChainAt = new Map<string, Incident>();
  for (const alert of alerts.toSorted((a, b) => a.openedTs - b.openedTs || a.id.localeCompare(b.id))) {
    const placeId = placeOf(alert.entityId);
    if (placeId === null || !isMetricId(alert.metricId)) continue;
    const domain = domainOfMetric(alert.metricId);
    const chain = latestChainAt.get(placeId);
    if (chain && alert.openedTs - chain.lastOpenedTs <= windowMs) {
      chain.alertIds.push(alert.id);
      if (!chain.domains.includes(domain)) chain.domains.push(domain);
      chain.severity = worse(chain.severity, alert.severity);
      chain.lastOpenedTs = alert.openedTs;
      continue;
    }
    const begun: Incident = { id: `incident-${alert.id}`, placeId, alertIds: [alert.id], domains: [domain], severity: alert.severity, startTs: alert.openedTs, lastOpenedTs: alert.openedTs };
    chains.push(begun);
    latestChainAt.set(placeId, begun);
  }
  return chains.filter((c) => c.domains.length >= 2);
}
