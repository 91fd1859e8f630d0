/** Alert rules and alerts as persisted: the rule table (seeded with the defaults) and every alert's lifecycle. */
import { DEFAULT_RULES, ZAlertRule, type AlertPeriod, type AlertRule, type AlertSeverity } from "../alerts/rules";
import type { OpenAlert } from "../alerts/engine";
import type { Chained } from "../alerts/incidents";
import { ENTITY_KINDS, type EntityKind, type Text } from "../catalog";
import type { TAlert } from "../realtime/protocol";
import type { Database } from "./client";

export interface AlertRecord {
  id: string;
  ruleId: string;
  metricId: string;
  entityId: string;
  severity: AlertSeverity;
  sinceTs: number;
  openedTs: number;
  triggerValue: number;
  peakValue: number;
  acknowledgedTs: number | null;
  acknowledgedBy: string | null;
  ackComment: string | null;
  resolvedTs: number | null;
  resolvedBy: string | null;
  /** What the operator who resolved it by hand said. */
  resolveComment: string | null;
  /** A counting rule's alert: its values are how many entities of this kind breached. */
  counted: EntityKind | null;
  /** Its incident (lib/alerts/incidents.ts); null for alerts stored before incidents. */
  incidentId: string | null;
}

type RuleRow = Awaited<ReturnType<Database["alertRule"]["findMany"]>>[number];
type AlertRow = Awaited<ReturnType<Database["alert"]["findMany"]>>[number];

const toRule = (r: RuleRow): AlertRule =>
  ZAlertRule.parse({
    id: r.id,
    name: { zh: r.nameZh, en: r.nameEn },
    metricId: r.metricId,
    scope: r.scope,
    ...(r.kind ? { kind: r.kind } : {}),
    direction: r.direction,
    threshold: r.threshold,
    clearAt: r.clearAt,
    forSeconds: r.forSeconds,
    severity: r.severity,
    enabled: r.enabled,
    ...(r.atLeast === null ? {} : { atLeast: r.atLeast }),
    ...(r.atLeastPercent === null ? {} : { atLeastPercent: r.atLeastPercent }),
  });

const ruleRow = (r: AlertRule): RuleRow => ({
  id: r.id,
  nameZh: r.name.zh,
  nameEn: r.name.en,
  metricId: r.metricId,
  scope: r.scope,
  kind: r.kind ?? null,
  direction: r.direction,
  threshold: r.threshold,
  clearAt: r.clearAt,
  forSeconds: r.forSeconds,
  severity: r.severity,
  enabled: r.enabled,
  atLeast: r.atLeast ?? null,
  atLeastPercent: r.atLeastPercent ?? null,
});

const isEntityKind = (kind: string): kind is EntityKind => (ENTITY_KINDS as readonly string[]).includes(kind);
const time = (d: Date | null) => (d === null ? null : d.getTime());
const toAlert = (a: AlertRow): AlertRecord => ({
  ...a,
  severity: a.severity as AlertSeverity,
  counted: a.counted !== null && isEntityKind(a.counted) ? a.counted : null,
  sinceTs: a.sinceTs.getTime(),
  openedTs: a.openedTs.getTime(),
  acknowledgedTs: time(a.acknowledgedTs),
  resolvedTs: time(a.resolvedTs),
});

/** The rules; an empty table is seeded with the defaults first (a first start). */
export async function loadRules(db: Database): Promise<AlertRule[]> {
  if ((await db.alertRule.count()) === 0) await db.alertRule.createMany({ data: DEFAULT_RULES.map(ruleRow) });
  return (await db.alertRule.findMany({ orderBy: { id: "asc" } })).map(toRule);
}

export async function saveRule(db: Database, rule: AlertRule): Promise<void> {
  const row = ruleRow(rule);
  await db.alertRule.upsert({ where: { id: rule.id }, create: row, update: row });
}

export async function deleteRule(db: Database, id: string): Promise<boolean> {
  return (await db.alertRule.deleteMany({ where: { id } })).count > 0;
}

