/**
 * Alerts in the side server: the engine evaluates every persisted batch (any source),
 * its events are written in order, and after each change every client is sent the
 * unresolved alerts. Restart-safe: unresolved alerts are loaded at start and the engine
 * takes them up, so an episode in progress is neither lost nor opened twice.
 */
import { randomUUID } from "node:crypto";
import { AlertEngine, type AlertEvent } from "@/lib/alerts/engine";
import type { AlertRule } from "@/lib/alerts/rules";
import type { Database } from "@/lib/db/client";
import { asOpenAlert, deleteRule, insertAlert, loadRules, recentAlerts, resolveAlert, saveRule, unresolvedAlerts, type AlertRecord } from "@/lib/db/alerts";
import { MAX_WIRE_ALERTS, type TAlert, type TSample } from "@/lib/realtime/protocol";

export interface AlertsDeps {
  db: Database;
  announce(alerts: TAlert[]): void;
  log(message: string): void;
}

export async function createAlerts({ db, announce, log }: AlertsDeps) {
  let rules = await loadRules(db);
  let unresolved = await unresolvedAlerts(db);
  const engine = new AlertEngine(rules, unresolved.map(asOpenAlert));
  // Writes run one after another, in the order the engine produced them.
  let writing: Promise<void> = Promise.resolve();

  const toWire = (a: AlertRecord): TAlert => {
    const rule = rules.find((r) => r.id === a.ruleId);
    return {
      id: a.id,
      ruleId: a.ruleId,
      name: rule?.name ?? { zh: a.ruleId, en: a.ruleId },
      metricId: a.metricId,
      entityId: a.entityId,
      severity: a.severity,
      sinceTs: a.sinceTs,
      openedTs: a.openedTs,
      triggerValue: a.triggerValue,
      acknowledged: a.acknowledgedTs === null ? null : { at: a.acknowledgedTs, by: a.acknowledgedBy ?? "", comment: a.ackComment },
    };
  };
  const current = (): TAlert[] => unresolved.slice(0, MAX_WIRE_ALERTS).map(toWire);

  async function apply(event: AlertEvent): Promise<void> {
    if (event.type === "open") {
      await insertAlert(db, {
        id: randomUUID(),
        ruleId: event.ruleId,
        metricId: event.metricId,
        entityId: event.entityId,
        severity: event.severity,
        sinceTs: event.since,
        openedTs: event.at,
        triggerValue: event.value,
        peakValue: event.value,
      });
      log(`alert open: ${event.ruleId} on ${event.entityId} (${event.value})`);
    } else {
      await resolveAlert(db, event.ruleId, event.entityId, event.at, event.peak, "auto");
      log(`alert resolved: ${event.ruleId} on ${event.entityId}`);
    }
  }

  function enqueue(work: () => Promise<void>): Promise<void> {
    writing = writing
      .then(work)
      .then(async () => {
        unresolved = await unresolvedAlerts(db);
        announce(current());
      })
      .catch((error: unknown) => log(`alerts: ${error instanceof Error ? error.message : String(error)}`));
    return writing;
  }

  return {
    /** Called with every persisted batch. */
    observe(samples: readonly TSample[]): void {
      const events = engine.observe(samples);
      if (events.length > 0) void enqueue(async () => {
        for (const event of events) await apply(event);
      });
    },
    current,
    rules: () => rules,
    recent: async (limit: number) => (await recentAlerts(db, limit)).map(toWire),
    async putRule(rule: AlertRule): Promise<void> {
      await saveRule(db, rule);
      rules = [...rules.filter((r) => r.id !== rule.id), rule].sort((a, b) => a.id.localeCompare(b.id));
      engine.setRules(rules);
    },
    async deleteRule(id: string): Promise<boolean> {
      if (!(await deleteRule(db, id))) return false;
      rules = rules.filter((r) => r.id !== id);
      engine.setRules(rules);
      return true;
    },
    /** Resolves once every event so far is written. */
    flush: () => writing,
  };
}

export type Alerts = Awaited<ReturnType<typeof createAlerts>>;
