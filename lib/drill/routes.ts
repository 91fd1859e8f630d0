/**
 * Where every drill-down view lives and what its URL holds: the path names the view
 * (domain, district, entity); the query keeps the language, the time range of its
 * history charts and the map layer, so a link pasted into chat opens the same view.
 */
import { CITY_ID, DOMAINS, entityById, type Domain, type EntityDefinition, type EntityKind } from "../catalog";
import { RANGES, type RangeKey, type TimeRange } from "../history/series";
import { t, type Lang, type MessageKey } from "../i18n";

export interface ViewState {
  lang: Lang;
  range: TimeRange;
  layer: Domain;
}

export const DEFAULT_VIEW: ViewState = { lang: "zh", range: { kind: "live", key: "15m" }, layer: "traffic" };

/** The domain a single road, lot, institution or node belongs to. */
export const DOMAIN_OF_KIND: Partial<Record<EntityKind, Domain>> = {
  road: "traffic",
  lot: "parking",
  hospital: "health",
  healthCentre: "health",
  accessNode: "broadband",
};

export function isDomain(value: string): value is Domain {
  return (DOMAINS as readonly string[]).includes(value);
}

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The view state in a URL's query; anything unknown or malformed falls back to the default. */
export function parseViewState(params: Params): ViewState {
  const lang = one(params.lang) === "en" ? "en" : "zh";
  const layerParam = one(params.layer) ?? "";
  const layer = isDomain(layerParam) ? layerParam : DEFAULT_VIEW.layer;
  return { lang, range: parseRange(one(params.range)), layer };
}

/** "1h" (a range ending now) or "<from>~<to>" in epoch ms (a fixed window). */
export function parseRange(value: string | undefined): TimeRange {
  if (value && Object.hasOwn(RANGES, value)) return { kind: "live", key: value as RangeKey };
  const match = /^(\d{1,15})~(\d{1,15})$/.exec(value ?? "");
  if (match) {
    const from = Number(match[1]);
    const to = Number(match[2]);
    if (from < to) return { kind: "fixed", from, to };
  }
  return DEFAULT_VIEW.range;
}

export function formatRange(range: TimeRange): string {
  return range.kind === "live" ? range.key : `${range.from}~${range.to}`;
}

/** A path with the view state that differs from the default in its query. */
export function withView(path: string, view: Partial<ViewState>): string {
  const query = new URLSearchParams();
  if (view.lang && view.lang !== DEFAULT_VIEW.lang) query.set("lang", view.lang);
  if (view.range && formatRange(view.range) !== formatRange(DEFAULT_VIEW.range)) query.set("range", formatRange(view.range));
  if (view.layer && view.layer !== DEFAULT_VIEW.layer) query.set("layer", view.layer);
  const q = query.toString();
  return q ? `${path}?${q}` : path;
}

/** The entity a URL segment names; a malformed escape names nothing. */
export function entityOfSegment(segment: string): EntityDefinition | undefined {
  try {
    return entityById(decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/** The district a URL segment names, if it names one. */
export function districtOf(segment: string): EntityDefinition | undefined {
  const entity = entityOfSegment(segment);
  return entity?.kind === "district" ? entity : undefined;
}

export const wallPath = () => "/";
export const domainPath = (domain: Domain) => `/${domain}`;
export const districtPath = (districtId: string) => `/district/${encodeURIComponent(districtId)}`;

/** The page of any entity: the city is the wall, a district its district view. */
export function entityPath(entity: Pick<EntityDefinition, "id" | "kind">): string {
  if (entity.kind === "city") return wallPath();
  if (entity.kind === "district") return districtPath(entity.id);
  return `/entity/${encodeURIComponent(entity.id)}`;
}

export interface Crumb {
  href: string;
  label: { zh: string; en: string };
}

const both = (key: MessageKey) => ({ zh: t("zh", key), en: t("en", key) });

export const wallCrumb = (): Crumb => ({ href: wallPath(), label: both("nav.wall") });

/** The levels above an entity's page, top first: the wall, its domain, its district. */
export function entityTrail(entityId: string): Crumb[] {
  const entity = entityById(entityId);
  const trail: Crumb[] = [wallCrumb()];
  if (!entity || entity.id === CITY_ID) return trail;
  const domain = DOMAIN_OF_KIND[entity.kind];
  if (domain) trail.push({ href: domainPath(domain), label: both(`domain.${domain}`) });
  const district = entity.districtId ? entityById(entity.districtId) : undefined;
  if (district && district.id !== entity.id) trail.push({ href: districtPath(district.id), label: { zh: district.nameZh, en: district.nameEn } });
  return trail;
}
