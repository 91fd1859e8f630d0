/**
 * Evaluates alert rules over samples as they are persisted, whatever their source. Per
 * (rule, entity) it remembers only the episode in progress: a breach waiting out its
 * `forSeconds`, or an open alert waiting for a clear that lasts as long. Per watched
 * series it remembers the newest sample seen, so samples seen again (a cluster's refill
 * after a Redis outage) change nothing. A counting rule's episodes are per (rule,
 * district), and its condition is how many of the district's entities breach, from each
 * one's newest value. Pure: the caller persists and announces the events.
 */
import { DISTRICTS, ENTITIES, CITY_ID, entityById, inScope, type EntityKind } from "../catalog";
import type { TSample } from "../realtime/protocol";
import { breaches, clears, counts, needed, watches, type AlertRule, type AlertSeverity } from "./rules";

export type AlertEvent =
  | {
      type: "open";
      ruleId: string;
      entityId: string;
      metricId: string;
      severity: AlertSeverity;
      since: number;
      at: number;
      value: number;
      /** A counting rule's alert: its values are how many entities of this kind breach. */
      counted: EntityKind | null;
    }
  | { type: "resolve"; ruleId: string; entityId: string; at: number; value: number; peak: number };

/** `since` NaN: released by hand, the hold starts again at the next sample that still breaches. */
type Watch = { phase: "breaching"; since: number } | { phase: "open"; clearingSince: number | null; peak: number };

/** Where a value stands against a rule: past the threshold, back past the clear level, or in the band between. */
type Condition = "breach" | "band" | "clear";

/** A counting rule's district: its members' standing, tallied from their newest values. */
interface Tally {
  rule: AlertRule;
  districtId: string;
  members: number;
  breaching: number;
  cleared: number;
  /** The newest member sample not yet judged: a district is judged once per instant, with all its members of that instant in. */
  pendingTs: number | null;
}

/** An alert open before a restart: the engine takes it up where it was, instead of opening it again. */
export interface OpenAlert {
  ruleId: string;
  entityId: string;
  peak: number;
}

const keyOf = (ruleId: string, entityId: string) => `${ruleId}|${entityId}`;

const conditionOf = (rule: AlertRule, value: number): Condition => (breaches(rule, value) ? "breach" : clears(rule, value) ? "clear" : "band");

export class AlertEngine {
  private byMetric = new Map<string, AlertRule[]>();
  private watches = new Map<string, Watch>();
  /** Newest sample per (metric, entity) with a rule: bounded by the catalog's series. */
  private newest = new Map<string, { ts: number; value: number }>();
  /** Per (counting rule, district): bounded by rules × districts. */
  private tallies = new Map<string, Tally>();

  constructor(rules: readonly AlertRule[], open: readonly OpenAlert[] = []) {
    this.setRules(rules);
    for (const a of open) this.watches.set(keyOf(a.ruleId, a.entityId), { phase: "open", clearingSince: null, peak: a.peak });
  }

