/**
 * What an alert feed shows when more is open than fits: worst first, alike alerts as one row,
 * every critical in sight, and the rest counted rather than cut.
 *
 * Order: severity, then unacknowledged before acknowledged, then newest first. Warnings and
 * info of one rule in one district collapse into one row with a count and the worst value;
 * a critical keeps a row of its own while the criticals fit, and is grouped only when they
 * do not (a group still names the rule, the district and how many).
 */
import { CITY_ID, entityById, metricById, type Domain } from "../catalog";
import { incidentsOf, type Incident } from "./incidents";
import type { TAlert } from "../realtime/protocol";

export type Severity = TAlert["severity"];
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];
const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export interface FeedRow {
  /** Stable across announcements: the alert's id, or the group's rule, district and acknowledgement. */
  key: string;
  severity: Severity;
  /** Every acknowledged (a row never mixes acknowledged and unacknowledged alerts). */
  acknowledged: boolean;
  /** The member with the worst value, whose value the row shows. */
  worst: TAlert;
  /** Its alerts, newest first; one for a single alert. */
  members: TAlert[];
  /** The district the members are in (the entity itself for a district's alert); null for the city. */
  districtId: string | null;
  /** The newest member's opening time. */
  openedTs: number;
  /** An incident's row (lib/alerts/incidents.ts): one event across domains, in the order it reached them. */
  incident: { id: string; domains: Domain[] } | null;
}

export interface FittedFeed {
  rows: FeedRow[];
  /** Alerts in no shown row, by severity. */
  hidden: Record<Severity, number>;
}

export function districtOf(alert: Pick<TAlert, "entityId">): string | null {
  const entity = entityById(alert.entityId);
  return entity?.kind === "district" ? entity.id : (entity?.districtId ?? null);
}

/** A counting rule's value is how many breached, the more the worse; otherwise the metric says which way is worse. */
function worseFirst(a: TAlert, b: TAlert): number {
  const below = !a.counted && metricById(a.metricId)?.thresholds?.direction === "below";
  return below ? a.triggerValue - b.triggerValue : b.triggerValue - a.triggerValue;
}

/** Code-unit order for a stable tie-break (not the locale's). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const newestFirst = (a: TAlert, b: TAlert) => b.openedTs - a.openedTs || byText(a.id, b.id);

function rowOf(key: string, members: TAlert[]): FeedRow {
  const sorted = members.toSorted(newestFirst);
  const first = sorted[0]!;
  return {
    key,
    severity: first.severity,
    acknowledged: first.acknowledged !== null,
    worst: members.toSorted((a, b) => worseFirst(a, b) || newestFirst(a, b))[0]!,
    members: sorted,
    districtId: districtOf(first),
    openedTs: first.openedTs,
    incident: null,
  };
}

/** An incident as one row: as bad as its worst alert, acknowledged when all of them are, named by its worst. */
function incidentRow(incident: Incident, members: TAlert[]): FeedRow {
  const sorted = members.toSorted(newestFirst);
  return {
    key: `incident|${incident.id}`,
    severity: incident.severity,
    acknowledged: members.every((a) => a.acknowledged !== null),
    worst: members.toSorted((a, b) => RANK[a.severity] - RANK[b.severity] || worseFirst(a, b) || newestFirst(a, b))[0]!,
    members: sorted,
    districtId: incident.placeId === CITY_ID ? null : incident.placeId,
    openedTs: sorted[0]!.openedTs,
    incident: { id: incident.id, domains: incident.domains },
  };
}

function byFeedOrder(a: FeedRow, b: FeedRow): number {
  return RANK[a.severity] - RANK[b.severity] || Number(a.acknowledged) - Number(b.acknowledged) || b.openedTs - a.openedTs || byText(a.key, b.key);
}

/** The key of the group an alert belongs to: one rule, one district, one acknowledgement state. */
export function groupKey(alert: TAlert): string {
  return `${alert.ruleId}|${districtOf(alert) ?? alert.entityId}|${alert.acknowledged ? "acked" : "open"}`;
}

/** Every open alert in feed order, those of `grouped` severities collapsed by rule and district (exported for a desk that lists a group's members). */
export function feedRows(alerts: readonly TAlert[], grouped: readonly Severity[] = ["warning", "info"]): FeedRow[] {
  const groups = new Map<string, TAlert[]>();
  const rows: FeedRow[] = [];
  // An event that reached several domains is one row, whatever its alerts' rules and severities.
  const incidentOf = new Map(incidentsOf(alerts).flatMap((incident) => incident.alertIds.map((id) => [id, incident] as const)));
  const incidentMembers = new Map<Incident, TAlert[]>();
  for (const alert of alerts) {
    const incident = incidentOf.get(alert.id);
    if (incident) {
      incidentMembers.set(incident, [...(incidentMembers.get(incident) ?? []), alert]);
      continue;
    }
    if (!grouped.includes(alert.severity)) {
      rows.push(rowOf(alert.id, [alert]));
      continue;
    }
    const key = `${alert.severity}|${groupKey(alert)}`;
    const members = groups.get(key);
    if (members) members.push(alert);
    else groups.set(key, [alert]);
  }
  for (const [key, members] of groups) rows.push(members.length === 1 ? rowOf(members[0]!.id, members) : rowOf(key, members));
  for (const [incident, members] of incidentMembers) rows.push(incidentRow(incident, members));
  return rows.sort(byFeedOrder);
}

const count = (rows: readonly FeedRow[]) => {
  const hidden: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const row of rows) for (const member of row.members) hidden[member.severity]++;
  return hidden;
};

/**
 * The rows that fit in `capacity` lines (a line goes to the count of the rest when anything is
 * left out). Criticals come first and each keeps a row while they fit; when they do not, they
 * are grouped too, and only when even the groups do not fit is a critical counted instead of shown.
 */
export function fitFeed(alerts: readonly TAlert[], capacity: number): FittedFeed {
  const lines = Math.max(1, Math.floor(capacity));
  let rows = feedRows(alerts);
  if (rows.length <= lines) return { rows, hidden: count([]) };
  const room = lines - 1;
  const criticals = rows.filter((r) => r.severity === "critical").length;
  if (criticals > room) rows = feedRows(alerts, SEVERITIES);
  const shown = rows.slice(0, Math.max(room, 0));
  return { rows: shown, hidden: count(rows.slice(shown.length)) };
}

/**
 * At most `max` of `alerts`, in their order: when more are open than a client is sent, the
 * criticals are kept before any warning and the warnings before any info, so a flood of
 * newer warnings never pushes a critical off every wall.
 */
export function worstKept<T extends { severity: Severity }>(alerts: readonly T[], max: number): T[] {
  if (alerts.length <= max) return [...alerts];
  const kept = new Set(alerts.toSorted((a, b) => RANK[a.severity] - RANK[b.severity]).slice(0, max));
  return alerts.filter((a) => kept.has(a));
}
