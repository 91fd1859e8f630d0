/**
 * Alert rules: a threshold on one catalog metric, for one scope (the city, a district
 * or one entity, or every entity of a kind within a scope), held for a while, with a
 * clear level apart from the threshold so a value hovering at the limit does not flap.
 * A rule that counts (atLeast, atLeastPercent) opens one alert on a district when enough
 * of its entities of the kind breach at once, instead of one alert per entity.
 */
import { z } from "zod";
import { CITY_ID, ENTITY_KINDS, entityById, inScope, isMetricId, metricById, type EntityKind, type MetricDefinition } from "../catalog";
import { levelsOf, type SeverityLevel } from "../charts/severity";

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof SEVERITIES)[number];

export const ZAlertRule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be 1-63 lower-case letters, digits or dashes"),
    name: z.object({ zh: z.string().min(1).max(80), en: z.string().min(1).max(80) }),
    metricId: z.string().refine(isMetricId, "unknown metric"),
    /** The city, a district or one entity, by id. */
    scope: z.string().refine((id) => entityById(id) !== undefined, "unknown city, district or entity"),
    /** Every entity of this kind within the scope; absent: the scope itself. */
    kind: z.enum(ENTITY_KINDS).optional(),
    direction: z.enum(["above", "below"]),
    /** Breached at or beyond this value. */
    threshold: z.number(),
    /** Cleared only at or beyond this value, on the good side of the threshold. */
    clearAt: z.number(),
    /** The breach must hold this long (source-clock seconds) to open an alert, and the clear as long to resolve it. */
    forSeconds: z.number().int().min(0).max(86_400),
    severity: z.enum(SEVERITIES),
    enabled: z.boolean().default(true),
    /** Counts instead: opens on a district when at least this many of its entities of `kind` breach. */
    atLeast: z.number().int().min(1).max(10_000).optional(),
    /** Counts instead: opens on a district when at least this share (percent) of its entities of `kind` breach. */
    atLeastPercent: z.number().gt(0).max(100).optional(),
  })
  .superRefine((rule, ctx) => {
    const metric = metricById(rule.metricId);
    if (!metric) return;
    const kind = rule.kind ?? entityById(rule.scope)?.kind;
    if (kind && !(metric.entityKinds as readonly string[]).includes(kind)) {
      ctx.addIssue({ code: "custom", path: [rule.kind ? "kind" : "scope"], message: `${rule.metricId} is not measured on a ${kind}` });
    }
    if (counts(rule)) {
      const field = rule.atLeast === undefined ? "atLeastPercent" : "atLeast";
      if (!rule.kind || rule.kind === "city" || rule.kind === "district") ctx.addIssue({ code: "custom", path: ["kind"], message: `${field} counts roads, lots, institutions or nodes: name their kind` });
      if (rule.scope !== CITY_ID && entityById(rule.scope)?.kind !== "district") ctx.addIssue({ code: "custom", path: ["scope"], message: `${field} counts within the city or a district` });
    }
    const goodSide = rule.direction === "above" ? rule.clearAt < rule.threshold : rule.clearAt > rule.threshold;
    if (!goodSide) ctx.addIssue({ code: "custom", path: ["clearAt"], message: `must be ${rule.direction === "above" ? "below" : "above"} the threshold (${rule.threshold}), or the alert would flap` });
  });
export type AlertRule = z.output<typeof ZAlertRule>;

/** When an alert on one series was open (source-clock ms), for a chart to shade. */
export interface AlertPeriod {
  from: number;
  /** Null while the alert is unresolved. */
  to: number | null;
  severity: AlertSeverity;
}

export function breaches(rule: AlertRule, value: number): boolean {
  return rule.direction === "above" ? value >= rule.threshold : value <= rule.threshold;
}

export function clears(rule: AlertRule, value: number): boolean {
  return rule.direction === "above" ? value <= rule.clearAt : value >= rule.clearAt;
}

/** Whether the rule counts the entities in breach per district (one alert on the district) rather than alerting on each. */
export function counts(rule: Pick<AlertRule, "atLeast" | "atLeastPercent">): boolean {
  return rule.atLeast !== undefined || rule.atLeastPercent !== undefined;
}

/** How many of a district's `members` entities must breach at once for a counting rule to open. */
export function needed(rule: AlertRule, members: number): number {
  return Math.max(rule.atLeast ?? 1, Math.ceil((members * (rule.atLeastPercent ?? 0)) / 100));
}

/** Whether the rule watches this entity (a counting rule: as one of its district's members). */
export function watches(rule: AlertRule, entityId: string): boolean {
  if (!rule.kind) return entityId === rule.scope;
  return entityById(entityId)?.kind === rule.kind && inScope(entityId, rule.scope);
}

/**
 * The levels at which one series is in warning or critical: its metric's catalog thresholds
 * and the threshold of every enabled warning or critical rule watching it. One source: an
 * operator's rule change moves the marks with it. A counting rule marks no single entity:
 * its severity is the district's, when enough of them breach.
 */
