/**
 * The alert desk's view (/alerts): which alerts a filter keeps, in what order, on which page.
 * The filter lives in the URL (`?severity=critical,warning&domain=traffic&district=futian&
 * state=open&q=深南&page=2`), so a desk can be bookmarked, shared and reloaded as it was. Pure:
 * the page reads the alerts and renders what this answers.
 */
import { DISTRICTS, DOMAINS, entityById, metricById, type Domain } from "../catalog";
import type { AlertSeverity } from "./rules";

export const DESK_SEVERITIES = ["critical", "warning", "info"] as const satisfies readonly AlertSeverity[];
export const DESK_STATES = ["open", "acknowledged", "resolved"] as const;
export type DeskState = (typeof DESK_STATES)[number];

/** Rows on a page: at 1920×1080 a full page of rows with their timelines stays within two screens. */
export const DESK_PAGE_SIZE = 12;
/** A free-text filter longer than this is cut: it is matched against short names. */
const MAX_TEXT = 100;

/** What the desk needs of an alert (the side server's listing). */
export interface DeskAlert {
  id: string;
  name: { zh: string; en: string };
  metricId: string;
  entityId: string;
  severity: AlertSeverity;
  openedTs: number;
  acknowledged: { by: string; comment: string | null } | null;
  resolved: { by: string } | null;
}

export interface DeskFilter {
  /** Empty: every severity (likewise domains). */
  severities: AlertSeverity[];
  domains: Domain[];
  /** A district's id, or null for the whole city. */
  district: string | null;
  /** Empty never: with no `state` in the URL, what is not resolved yet. */
  states: DeskState[];
  text: string;
  /** 1-based. */
  page: number;
}

export const DEFAULT_STATES: readonly DeskState[] = ["open", "acknowledged"];

type Query = Record<string, string | string[] | undefined>;

/** Every value of a key, repeated (`?state=open&state=resolved`, a plain form) or comma-joined (the desk's own links). */
function valuesOf(query: Query, key: string): string[] {
  const raw = query[key];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

/** Known values only, in their canonical order: an unknown one in a hand-edited URL is ignored, not an error page. */
function known<T extends string>(values: readonly string[], all: readonly T[]): T[] {
  return all.filter((v) => values.includes(v));
}

export function parseDeskFilter(query: Query): DeskFilter {
  const district = valuesOf(query, "district")[0] ?? null;
  const states = known(valuesOf(query, "state"), DESK_STATES);
  const page = Number(valuesOf(query, "page")[0] ?? "1");
  return {
    severities: known(valuesOf(query, "severity"), DESK_SEVERITIES),
    domains: known(valuesOf(query, "domain"), DOMAINS),
    district: district !== null && DISTRICTS.some((d) => d.id === district) ? district : null,
    states: states.length > 0 ? states : [...DEFAULT_STATES],
    text: (typeof query.q === "string" ? query.q : "").trim().slice(0, MAX_TEXT),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The URL query of a filter, defaults left out; `lang` kept. */
export function deskQuery(filter: DeskFilter, lang: "zh" | "en"): URLSearchParams {
  const query = new URLSearchParams();
  if (filter.severities.length > 0) query.set("severity", filter.severities.join(","));
  if (filter.domains.length > 0) query.set("domain", filter.domains.join(","));
  if (filter.district) query.set("district", filter.district);
  const defaultStates = filter.states.length === DEFAULT_STATES.length && DEFAULT_STATES.every((s) => filter.states.includes(s));
  if (!defaultStates) query.set("state", filter.states.join(","));
  if (filter.text) query.set("q", filter.text);
  if (filter.page > 1) query.set("page", String(filter.page));
  if (lang === "en") query.set("lang", "en");
  return query;
}

export function deskHref(filter: DeskFilter, lang: "zh" | "en"): string {
  const query = deskQuery(filter, lang).toString();
  return query ? `/alerts?${query}` : "/alerts";
}

export function stateOf(alert: Pick<DeskAlert, "acknowledged" | "resolved">): DeskState {
  return alert.resolved ? "resolved" : alert.acknowledged ? "acknowledged" : "open";
}

export function domainOf(alert: Pick<DeskAlert, "metricId">): Domain | null {
  return metricById(alert.metricId)?.domain ?? null;
}

/** The district an alert is in: its entity's, the district itself, or null for the city. */
export function districtOf(alert: Pick<DeskAlert, "entityId">): string | null {
  const entity = entityById(alert.entityId);
  if (!entity) return null;
  return entity.kind === "district" ? entity.id : entity.districtId;
}

/** What free text is matched against: the rule, the entity and its district in both languages, its id, who acted and what they said. */
function haystack(alert: DeskAlert): string {
  const entity = entityById(alert.entityId);
  const district = entityById(districtOf(alert) ?? "");
  return [alert.name.zh, alert.name.en, alert.entityId, entity?.nameZh, entity?.nameEn, district?.nameZh, district?.nameEn, alert.acknowledged?.by, alert.acknowledged?.comment, alert.resolved?.by]
    .filter((s): s is string => typeof s === "string")
    .join("\n")
    .toLowerCase();
}

export function matches(alert: DeskAlert, filter: DeskFilter): boolean {
  if (filter.severities.length > 0 && !filter.severities.includes(alert.severity)) return false;
  if (!filter.states.includes(stateOf(alert))) return false;
  const domain = domainOf(alert);
  if (filter.domains.length > 0 && (domain === null || !filter.domains.includes(domain))) return false;
  if (filter.district && districtOf(alert) !== filter.district) return false;
  return filter.text === "" || filter.text.toLowerCase().split(/\s+/).every((word) => haystack(alert).includes(word));
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };
const STATE_RANK: Record<DeskState, number> = { open: 0, acknowledged: 1, resolved: 2 };

/** Severity first; then what still needs someone (open, then acknowledged, then resolved); then newest; then by id, so ties never swap. */
export function deskOrder(a: DeskAlert, b: DeskAlert): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    STATE_RANK[stateOf(a)] - STATE_RANK[stateOf(b)] ||
    b.openedTs - a.openedTs ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface DeskPage<T> {
  rows: T[];
  /** Alerts the filter keeps, on every page. */
  total: number;
  /** The page shown: the asked one, or the last when fewer remain (an action emptied the end). */
  page: number;
  pages: number;
  /** Unresolved alerts by severity, whatever the filter: the desk's headline. */
  unresolved: Record<AlertSeverity, number>;
}

export function deskPage<T extends DeskAlert>(alerts: readonly T[], filter: DeskFilter, pageSize = DESK_PAGE_SIZE): DeskPage<T> {
  const kept = alerts.filter((a) => matches(a, filter)).sort(deskOrder);
  const pages = Math.max(1, Math.ceil(kept.length / pageSize));
  const page = Math.min(filter.page, pages);
  const unresolved: Record<AlertSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const a of alerts) if (!a.resolved) unresolved[a.severity]++;
  return { rows: kept.slice((page - 1) * pageSize, page * pageSize), total: kept.length, page, pages, unresolved };
}
