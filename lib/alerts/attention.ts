/**
 * What the wall draws attention to: the newest critical alert nobody has acknowledged.
 * Acknowledging it from any desk clears the attention on every wall (the acknowledgement
 * reaches them all in the next `alerts` announcement).
 */
import { domainOfMetric, entityById, isMetricId, type Domain } from "../catalog";
import type { TAlert } from "../realtime/protocol";

export interface Attention {
  alert: TAlert;
  /** The domain panel to highlight. */
  domain: Domain | null;
  /** The district to outline on the map: the entity's, or the district itself. */
  districtId: string | null;
}

export function attentionOf(alerts: readonly TAlert[]): Attention | null {
  const alert = alerts.filter((a) => a.severity === "critical" && a.acknowledged === null).toSorted((a, b) => b.openedTs - a.openedTs)[0];
  if (!alert) return null;
  const entity = entityById(alert.entityId);
  const districtId = entity?.kind === "district" ? entity.id : (entity?.districtId ?? null);
  return { alert, domain: isMetricId(alert.metricId) ? domainOfMetric(alert.metricId) : null, districtId };
}

/** Shape as well as colour, for viewers who cannot tell red from amber. */
export const SEVERITY_MARK = { critical: "◆", warning: "▲", info: "●" } as const;