export async function insertAlert(db: Database, alert: Omit<AlertRecord, "acknowledgedTs" | "acknowledgedBy" | "ackComment" | "resolvedTs" | "resolvedBy" | "resolveComment" | "counted" | "incidentId"> & { counted?: EntityKind | null; incidentId?: string | null }): Promise<void> {
  await db.alert.create({ data: { ...alert, sinceTs: new Date(alert.sinceTs), openedTs: new Date(alert.openedTs) } });
}

/** Resolves the unresolved alert of (rule, entity); false when there is none. */
export async function resolveAlert(db: Database, ruleId: string, entityId: string, atMs: number, peak: number, by: string): Promise<boolean> {
  const { count } = await db.alert.updateMany({ where: { ruleId, entityId, resolvedTs: null }, data: { resolvedTs: new Date(atMs), resolvedBy: by, peakValue: peak } });
  return count > 0;
}

// Newest first; alerts opened at the same instant (one tick opens many) by entity, then id. Without
// the tie-breakers the order of ties is whatever the database's sort gives (SQLite's happens to be
// insertion order, PostgreSQL's is not stable), and the 200 alerts on the wire would change
// from one announcement to the next.
const NEWEST_FIRST = [{ openedTs: "desc" as const }, { entityId: "asc" as const }, { id: "asc" as const }];

/** Alerts not yet resolved, newest first. */
export async function unresolvedAlerts(db: Database): Promise<AlertRecord[]> {
  return (await db.alert.findMany({ where: { resolvedTs: null }, orderBy: NEWEST_FIRST })).map(toAlert);
}

/**
 * Alerts open at some instant of [from, to): opened before `to` and not resolved by `from`,
 * newest first, at most `limit` (what a replay of that window shows, as it happened).
 */
export async function alertsOverlapping(db: Database, q: { from: number; to: number; limit: number }): Promise<AlertRecord[]> {
  const rows = await db.alert.findMany({
    where: { openedTs: { lt: new Date(q.to) }, OR: [{ resolvedTs: null }, { resolvedTs: { gt: new Date(q.from) } }] },
    orderBy: NEWEST_FIRST,
    take: q.limit,
  });
  return rows.map(toAlert);
}

/** Every rule's name by id (an alert is shown under its rule's name). */
export async function ruleNames(db: Database): Promise<Map<string, Text>> {
  const rows = await db.alertRule.findMany({ select: { id: true, nameZh: true, nameEn: true } });
  return new Map(rows.map((r) => [r.id, { zh: r.nameZh, en: r.nameEn }]));
}

/** An alert as clients receive it, named after its rule (the rule's id when the rule is gone). */
export function wireAlert(a: AlertRecord, name: Text | undefined): TAlert {
  return {
    id: a.id,
    ruleId: a.ruleId,
    name: name ?? { zh: a.ruleId, en: a.ruleId },
    metricId: a.metricId,
    entityId: a.entityId,
    severity: a.severity,
    sinceTs: a.sinceTs,
    openedTs: a.openedTs,
    triggerValue: a.triggerValue,
    ...(a.counted ? { counted: a.counted } : {}),
    ...(a.incidentId ? { incidentId: a.incidentId } : {}),
    acknowledged: a.acknowledgedTs === null ? null : { at: a.acknowledgedTs, by: a.acknowledgedBy ?? "", comment: a.ackComment },
  };
}

/** What chaining a new alert into an incident needs: the alerts opened from `fromMs` on (at most 1,000, newest first). */
export async function alertsOpenedSince(db: Database, fromMs: number): Promise<Chained[]> {
  return db.alert.findMany({ where: { openedTs: { gte: new Date(fromMs) } }, orderBy: NEWEST_FIRST, take: 1_000, select: { entityId: true, openedTs: true, incidentId: true } }).then((rows) => rows.map((r) => ({ ...r, openedTs: r.openedTs.getTime() })));
}

/** The newest `limit` alerts, resolved or not. */
export async function recentAlerts(db: Database, limit: number): Promise<AlertRecord[]> {
  return (await db.alert.findMany({ orderBy: NEWEST_FIRST, take: limit })).map(toAlert);
}

export const asOpenAlert = (a: AlertRecord): OpenAlert => ({ ruleId: a.ruleId, entityId: a.entityId, peak: a.peakValue });

