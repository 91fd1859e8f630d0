/**
 * The singletons: the simulator and the MQTT source (one stream, not one per instance), the
 * alert engine, rollups and retention. They run on the one side server that leads
 * (server/leader.ts): the only one of a single server, the advisory lock's holder in a
 * cluster. A leader that steps down stops them; the next one starts its own.
 */
import type { Database } from "@/lib/db/client";
import type { TServerEnv } from "@/lib/config";
import type { TAlert, TClock } from "@/lib/realtime/protocol";
import { backfillPlan } from "@/lib/sim/backfill";
import { type Log } from "@/lib/log";
import { startBackfill, type Backfill } from "./backfill";
import { createAlerts, type Alerts } from "./alerts";
import { startNotifier } from "./notifier";
import type { Drills } from "./drills";
import type { HistoryJobs } from "./history-jobs";
import type { Pipeline } from "./pipeline";
import { startMqttPublisher, startMqttSource, type MqttSource } from "./sources/mqtt";
import { startSimulatorSource } from "./sources/simulator";

export interface SingletonDeps {
  env: TServerEnv;
  db: Database;
  clock: TClock;
  simNow(): number;
  now(): number;
  pipeline: Pipeline;
  drills: Drills;
  history: HistoryJobs;
  announceAlerts(list: TAlert[]): void;
  log: Log;
  /** Hours of simulated history to fill before the simulator's first tick: SIM_BACKFILL_HOURS on an empty database, else 0. */
  backfillHours: number;
  /** The live window, source-clock ms: filled at every tick. */
  windowMs: number;
  /** Where the web app is, for the links in notifications. */
  publicUrl: string;
}

export interface Singletons {
  alerts: Alerts;
  mqttSource: MqttSource | null;
  backfill: Backfill | null;
  stop(): Promise<void>;
}

/**
 * Nothing after the alert engine is made awaits: the caller holds the returned singletons
 * before the first batch the new sources persist comes back to it (a later turn of the loop).
 */
export async function startSingletons({ env, db, clock, simNow, now, pipeline, drills, history, announceAlerts, log, backfillHours, windowMs, publicUrl }: SingletonDeps): Promise<Singletons> {
  const notifier = startNotifier({
    db,
    now,
    simNow,
    speed: clock.speed,
    publicUrl,
    policy: { firstDelayMs: env.NOTIFY_RETRY_SECONDS * 1_000, maxDelayMs: 300_000, maxAttempts: env.NOTIFY_MAX_ATTEMPTS, maxAgeMs: env.NOTIFY_MAX_AGE_MINUTES * 60_000 },
    keepMs: env.NOTIFY_KEEP_DAYS * 86_400_000,
    log: log.child({ component: "notify" }),
  });
  const alerts = await createAlerts({ db, now: simNow, announce: announceAlerts, notify: notifier.notify, log: log.child({ component: "alerts" }) });
  announceAlerts(alerts.current());
  void history.catchUp();
  const mqttOptions = env.MQTT_URL ? { url: env.MQTT_URL, username: env.MQTT_USERNAME, password: env.MQTT_PASSWORD, clientId: env.MQTT_CLIENT_ID, log: log.child({ component: "mqtt" }) } : null;
  const mqttSource = mqttOptions ? startMqttSource(pipeline, { ...mqttOptions, now: simNow }) : null;
  const simPublisher = mqttOptions && env.SIM_ENABLED && env.SIM_OUTPUT === "mqtt" ? startMqttPublisher({ ...mqttOptions, clientId: `${env.MQTT_CLIENT_ID}-sim` }) : null;
  const simulator = env.SIM_ENABLED ? startSimulatorSource(simPublisher ?? pipeline, { seed: env.SIM_SEED, entityEvery: env.SIM_ENTITY_EVERY, clock, drills, now, log: log.child({ component: "simulator" }) }) : null;
  const backfill =
    simulator && backfillHours > 0
      ? startBackfill({ pipeline, seed: env.SIM_SEED, plan: backfillPlan(simulator.firstTs, backfillHours, 1_000 * clock.speed, windowMs), log: log.child({ component: "backfill" }) })
      : null;
  const rollupTimer = setInterval(() => void history.rollUp(), 5_000);
  const retentionTimer = setInterval(() => void history.expire(), 60_000);
  void history.expire();
  return {
    alerts,
    mqttSource,
    backfill,
    async stop() {
      simulator?.stop();
      await backfill?.stop();
      clearInterval(rollupTimer);
      clearInterval(retentionTimer);
      await simPublisher?.close();
      await mqttSource?.close();
      await alerts.flush();
      await notifier.stop();
    },
  };
}
