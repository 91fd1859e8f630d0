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
import { CITY_ID, domainOfMetric, entityById, isMetricId, type Domain, type MetricId } from "../catalog";
import type { TAlert } from "../realtime/protocol";

// Not ./rules: the wall's feed groups incidents, and the rules' schemas would bring zod (and its eval probe, which
// the CSP refuses) into the wall's bundle.
type AlertSeverity = TAlert["severity"];
const SEVERITIES: readonly AlertSeverity[] = ["info", "warning", "critical"];

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

/** What joining a chain needs of an alert opened before. */
export interface Chained {
  entityId: string;
  openedTs: number;
  incidentId: string | null;
}

/**
 * The incident an alert opening now belongs to: that of the newest alert opened in its place
 * within the window before it, else a new one of its own. The side server stores it with the
 * alert when it opens (server/alerts.ts), so every list and every wall groups alike. An
 * operator may merge, split and close incidents afterwards (lib/db/incidents.ts).
 */
export function incidentIdFor(alert: { id: string; entityId: string; openedTs: number }, earlier: readonly Chained[], windowMs: number = INCIDENT_WINDOW_MS, isClosed: (incidentId: string) => boolean = () => false): string {
  const placeId = placeOf(alert.entityId);
  let previous: Chained | undefined;
  if (placeId !== null) {
    for (const e of earlier) {
      if (e.incidentId === null || e.openedTs > alert.openedTs || alert.openedTs - e.openedTs > windowMs || placeOf(e.entityId) !== placeId) continue;
      if (!previous || e.openedTs > previous.openedTs) previous = e;
    }
  }
  // An incident an operator closed takes no more alerts: what follows is another event.
  return previous?.incidentId && !isClosed(previous.incidentId) ? previous.incidentId : `incident-${alert.id}`;
}

/** The incidents among alerts that carry their incident id: those spanning two domains or more, oldest first. */
export function incidentsOf(alerts: readonly (IncidentMember & { incidentId?: string | null | undefined })[]): Incident[] {
  const byIncident = new Map<string, IncidentMember[]>();
  for (const alert of alerts) {
    if (!alert.incidentId || !isMetricId(alert.metricId)) continue;
    byIncident.set(alert.incidentId, [...(byIncident.get(alert.incidentId) ?? []), alert]);
  }
  const incidents: Incident[] = [];
  for (const [id, members] of byIncident) {
    const ordered = members.toSorted((a, b) => a.openedTs - b.openedTs || a.id.localeCompare(b.id));
    const domains = [...new Set(ordered.map((a) => domainOfMetric(a.metricId as MetricId)))];
    if (domains.length < 2) continue;
    incidents.push({
      id,
      placeId: placeOf(ordered[0]!.entityId) ?? CITY_ID,
      alertIds: ordered.map((a) => a.id),
      domains,
      severity: ordered.map((a) => a.severity).reduce(worse),
      startTs: ordered[0]!.openedTs,
      lastOpenedTs: ordered.at(-1)!.openedTs,
    });
  }
  return incidents.sort((a, b) => a.startTs - b.startTs || a.id.localeCompare(b.id));
}

/** The incidents among `alerts` (any order) as the side server would have grouped them opening one by one. */
export function groupIncidents(alerts: readonly IncidentMember[], windowMs: number = INCIDENT_WINDOW_MS): Incident[] {
  const chained: (IncidentMember & Chained)[] = [];
  for (const alert of alerts.toSorted((a, b) => a.openedTs - b.openedTs || a.id.localeCompare(b.id))) {
    chained.push({ ...alert, incidentId: incidentIdFor(alert, chained, windowMs) });
  }
  return incidentsOf(chained);
}
