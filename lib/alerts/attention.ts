/**
 * What the wall draws attention to: the newest critical alert nobody has acknowledged.
 * Acknowledging it from any desk clears the attention on every wall (the acknowledgement
 * reaches them all in the next `alerts` announcement).
 */
import { ROADS, domainOfMetric, entityById, isMetricId, type Domain, type EntityDefinition } from "../catalog";
import type { TAlert } from "../realtime/protocol";

export interface Attention {
  alert: TAlert;
  /** The domain panel to highlight. */
  domain: Domain | null;
  /** The district to outline on the map: the entity's, or the district itself. */
  districtId: string | null;
  /** What to draw on the map besides the district: a road's course, or where a car park, hospital or node stands. */
  place: AttentionPlace;
}

export type AttentionPlace = { kind: "road"; course: readonly (readonly [number, number])[] } | { kind: "point"; at: readonly [number, number] } | null;

/** A district or the city is its own outline on the map; anything smaller is drawn. */
export function placeOf(entity: EntityDefinition | undefined): AttentionPlace {
  if (!entity || entity.kind === "city" || entity.kind === "district") return null;
  const road = entity.kind === "road" ? ROADS.find((r) => r.id === entity.id) : undefined;
  if (road) return { kind: "road", course: road.course };
  return entity.lon !== null && entity.lat !== null ? { kind: "point", at: [entity.lon, entity.lat] } : null;
}

export function attentionOf(alerts: readonly TAlert[]): Attention | null {
  const alert = alerts.filter((a) => a.severity === "critical" && a.acknowledged === null).toSorted((a, b) => b.openedTs - a.openedTs)[0];
  if (!alert) return null;
  const entity = entityById(alert.entityId);
  const districtId = entity?.kind === "district" ? entity.id : (entity?.districtId ?? null);
  return { alert, domain: isMetricId(alert.metricId) ? domainOfMetric(alert.metricId) : null, districtId, place: placeOf(entity) };
}

/** Shape as well as colour, for viewers who cannot tell red from amber. */
export const SEVERITY_MARK = { critical: "◆", warning: "▲", info: "●" } as const;
