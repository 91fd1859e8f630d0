/**
 * What happened to alerts during a shift: every opening, acknowledgement and resolution
 * inside the span, by whom and with what comment, and what the next shift inherits open.
 * An alert keeps only its newest acknowledgement, so that is the one a handover can name.
 */
import type { AlertRecord } from "../db/alerts";
import type { HandoverSpan } from "./span";

export type AlertEventKind = "opened" | "acknowledged" | "resolved";

export interface AlertEvent {
  at: number;
  kind: AlertEventKind;
  alert: AlertRecord;
  /** Who acknowledged or resolved it ("auto": the condition cleared); null for an opening. */
  by: string | null;
  comment: string | null;
}

const KIND_ORDER: Record<AlertEventKind, number> = { opened: 0, acknowledged: 1, resolved: 2 };
const within = (ts: number | null, span: HandoverSpan): ts is number => ts !== null && ts >= span.from && ts < span.to;

/** The span's alert events, oldest first (one alert's events in their lifecycle order at equal times). */
export function alertEvents(alerts: readonly AlertRecord[], span: HandoverSpan): AlertEvent[] {
  const events: AlertEvent[] = [];
  for (const alert of alerts) {
    if (within(alert.openedTs, span)) events.push({ at: alert.openedTs, kind: "opened", alert, by: null, comment: null });
    if (within(alert.acknowledgedTs, span)) events.push({ at: alert.acknowledgedTs, kind: "acknowledged", alert, by: alert.acknowledgedBy, comment: alert.ackComment });
    if (within(alert.resolvedTs, span)) events.push({ at: alert.resolvedTs, kind: "resolved", alert, by: alert.resolvedBy, comment: null });
  }
  return events.sort((a, b) => a.at - b.at || a.alert.id.localeCompare(b.alert.id) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Alerts open at the end of the span (opened before it ends, not resolved by then): worst first, then oldest. */
export function stillOpen(alerts: readonly AlertRecord[], span: HandoverSpan): AlertRecord[] {
  return alerts
    .filter((a) => a.openedTs < span.to && (a.resolvedTs === null || a.resolvedTs >= span.to))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.openedTs - b.openedTs || a.id.localeCompare(b.id));
}

/** Whether it was acknowledged by the end of the span (an acknowledgement after it is the next shift's). */
export function acknowledgedBy(alert: AlertRecord, at: number): boolean {
  return alert.acknowledgedTs !== null && alert.acknowledgedTs < at;
}
