/**
 * The ranked tables of the drill-down: per domain, which entities are worst by which
 * metric (most congested roads, fullest lots, longest waits, slowest access nodes),
 * and how the districts compare. Pure: the caller passes the latest values.
 */
import { DISTRICTS, ENTITIES, entityById, inScope, type Domain, type EntityDefinition, type EntityKind, type MetricId } from "../catalog";

export interface Ranking {
  metricId: MetricId;
  kinds: readonly EntityKind[];
  /** "desc": a larger value is worse (congestion, occupancy, wait); "asc": smaller is worse (speed). */
  worstFirst: "desc" | "asc";
  title: { zh: string; en: string };
}

export const RANKINGS: Record<Domain, Ranking> = {
  traffic: { metricId: "traffic.congestionIndex", kinds: ["road"], worstFirst: "desc", title: { zh: "最拥堵道路", en: "Most congested roads" } },
  parking: { metricId: "parking.occupancy", kinds: ["lot"], worstFirst: "desc", title: { zh: "最满停车场", en: "Fullest car parks" } },
  health: { metricId: "health.waitMinutes", kinds: ["hospital", "healthCentre"], worstFirst: "desc", title: { zh: "候诊最久机构", en: "Longest waits" } },
  broadband: { metricId: "broadband.downloadMbps", kinds: ["accessNode"], worstFirst: "asc", title: { zh: "速率最低接入节点", en: "Slowest access nodes" } },
};

export interface RankedRow {
  entity: EntityDefinition;
  value: number;
  /** Milliseconds (source clock) of the value, for its age. */
  ts: number;
}

type Latest = (metricId: string, entityId: string) => { value: number; ts: number } | undefined;

function ordered(rows: RankedRow[], worstFirst: Ranking["worstFirst"]): RankedRow[] {
  // Ties by id, so equal values keep a stable order between updates.
  return rows.sort((a, b) => (worstFirst === "desc" ? b.value - a.value : a.value - b.value) || a.entity.id.localeCompare(b.entity.id));
}

/** The `limit` worst entities of a ranking within a scope (the city or a district); entities without a value are left out. */
export function rankEntities(ranking: Ranking, latest: Latest, scope: string, limit: number): RankedRow[] {
  const rows: RankedRow[] = [];
  for (const entity of ENTITIES) {
    if (!ranking.kinds.includes(entity.kind) || !inScope(entity.id, scope)) continue;
    const sample = latest(ranking.metricId, entity.id);
    if (sample) rows.push({ entity, value: sample.value, ts: sample.ts });
  }
  return ordered(rows, ranking.worstFirst).slice(0, Math.max(0, limit));
}

/** Every district with a value of the metric, worst first. */
export function rankDistricts(metricId: MetricId, worstFirst: Ranking["worstFirst"], latest: Latest): RankedRow[] {
  const rows: RankedRow[] = [];
  for (const d of DISTRICTS) {
    const entity = entityById(d.id);
    const sample = latest(metricId, d.id);
    if (entity && sample) rows.push({ entity, value: sample.value, ts: sample.ts });
  }
  return ordered(rows, worstFirst);
}
