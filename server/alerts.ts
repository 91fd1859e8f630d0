/**
 * Alerts in the side server: the engine evaluates every persisted batch (any source),
 * its events are written in order, and after each change every client is sent the
 * unresolved alerts. Restart-safe: unresolved alerts are loaded at start and the engine
 * takes them up, so an episode in progress is neither lost nor opened twice.
 */
import { randomUUID } from "node:crypto";
import { AlertEngine, type AlertEvent } from "@/lib/alerts/engine";
import { worstKept } from "@/lib/alerts/feed";
import { INCIDENT_WINDOW_MS, incidentIdFor, incidentsOf, type Incident } from "@/lib/alerts/incidents";
import { covers, type AlertRule } from "@/lib/alerts/rules";
import type { Database } from "@/lib/db/client";
import { acknowledgeAlert, alertById, alertsByIds, alertsOpenedSince, asOpenAlert, changeAlerts, deleteRule, insertAlert, loadRules, recentAlerts, resolveAlert, resolveAlertById, saveRule, unresolvedAlerts, wireAlert, type AlertRecord, type BulkAction, type BulkRefusal } from "@/lib/db/alerts";
import { changeIncident, incidentClosures, type IncidentChange, type IncidentClosure, type IncidentRefusal } from "@/lib/db/incidents";
import { unresolvedAlertId } from "@/lib/db/notify";
import type { NotifyEvent } from "@/lib/notify/channels";
import { MAX_WIRE_ALERTS, type TAlert, type TSample } from "@/lib/realtime/protocol";
import { type Log } from "@/lib/log";

export interface AlertsDeps {
  db: Database;
  /** Source-clock now: when an alert is acknowledged or resolved by hand. */
  now(): number;
  announce(alerts: TAlert[]): void;
  /** An alert event is stored: notifications go out from here (server/notifier.ts), never awaited. */
  notify(alertId: string, event: NotifyEvent): void;
  log: Log;
}

/** Who resolved an alert whose rule no longer covers it. */
export const RULE_CHANGED = "rule-changed";

/** An alert as listed by GET /alerts?state=all: the wire form plus how it ended and its worst value (so far, while open). */
export type ListedAlert = TAlert & { resolved: { at: number; by: string; comment: string | null } | null; worst: number };

/** What a hand-made change came to: done, no such alert, or it was resolved already. */
export type ChangeResult = { ok: true; alert: ListedAlert } | { ok: false; reason: "missing" | "resolved" };

/** What a change to a selection came to: all of it done, or none of it and why. */
export type BulkResult = { ok: true; alerts: ListedAlert[] } | ({ ok: false } & BulkRefusal);

/** An incident as listed by GET /incidents: how many of its alerts are still open, and whether an operator closed it. */
export type ListedIncident = Incident & { open: number; closed: IncidentClosure | null };

export type IncidentChangeResult = { ok: true; incidentId: string } | ({ ok: false } & IncidentRefusal);

/** Closures older than this are not loaded: their incidents' windows are long past. */
const CLOSURES_KEPT_MS = 7 * 24 * 3_600_000;

