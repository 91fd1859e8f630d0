/**
 * Evaluates alert rules over samples as they are persisted, whatever their source. Per
 * (rule, entity) it remembers only the episode in progress: a breach waiting out its
 * `forSeconds`, or an open alert waiting for a clear that lasts as long. Per watched
 * series it remembers the newest sample seen, so samples seen again (a cluster's refill
 * after a Redis outage) change nothing. Pure: the caller persists and announces the events.
 */
import type { TSample } from "../realtime/protocol";
import { breaches, clears, watches, type AlertRule, type AlertSeverity } from "./rules";

export type AlertEvent =
  | { type: "open"; ruleId: string; entityId: string; metricId: string; severity: AlertSeverity; since: number; at: number; value: number }
  | { type: "resolve"; ruleId: string; entityId: string; at: number; value: number; peak: number };

/** `since` NaN: released by hand, the hold starts again at the next sample that still breaches. */
type Watch = { phase: "breaching"; since: number } | { phase: "open"; clearingSince: number | null; peak: number };

/** An alert open before a restart: the engine takes it up where it was, instead of opening it again. */
export interface OpenAlert {
  ruleId: string;
  entityId: string;
  peak: number;
}

const keyOf = (ruleId: string, entityId: string) => `${ruleId}|${entityId}`;

export class AlertEngine {
  private byMetric = new Map<string, AlertRule[]>();
  private watches = new Map<string, Watch>();
  /** Newest ts per (metric, entity) with a rule: bounded by the catalog's series. */
  private newest = new Map<string, number>();

  constructor(rules: readonly AlertRule[], open: readonly OpenAlert[] = []) {
    this.setRules(rules);
    for (const a of open) this.watches.set(keyOf(a.ruleId, a.entityId), { phase: "open", clearingSince: null, peak: a.peak });
  }

  /** New rules apply from the next sample; episodes of rules gone or changed start over, open alerts stay open until cleared. */
  setRules(rules: readonly AlertRule[]): void {
    this.byMetric.clear();
    for (const rule of rules) if (rule.enabled) this.byMetric.set(rule.metricId, [...(this.byMetric.get(rule.metricId) ?? []), rule]);
    for (const [key, watch] of this.watches) if (watch.phase === "breaching") this.watches.delete(key);
  }

  observe(samples: readonly TSample[]): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const sample of samples) {
      const rules = this.byMetric.get(sample.metricId);
      if (!rules) continue;
      // A late or repeated sample says nothing new about an episode already past it.
      const series = keyOf(sample.metricId, sample.entityId);
      if (sample.ts <= (this.newest.get(series) ?? -Infinity)) continue;
      this.newest.set(series, sample.ts);
      for (const rule of rules) {
        if (!watches(rule, sample.entityId)) continue;
        const event = this.step(rule, sample);
        if (event) events.push(event);
      }
    }
    return events;
  }

  /**
   * An open alert resolved by hand: its episode is over. While the condition goes on it is
   * a fresh breach from the next sample, so it opens again only after the rule's forSeconds.
   * Returns the episode's peak, or null when no alert of (rule, entity) was open.
   */
  release(ruleId: string, entityId: string): number | null {
    const key = keyOf(ruleId, entityId);
    const watch = this.watches.get(key);
    if (watch?.phase !== "open") return null;
    this.watches.set(key, { phase: "breaching", since: Number.NaN });
    return watch.peak;
  }

  /** Episodes in progress (breaching or open): bounded by rules × watched entities. */
  get size(): number {
    return this.watches.size;
  }

  private step(rule: AlertRule, { entityId, ts, value }: TSample): AlertEvent | null {
    const key = keyOf(rule.id, entityId);
    const watch = this.watches.get(key);
    const holdMs = rule.forSeconds * 1_000;
    if (!watch) {
      if (!breaches(rule, value)) return null;
      this.watches.set(key, { phase: "breaching", since: ts });
      return holdMs === 0 ? this.open(rule, entityId, ts, ts, value) : null;
    }
    if (watch.phase === "breaching") {
      if (!breaches(rule, value)) {
        this.watches.delete(key);
        return null;
      }
      if (Number.isNaN(watch.since)) watch.since = ts;
      return ts - watch.since >= holdMs ? this.open(rule, entityId, watch.since, ts, value) : null;
    }
    watch.peak = rule.direction === "above" ? Math.max(watch.peak, value) : Math.min(watch.peak, value);
    if (!clears(rule, value)) {
      watch.clearingSince = null;
      return null;
    }
    watch.clearingSince ??= ts;
    if (ts - watch.clearingSince < holdMs) return null;
    this.watches.delete(key);
    return { type: "resolve", ruleId: rule.id, entityId, at: ts, value, peak: watch.peak };
  }

  private open(rule: AlertRule, entityId: string, since: number, at: number, value: number): AlertEvent {
    this.watches.set(keyOf(rule.id, entityId), { phase: "open", clearingSince: null, peak: value });
    return { type: "open", ruleId: rule.id, entityId, metricId: rule.metricId, severity: rule.severity, since, at, value };
  }
}