  /** New rules apply from the next sample; episodes of rules gone or changed start over, open alerts stay open until cleared. */
  setRules(rules: readonly AlertRule[]): void {
    this.byMetric.clear();
    this.tallies.clear();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      this.byMetric.set(rule.metricId, [...(this.byMetric.get(rule.metricId) ?? []), rule]);
      if (counts(rule)) for (const tally of this.talliesOf(rule)) this.tallies.set(keyOf(rule.id, tally.districtId), tally);
    }
    for (const [key, watch] of this.watches) if (watch.phase === "breaching") this.watches.delete(key);
  }

  observe(samples: readonly TSample[]): AlertEvent[] {
    const events: AlertEvent[] = [];
    const pending = new Set<Tally>();
    for (const sample of samples) {
      const rules = this.byMetric.get(sample.metricId);
      if (!rules) continue;
      // A late or repeated sample says nothing new about an episode already past it.
      const series = keyOf(sample.metricId, sample.entityId);
      const previous = this.newest.get(series);
      if (sample.ts <= (previous?.ts ?? -Infinity)) continue;
      this.newest.set(series, { ts: sample.ts, value: sample.value });
      for (const rule of rules) {
        if (!watches(rule, sample.entityId)) continue;
        if (!counts(rule)) {
          this.push(events, this.step(rule, sample.entityId, sample.ts, sample.value, conditionOf(rule, sample.value)));
          continue;
        }
        const tally = this.tallies.get(keyOf(rule.id, entityById(sample.entityId)?.districtId ?? ""));
        if (!tally) continue;
        // A later instant: the district's earlier one is complete, judge it first.
        if (tally.pendingTs !== null && sample.ts > tally.pendingTs) this.push(events, this.judge(tally));
        if (previous) count(tally, conditionOf(rule, previous.value), -1);
        count(tally, conditionOf(rule, sample.value), 1);
        tally.pendingTs = Math.max(tally.pendingTs ?? -Infinity, sample.ts);
        pending.add(tally);
      }
    }
    for (const tally of pending) if (tally.pendingTs !== null) this.push(events, this.judge(tally));
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

  /** The worst value so far of the open alert of (rule, entity); null when none is open. */
  peak(ruleId: string, entityId: string): number | null {
    const watch = this.watches.get(keyOf(ruleId, entityId));
    return watch?.phase === "open" ? watch.peak : null;
  }

  /** Episodes in progress (breaching or open): bounded by rules × watched entities. */
  get size(): number {
    return this.watches.size;
  }

  private push(events: AlertEvent[], event: AlertEvent | null): void {
    if (event) events.push(event);
  }

  /** The districts a counting rule tallies, from the newest values already seen (a changed rule judges them anew). */
  private talliesOf(rule: AlertRule): Tally[] {
    const districts = rule.scope === CITY_ID ? DISTRICTS.map((d) => d.id) : [rule.scope];
    return districts.flatMap((districtId) => {
      const members = ENTITIES.filter((e) => e.kind === rule.kind && e.districtId === districtId && inScope(e.id, rule.scope));
      if (members.length === 0) return [];
      const tally: Tally = { rule, districtId, members: members.length, breaching: 0, cleared: 0, pendingTs: null };
      for (const member of members) {
        const newest = this.newest.get(keyOf(rule.metricId, member.id));
        if (newest) count(tally, conditionOf(rule, newest.value), 1);
      }
      return [tally];
    });
  }

  /**
   * A counting rule's district at its pending instant. It breaches when enough members breach;
   * it clears only when too few are left that have not cleared (a member not heard from since
   * the engine started counts as not cleared), so members hovering in the band keep it open.
   */
  private judge(tally: Tally): AlertEvent | null {
    const ts = tally.pendingTs ?? Number.NaN;
    tally.pendingTs = null;
    const need = needed(tally.rule, tally.members);
    const condition = tally.breaching >= need ? "breach" : tally.members - tally.cleared < need ? "clear" : "band";
    return this.step(tally.rule, tally.districtId, ts, tally.breaching, condition);
  }

  private step(rule: AlertRule, entityId: string, ts: number, value: number, condition: Condition): AlertEvent | null {
    const key = keyOf(rule.id, entityId);
    const watch = this.watches.get(key);
    const holdMs = rule.forSeconds * 1_000;
    if (!watch) {
      if (condition !== "breach") return null;
      this.watches.set(key, { phase: "breaching", since: ts });
      return holdMs === 0 ? this.open(rule, entityId, ts, ts, value) : null;
    }
    if (watch.phase === "breaching") {
      if (condition !== "breach") {
        this.watches.delete(key);
        return null;
      }
      if (Number.isNaN(watch.since)) watch.since = ts;
      return ts - watch.since >= holdMs ? this.open(rule, entityId, watch.since, ts, value) : null;
    }
    // A count is worse the larger it is, whatever the direction of the values counted.
    watch.peak = rule.direction === "below" && !counts(rule) ? Math.min(watch.peak, value) : Math.max(watch.peak, value);
    if (condition !== "clear") {
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
    return { type: "open", ruleId: rule.id, entityId, metricId: rule.metricId, severity: rule.severity, since, at, value, counted: counts(rule) ? (rule.kind ?? null) : null };
  }
}

function count(tally: Tally, condition: Condition, by: 1 | -1): void {
  if (condition === "breach") tally.breaching += by;
  else if (condition === "clear") tally.cleared += by;
}
