/**
 * Notifications out of the room, at least once. Each alert event (open, acknowledge,
 * resolve) becomes a row in the outbox (NotifyDelivery) per channel that wants it; the leader
 * sends due rows in the background — at most 4 at once, one per channel at a time, each with
 * a 5 s timeout and at most 64 KB of answer read — and records what came of each attempt.
 * A failure is retried with a doubling wait, within NOTIFY_MAX_ATTEMPTS and NOTIFY_MAX_AGE_MINUTES;
 * rows still pending at a restart are taken up by the next start. Nothing here is awaited by
 * the alert engine or the pipeline, and a dead channel costs only its own rows: the alert is
 * stored and announced before any of this runs.
 */
import { randomUUID } from "node:crypto";
import { metricById } from "@/lib/catalog";
import type { Database } from "@/lib/db/client";
import { alertFacts, alertsChangedSince, alertsFacts, channelById, dueDeliveries, enqueueDeliveries, listChannels, pruneDeliveries, recordAttempt } from "@/lib/db/notify";
import { wants, type Channel, type Delivery, type NotifyEvent } from "@/lib/notify/channels";
import { MAX_ANSWER_BYTES, judgeAnswer, nextAttemptAt, type RetryPolicy } from "@/lib/notify/delivery";
import type { AlertFacts, Notice } from "@/lib/notify/message";
import { buildRequest } from "@/lib/notify/request";
import { notificationDeliveries } from "./metrics";
import { type Log } from "@/lib/log";

const MAX_IN_FLIGHT = 4;
export const SEND_TIMEOUT_MS = 5_000;
const TICK_MS = 1_000;
const PRUNE_EVERY_MS = 10 * 60_000;
/** The outbox never holds more finished rows than this, whatever NOTIFY_KEEP_DAYS says. */
const MAX_ROWS = 100_000;
/** At start, events of the last 10 minutes (real time) with no delivery yet are queued: a crash between storing an alert and queueing its notifications loses none. */
const RECONCILE_WINDOW_MS = 10 * 60_000;
const RECONCILE_MAX_ALERTS = 1_000;
/** Alert events read and queued together, and the most that may wait for that. */
const DRAIN_BATCH = 500;
const MAX_WAITING = 20_000;

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  why: string | null;
  permanent: boolean;
  ms: number;
}