/** The periods alerts on one series were open that overlap [from, to], oldest first (at most 100). */
export async function alertPeriods(db: Database, q: { metricId: string; entityId: string; from: number; to: number }): Promise<AlertPeriod[]> {
  const rows = await db.alert.findMany({
    where: { metricId: q.metricId, entityId: q.entityId, sinceTs: { lt: new Date(q.to) }, OR: [{ resolvedTs: null }, { resolvedTs: { gt: new Date(q.from) } }] },
    orderBy: { sinceTs: "asc" },
    take: 100,
    select: { sinceTs: true, resolvedTs: true, severity: true },
  });
  return rows.map((r) => ({ from: r.sinceTs.getTime(), to: time(r.resolvedTs), severity: r.severity as AlertSeverity }));
}

export async function alertById(db: Database, id: string): Promise<AlertRecord | null> {
  const row = await db.alert.findUnique({ where: { id } });
  return row ? toAlert(row) : null;
}

/** Acknowledges an unresolved alert (again: the newest acknowledgement wins); false when none has that id. */
export async function acknowledgeAlert(db: Database, id: string, by: string, comment: string | null, atMs: number): Promise<boolean> {
  const { count } = await db.alert.updateMany({ where: { id, resolvedTs: null }, data: { acknowledgedTs: new Date(atMs), acknowledgedBy: by, ackComment: comment } });
  return count > 0;
}

/** Resolves an unresolved alert by hand; false when none has that id. `peak`: the worst value while open, when known. */
export async function resolveAlertById(db: Database, id: string, by: string, atMs: number, peak: number | null): Promise<boolean> {
  const { count } = await db.alert.updateMany({ where: { id, resolvedTs: null }, data: { resolvedTs: new Date(atMs), resolvedBy: by, ...(peak === null ? {} : { peakValue: peak }) } });
  return count > 0;
}

/** What an operator does to a selection of alerts at once. */
export type BulkAction = "acknowledge" | "resolve";

/** A bulk change refused whole: ids no alert has, or alerts resolved already. */
export type BulkRefusal = { missing: string[]; resolved: string[] };

/**
 * Acknowledges or resolves every alert of `ids` in one transaction: all of them, or none when
 * one is unknown or resolved already (answered with which). `peakOf`: a resolved alert's worst
 * value while open, when the engine knows it. The caller serialises every write to alerts
 * (server/alerts.ts's write queue), so what is read here is still so when the updates run;
 * they go as one batch transaction, not an interactive one, which on SQLite would hold a read
 * snapshot while waiting for the sample writer's lock and time out.
 */
export async function changeAlerts(
  db: Database,
  change: { ids: readonly string[]; action: BulkAction; by: string; comment: string | null; atMs: number; peakOf: (a: AlertRecord) => number | null },
): Promise<{ ok: true; alerts: AlertRecord[] } | ({ ok: false } & BulkRefusal)> {
  const found = new Map((await db.alert.findMany({ where: { id: { in: [...change.ids] } } })).map((row) => [row.id, toAlert(row)]));
  const missing = change.ids.filter((id) => !found.has(id));
  const resolved = change.ids.filter((id) => found.get(id)?.resolvedTs != null);
  if (missing.length > 0 || resolved.length > 0) return { ok: false, missing, resolved };
  const at = new Date(change.atMs);
  const alerts = change.ids.map((id) => found.get(id)!);
  const counts = await db.$transaction(
    alerts.map((alert) =>
      db.alert.updateMany({
        where: { id: alert.id, resolvedTs: null },
        data:
          change.action === "acknowledge"
            ? { acknowledgedTs: at, acknowledgedBy: change.by, ackComment: change.comment }
            : { resolvedTs: at, resolvedBy: change.by, resolveComment: change.comment, ...peakData(change.peakOf(alert)) },
      }),
    ),
  );
  if (counts.some(({ count }) => count !== 1)) throw new Error(`alerts changed during a bulk ${change.action}: the alert writes are not serialised`);
  return { ok: true, alerts };
}

const peakData = (peak: number | null) => (peak === null ? {} : { peakValue: peak });

/** The alerts of `ids`, in that order (an unknown id is left out). */
export async function alertsByIds(db: Database, ids: readonly string[]): Promise<AlertRecord[]> {
  const byId = new Map((await db.alert.findMany({ where: { id: { in: [...ids] } } })).map((row) => [row.id, toAlert(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