export function seriesLevels(metric: MetricDefinition, entityId: string, rules: readonly AlertRule[]): SeverityLevel[] {
  const fromRules = rules
    .filter((r) => r.enabled && !counts(r) && r.metricId === metric.id && r.severity !== "info" && watches(r, entityId))
    .map((r): SeverityLevel => ({ severity: r.severity === "critical" ? "critical" : "warning", direction: r.direction, value: r.threshold }));
  return [...levelsOf(metric.thresholds), ...fromRules];
}

/**
 * Whether an alert of (rule, entity) is still the rule's to resolve: the rule exists, is enabled and
 * still covers the entity (watches it, or for a counting rule counts in that district). Otherwise
 * nothing would ever clear it.
 */
export function covers(rules: readonly AlertRule[], ruleId: string, entityId: string): boolean {
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule?.enabled) return false;
  if (!counts(rule)) return watches(rule, entityId);
  return entityById(entityId)?.kind === "district" && inScope(entityId, rule.scope);
}

const rule = (r: Omit<AlertRule, "enabled"> & { kind?: EntityKind }): AlertRule => ({ enabled: true, ...r });

/**
 * Seeded into an empty rule table (an upgraded database gets them by migration, see docs/alerts.md, "Upgrading"):
 * one alert budget for the whole city. On an ordinary day they open a handful of alerts, not
 * hundreds (server/test/alert-budget.test.ts runs whole days through the engine), and each drill
 * scenario (lib/sim/scenarios.ts) raises its own critical.
 */
export const DEFAULT_RULES: readonly AlertRule[] = [
  // accident-shennan. Evening rush hours gridlock a road or two on an ordinary weekday too: worth a critical.
  rule({ id: "road-gridlock", name: { zh: "道路严重拥堵", en: "Road gridlocked" }, metricId: "traffic.congestionIndex", scope: CITY_ID, kind: "road", direction: "above", threshold: 8, clearAt: 7, forSeconds: 300, severity: "critical" }),
  // Office-district car parks are full every working day (up to half of a district's lots at ≥ 95 %): one full
  // lot is no news, most of a district's lots full at once is (the accident fills Futian's).
  rule({ id: "district-lots-full", name: { zh: "片区停车场普遍将满", en: "Most car parks of a district nearly full" }, metricId: "parking.occupancy", scope: CITY_ID, kind: "lot", atLeastPercent: 60, direction: "above", threshold: 95, clearAt: 90, forSeconds: 600, severity: "warning" }),
  // Links drop for a few minutes now and then; a quarter of an hour cut off needs a call to the hospital.
  rule({ id: "hospital-offline", name: { zh: "医院健康信息网断连", en: "Hospital network link down" }, metricId: "health.connected", scope: CITY_ID, kind: "hospital", direction: "below", threshold: 0, clearAt: 1, forSeconds: 900, severity: "warning" }),
  // fiber-cut-nanshan. Several hospitals of one district cut off at once is a network fault, not a hospital's.
  rule({ id: "district-hospitals-offline", name: { zh: "片区多家医院断连", en: "Several hospitals of a district cut off" }, metricId: "health.connected", scope: CITY_ID, kind: "hospital", atLeast: 3, direction: "below", threshold: 0, clearAt: 1, forSeconds: 60, severity: "critical" }),
  // hospital-surge. At the catalog's critical wait; an ordinary morning peak stays near 40 minutes.
  rule({ id: "hospital-wait-long", name: { zh: "医院候诊超长", en: "Hospital wait too long" }, metricId: "health.waitMinutes", scope: CITY_ID, kind: "hospital", direction: "above", threshold: 60, clearAt: 45, forSeconds: 60, severity: "critical" }),
  // Districts run at about 300 Mbps: half of that is the mark of a fault, not of the evening peak.
  rule({ id: "district-speed-halved", name: { zh: "区域网速减半", en: "District download speed halved" }, metricId: "broadband.downloadMbps", scope: CITY_ID, kind: "district", direction: "below", threshold: 150, clearAt: 200, forSeconds: 180, severity: "warning" }),
  // fiber-cut-nanshan too. A district logs 0–3 network outages at a time: a cut cable's fault tickets stand out.
  rule({ id: "district-outages-many", name: { zh: "片区网络故障集中", en: "Network outages cluster in a district" }, metricId: "broadband.outages", scope: CITY_ID, kind: "district", direction: "above", threshold: 6, clearAt: 3, forSeconds: 180, severity: "warning" }),
  // typhoon. The city logs about 7 network outages at a time (0–3 per district): 20 is a storm, not chance.
  rule({ id: "city-outages-surge", name: { zh: "全市网络故障激增", en: "Network outages surge city-wide" }, metricId: "broadband.outages", scope: CITY_ID, direction: "above", threshold: 20, clearAt: 12, forSeconds: 300, severity: "critical" }),
];