/** The text of a failed request, with anything of the channel's URL or secret taken out. */
function whyOf(error: unknown, channel: Channel): string {
  let text: string;
  if (error instanceof DOMException && error.name === "TimeoutError") text = `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  else if (error instanceof Error && error.cause instanceof Error) text = error.cause.message; // fetch's "fetch failed" hides the reason here
  else text = error instanceof Error ? error.message : String(error);
  const path = channel.url.replace(/^[a-z]+:\/\/[^/?]*/i, "");
  for (const secret of [channel.url, path, channel.secret]) if (secret && secret.length > 1) text = text.split(secret).join("…");
  return text;
}

/** The answer's text, at most MAX_ANSWER_BYTES of it: a receiver cannot make us read without end. */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString("utf8");
}

/**
 * One POST of `notice` to `channel`'s URL, never following a redirect; `nowMs` is the wall
 * clock the signatures carry. Never throws: a failure is the result's `why`.
 */
export async function sendNotice(channel: Channel, notice: Notice, opts: { nowMs: number; publicUrl: string; signal?: AbortSignal }): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const request = buildRequest(channel, notice, opts.nowMs, opts.publicUrl);
    const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
    const res = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
    const outcome = judgeAnswer(channel.type, res.status, await readCapped(res), res.headers.get("location"));
    return outcome.ok ? { ok: true, statusCode: res.status, why: null, permanent: false, ms: elapsed() } : { ok: false, statusCode: res.status, why: outcome.why, permanent: outcome.permanent, ms: elapsed() };
  } catch (error) {
    return { ok: false, statusCode: null, why: whyOf(error, channel), permanent: false, ms: elapsed() };
  }
}

export interface NotifierDeps {
  db: Database;
  /** The wall clock: retries, ages and signatures. */
  now(): number;
  /** The source clock: alert event times and channel creation are on it. */
  simNow(): number;
  /** Source-clock ms per real ms. */
  speed: number;
  publicUrl: string;
  policy: RetryPolicy;
  keepMs: number;
  log: Log;
}

const domainOf = (alert: AlertFacts) => metricById(alert.metricId)?.domain ?? null;

/** When each event of an alert happened (source clock), for those that did. */
function eventsOf(alert: AlertFacts): [NotifyEvent, number][] {
  return [
    ["open", alert.openedTs],
    ...(alert.acknowledged ? [["acknowledge", alert.acknowledged.at] as [NotifyEvent, number]] : []),
    ...(alert.resolved ? [["resolve", alert.resolved.at] as [NotifyEvent, number]] : []),
  ];
}

export function startNotifier(deps: NotifierDeps) {
  const { db, now, log } = deps;
  const inFlight = new Map<string, AbortController>();
  const busyChannels = new Set<string>();
  const background = new Set<Promise<void>>();
  let pumping = false;
  let again = false;
  let stopped = false;
  let lastPrune = 0;

  const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
  function track(work: Promise<void>, what: string): void {
    const tracked = work.catch((error: unknown) => log.error({ work: what, error: errorText(error) }, "notifications failed"));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
  }

  /** Queues a delivery of each (alert, event) to every channel of `channels` that wants it. */
  async function queue(events: readonly { alert: AlertFacts; event: NotifyEvent; channels: readonly Channel[] }[]): Promise<void> {
    const rows = events.flatMap(({ alert, event, channels }) =>
      channels.filter((c) => wants(c, { severity: alert.severity, domain: domainOf(alert) }, event)).map((c) => ({ id: randomUUID(), alertId: alert.id, event, channelId: c.id, channelName: c.name })),
    );
    if (rows.length > 0 && (await enqueueDeliveries(db, rows, now())) > 0) kick();
  }

  // Events wait here for one drain at a time: a tick that opens 700 alerts costs a few queries, not three each.
  const waiting: { alertId: string; event: NotifyEvent }[] = [];
  let draining = false;
  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, DRAIN_BATCH);
        const channels = (await listChannels(db)).filter((c) => c.enabled);
        if (channels.length === 0) continue;
        const alerts = new Map((await alertsFacts(db, [...new Set(batch.map((e) => e.alertId))])).map((a) => [a.id, a]));
        await queue(batch.flatMap(({ alertId, event }) => {
          const alert = alerts.get(alertId);
          return alert ? [{ alert, event, channels }] : [];
        }));
      }
    } finally {
      draining = false;
    }
  }

  /** Queues what the last minutes' events should have queued and did not (a crash in between); the unique key skips the rest. */
  async function reconcile(): Promise<void> {
    const since = deps.simNow() - RECONCILE_WINDOW_MS * deps.speed;
    const [alerts, channels] = await Promise.all([alertsChangedSince(db, since, RECONCILE_MAX_ALERTS), listChannels(db)]);
    // Only events a channel existed for: a channel made a minute ago gets nothing older.
    await queue(alerts.flatMap((alert) => eventsOf(alert).filter(([, at]) => at >= since).map(([event, at]) => ({ alert, event, channels: channels.filter((c) => c.createdTs <= at) }))));
  }

  async function attempt(delivery: Delivery, signal: AbortSignal): Promise<void> {
    const at = now();
    const channel = await channelById(db, delivery.channelId);
    const finish = (status: "sent" | "failed" | "pending", result: { statusCode: number | null; why: string | null }, attempts: number, next = at) => {
      notificationDeliveries.inc({ channel: channel?.type ?? "deleted", outcome: status === "pending" ? "retry" : status });
      return recordAttempt(db, delivery.id, { status, attempts, at, nextAttemptAt: next, ...result });
    };
    if (!channel || !channel.enabled) return finish("failed", { statusCode: null, why: channel ? "channel disabled before it was sent" : "channel deleted before it was sent" }, delivery.attempts);
    if (at - delivery.createdAt > deps.policy.maxAgeMs) return finish("failed", { statusCode: null, why: `not sent within ${Math.round(deps.policy.maxAgeMs / 60_000)} min of the event` }, delivery.attempts);
    const alert = await alertFacts(db, delivery.alertId);
    if (!alert) return finish("failed", { statusCode: null, why: "alert not found" }, delivery.attempts);

    const result = await sendNotice(channel, { kind: "alert", event: delivery.event, alert }, { nowMs: at, publicUrl: deps.publicUrl, signal });
    // Stopped mid-send: the row stays pending as it was and the next start sends it (at least once).
    if (signal.aborted) return;
    const attempts = delivery.attempts + 1;
    if (result.ok) return finish("sent", { statusCode: result.statusCode, why: null }, attempts);
    const next = nextAttemptAt(deps.policy, attempts, delivery.createdAt, now(), result.permanent);
    if (next === null) log.warn({ channel: channel.name, alertId: delivery.alertId, attempts, why: result.why }, "notification given up");
    return next === null ? finish("failed", result, attempts) : finish("pending", result, attempts, next);
  }

  function start(delivery: Delivery): void {
    const controller = new AbortController();
    inFlight.set(delivery.id, controller);
    busyChannels.add(delivery.channelId);
    track(
      attempt(delivery, controller.signal).finally(() => {
        inFlight.delete(delivery.id);
        busyChannels.delete(delivery.channelId);
        kick();
      }),
      "a delivery",
    );
  }

  /** Starts due deliveries while there is room: MAX_IN_FLIGHT at once, one per channel. */
  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        if (stopped || inFlight.size >= MAX_IN_FLIGHT) break;
        for (const delivery of await dueDeliveries(db, now(), MAX_IN_FLIGHT * 4)) {
          if (stopped || inFlight.size >= MAX_IN_FLIGHT) break;
          if (!inFlight.has(delivery.id) && !busyChannels.has(delivery.channelId)) start(delivery);
        }
      } while (again);
    } finally {
      pumping = false;
    }
  }

  function kick(): void {
    if (!stopped) track(pump(), "sending");
  }

  const timer = setInterval(() => {
    kick();
    if (now() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now();
      track(
        pruneDeliveries(db, now() - deps.keepMs, MAX_ROWS).then((n) => {
          if (n > 0) log.info({ pruned: n }, "notifications: pruned delivered or failed records");
        }),
        "pruning",
      );
    }
  }, TICK_MS);
  track(reconcile().then(kick), "catching up");

  return {
    /** An alert event happened (its row is stored): queue its notifications. Returns at once. */
    notify(alertId: string, event: NotifyEvent): void {
      if (stopped) return;
      // Bounded: past this the events are left to the next start's catch-up rather than held in memory.
      if (waiting.length >= MAX_WAITING) return log.warn({ bound: MAX_WAITING, event, alertId }, "notifications: too many alert events waiting to be queued; this one is left to the next start");
      waiting.push({ alertId, event });
      track(drain(), "queueing");
    },
    /** Stops sending; a send in flight is abandoned and stays pending for the next start. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      for (const controller of inFlight.values()) controller.abort();
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}

export type Notifier = ReturnType<typeof startNotifier>;