export async function createAlerts({ db, now, announce, notify, log }: AlertsDeps) {
  let rules = await loadRules(db);
  let unresolved = await unresolvedAlerts(db);
  const engine = new AlertEngine(rules, unresolved.filter((a) => covers(rules, a.ruleId, a.entityId)).map(asOpenAlert));
  // Writes run one after another, in the order the engine produced them.
  let writing: Promise<void> = Promise.resolve();

  let closures = await incidentClosures(db, now() - CLOSURES_KEPT_MS);
  const toWire = (a: AlertRecord): TAlert => wireAlert(a, rules.find((r) => r.id === a.ruleId)?.name);
  const listed = (a: AlertRecord): ListedAlert => ({
    ...toWire(a),
    resolved: a.resolvedTs === null ? null : { at: a.resolvedTs, by: a.resolvedBy ?? "", comment: a.resolveComment },
    // The stored peak is written when the alert resolves; while it is open the engine keeps it.
    worst: (a.resolvedTs === null ? engine.peak(a.ruleId, a.entityId) : null) ?? a.peakValue,
  });
  // The wall groups an incident's alerts into one row; once an operator closes it, they stand alone again.
  const current = (): TAlert[] => worstKept(unresolved, MAX_WIRE_ALERTS).map((a) => toWire(a.incidentId !== null && closures.has(a.incidentId) ? { ...a, incidentId: null } : a));

  async function apply(event: AlertEvent): Promise<void> {
    if (event.type === "open") {
      const id = randomUUID();
      const incidentId = incidentIdFor({ id, entityId: event.entityId, openedTs: event.at }, await alertsOpenedSince(db, event.at - INCIDENT_WINDOW_MS), INCIDENT_WINDOW_MS, (incidentId) => closures.has(incidentId));
      await insertAlert(db, {
        id,
        ruleId: event.ruleId,
        metricId: event.metricId,
        entityId: event.entityId,
        severity: event.severity,
        sinceTs: event.since,
        openedTs: event.at,
        triggerValue: event.value,
        peakValue: event.value,
        counted: event.counted,
        incidentId,
      });
      log.info({ alertId: id, ruleId: event.ruleId, entityId: event.entityId, value: event.value }, "alert open");
      notify(id, "open");
    } else {
      const id = await unresolvedAlertId(db, event.ruleId, event.entityId);
      await resolveAlert(db, event.ruleId, event.entityId, event.at, event.peak, "auto");
      log.info({ alertId: id, ruleId: event.ruleId, entityId: event.entityId }, "alert resolved");
      if (id) notify(id, "resolve");
    }
  }

  function enqueue(work: () => Promise<void>): Promise<void> {
    writing = writing
      .then(work)
      .then(async () => {
        unresolved = await unresolvedAlerts(db);
        announce(current());
      })
      .catch((error: unknown) => log.error({ err: error }, "alert write failed"));
    return writing;
  }

  /** Runs `work` in the write queue and answers its result; the unresolved list is announced after it. */
  function change(id: string, event: NotifyEvent, work: () => Promise<boolean>): Promise<ChangeResult> {
    const result = writing.then(async (): Promise<ChangeResult> => {
      const before = await alertById(db, id);
      if (!before) return { ok: false, reason: "missing" };
      if (before.resolvedTs !== null || !(await work())) return { ok: false, reason: "resolved" };
      notify(id, event);
      const after = await alertById(db, id);
      return after ? { ok: true, alert: listed(after) } : { ok: false, reason: "missing" };
    });
    void enqueue(() => result.then(() => undefined, () => undefined));
    return result;
  }

  /**
   * Alerts whose rule was deleted, disabled or no longer covers their entity (a rule changed on
   * /alerts/rules, or retired by an upgrade) would stay open for ever: resolved, by RULE_CHANGED.
   */
  function resolveUncovered(): Promise<void> {
    return enqueue(async () => {
      for (const alert of unresolved) {
        if (covers(rules, alert.ruleId, alert.entityId)) continue;
        await resolveAlertById(db, alert.id, RULE_CHANGED, now(), engine.release(alert.ruleId, alert.entityId));
        log.info({ alertId: alert.id, ruleId: alert.ruleId, entityId: alert.entityId, by: RULE_CHANGED }, "alert resolved: its rule changed");
      }
    });
  }
  if (unresolved.some((a) => !covers(rules, a.ruleId, a.entityId))) await resolveUncovered();

  return {
    /** Called with every persisted batch. */
    observe(samples: readonly TSample[]): void {
      const events = engine.observe(samples);
      if (events.length > 0) void enqueue(async () => {
        for (const event of events) await apply(event);
      });
    },
    current,
    /** The severity of every unresolved alert (current() keeps only the worst MAX_WIRE_ALERTS): for /metrics. */
    openSeverities: () => unresolved.map((a) => a.severity),
    rules: () => rules,
    recent: async (limit: number) => (await recentAlerts(db, limit)).map(listed),
    /** An operator has seen the alert: who, when, and what they said. Announced to every client. */
    acknowledge(id: string, by: string, comment: string | null): Promise<ChangeResult> {
      return change(id, "acknowledge", () => acknowledgeAlert(db, id, by, comment, now()));
    },
    /**
     * Resolved by hand: stored with who did it, and the engine forgets the episode, so a
     * condition that goes on opens a new alert only after the rule's hold.
     */
    resolve(id: string, by: string): Promise<ChangeResult> {
      return change(id, "resolve", async () => {
        const alert = await alertById(db, id);
        if (!alert) return false;
        const peak = engine.release(alert.ruleId, alert.entityId);
        return resolveAlertById(db, id, by, now(), peak);
      });
    },
    /**
     * An operator acknowledges or resolves a selection, with one comment kept on each: one
     * transaction (all or nothing), one announcement to every client, one notification per
     * alert as for a single change.
     */
    bulk(ids: readonly string[], action: BulkAction, by: string, comment: string | null): Promise<BulkResult> {
      const result = writing.then(async (): Promise<BulkResult> => {
        const peakOf = (a: AlertRecord) => (action === "resolve" ? engine.peak(a.ruleId, a.entityId) : null);
        const outcome = await changeAlerts(db, { ids, action, by, comment, atMs: now(), peakOf });
        if (!outcome.ok) return outcome;
        if (action === "resolve") for (const a of outcome.alerts) engine.release(a.ruleId, a.entityId);
        for (const id of ids) notify(id, action);
        return { ok: true, alerts: (await alertsByIds(db, ids)).map(listed) };
      });
      void enqueue(() => result.then(() => undefined, () => undefined));
      return result;
    },
    /** An operator merges, splits or closes incidents: one transaction, then one announcement. */
    changeIncident(change: IncidentChange, by: string): Promise<IncidentChangeResult> {
      const result = writing.then(async (): Promise<IncidentChangeResult> => {
        const outcome = await changeIncident(db, change, by, now());
        if (outcome.ok && change.kind === "close") closures = await incidentClosures(db, now() - CLOSURES_KEPT_MS);
        return outcome;
      });
      void enqueue(() => result.then(() => undefined, () => undefined));
      return result;
    },
    /** The incidents among the newest `limit` alerts, with how each stands. */
    async incidents(limit: number): Promise<ListedIncident[]> {
      const alerts = (await recentAlerts(db, limit)).map(listed);
      return incidentsOf(alerts).map((incident) => ({
        ...incident,
        open: incident.alertIds.filter((id) => alerts.find((a) => a.id === id)?.resolved === null).length,
        closed: closures.get(incident.id) ?? null,
      }));
    },
    async putRule(rule: AlertRule): Promise<void> {
      await saveRule(db, rule);
      rules = [...rules.filter((r) => r.id !== rule.id), rule].sort((a, b) => a.id.localeCompare(b.id));
      engine.setRules(rules);
      await resolveUncovered();
    },
    async deleteRule(id: string): Promise<boolean> {
      if (!(await deleteRule(db, id))) return false;
      rules = rules.filter((r) => r.id !== id);
      engine.setRules(rules);
      await resolveUncovered();
      return true;
    },
    /** Resolves once every event so far is written. */
    flush: () => writing,
  };
}

export type Alerts = Awaited<ReturnType<typeof createAlerts>>;
