/**
 * Notification channels and the outbox as persisted. A delivery row per (alert, event,
 * channel) is inserted once (the unique key makes a repeat a no-op), sent and retried by the
 * leader (server/notifier.ts), and kept as the record of what was sent, failed and why.
 */
import { CHANNEL_TYPES, DELIVERY_STATUSES, FORMATS, NOTIFY_EVENTS, type Channel, type ChannelFormat, type Delivery, type DeliveryStatus, type NotifyEvent } from "../notify/channels";
import type { AlertFacts } from "../notify/message";
import { SEVERITIES, type AlertSeverity } from "../alerts/rules";
import { DOMAINS, type Domain } from "../catalog";
import type { Database } from "./client";
import { dialectOf } from "./dialect";

type ChannelRow = Awaited<ReturnType<Database["notifyChannel"]["findMany"]>>[number];
type DeliveryRow = Awaited<ReturnType<Database["notifyDelivery"]["findMany"]>>[number];

const list = <T extends string>(text: string, allowed: readonly T[]): T[] => allowed.filter((v) => text.split(",").includes(v));
const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(value) ? (value as T) : fallback);

function toChannel(r: ChannelRow): Channel {
  const type = oneOf(r.type, CHANNEL_TYPES, "webhook");
  return {
    id: r.id,
    name: r.name,
    type,
    url: r.url,
    secret: r.secret,
    format: oneOf<ChannelFormat>(r.format, FORMATS[type], FORMATS[type][0]),
    lang: r.lang === "en" ? "en" : "zh",
    severities: list<AlertSeverity>(r.severities, SEVERITIES),
    domains: list<Domain>(r.domains, DOMAINS),
    onOpen: r.onOpen,
    onAcknowledge: r.onAcknowledge,
    onResolve: r.onResolve,
    enabled: r.enabled,
    createdTs: r.createdTs.getTime(),
    updatedAt: r.updatedAt.getTime(),
  };
}

const channelRow = (c: Channel): ChannelRow => ({
  ...c,
  severities: c.severities.join(","),
  domains: c.domains.join(","),
  createdTs: new Date(c.createdTs),
  updatedAt: new Date(c.updatedAt),
});

const time = (d: Date | null) => (d === null ? null : d.getTime());
const toDelivery = (r: DeliveryRow): Delivery => ({
  ...r,
  event: oneOf(r.event, NOTIFY_EVENTS, "open"),
  status: oneOf(r.status, DELIVERY_STATUSES, "pending"),
  createdAt: r.createdAt.getTime(),
  nextAttemptAt: r.nextAttemptAt.getTime(),
  lastAttemptAt: time(r.lastAttemptAt),
});

export async function listChannels(db: Database): Promise<Channel[]> {
  return (await db.notifyChannel.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toChannel);
}

export async function channelById(db: Database, id: string): Promise<Channel | null> {
  const row = await db.notifyChannel.findUnique({ where: { id } });
  return row ? toChannel(row) : null;
}

export async function saveChannel(db: Database, channel: Channel): Promise<void> {
  const row = channelRow(channel);
  await db.notifyChannel.upsert({ where: { id: channel.id }, create: row, update: row });
}

/** Deletes a channel; what it had still to send is recorded as failed. False when there is none. */
export async function deleteChannel(db: Database, id: string, nowMs: number): Promise<boolean> {
  const [, deleted] = await db.$transaction([
    db.notifyDelivery.updateMany({ where: { channelId: id, status: "pending" }, data: { status: "failed", why: "channel deleted before it was sent", lastAttemptAt: new Date(nowMs) } }),
    db.notifyChannel.deleteMany({ where: { id } }),
  ]);
  return deleted.count > 0;
}

/** Queues one delivery per (alert, event, channel); one queued already stays as it is. Returns how many are new. */
export async function enqueueDeliveries(db: Database, rows: readonly { id: string; alertId: string; event: NotifyEvent; channelId: string; channelName: string }[], nowMs: number): Promise<number> {
  const d = dialectOf(db);
  const sql = d.sql(
    `INSERT INTO "NotifyDelivery" ("id", "alertId", "event", "channelId", "channelName", "status", "attempts", "createdAt", "nextAttemptAt") ` +
      `VALUES (?, ?, ?, ?, ?, 'pending', 0, ${d.time("?")}, ${d.time("?")}) ON CONFLICT ("alertId", "event", "channelId") DO NOTHING`,
  );
  let inserted = 0;
  for (const r of rows) inserted += await db.$executeRawUnsafe(sql, r.id, r.alertId, r.event, r.channelId, r.channelName, nowMs, nowMs);
  return inserted;
}

/** Pending deliveries due by `nowMs`, the longest waiting first. */
export async function dueDeliveries(db: Database, nowMs: number, limit: number): Promise<Delivery[]> {
  const rows = await db.notifyDelivery.findMany({ where: { status: "pending", nextAttemptAt: { lte: new Date(nowMs) } }, orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }, { id: "asc" }], take: limit });
  return rows.map(toDelivery);
}

export async function recordAttempt(
  db: Database,
  id: string,
  result: { status: DeliveryStatus; attempts: number; at: number; nextAttemptAt: number; statusCode: number | null; why: string | null },
): Promise<void> {
  await db.notifyDelivery.update({
    where: { id },
    data: { status: result.status, attempts: result.attempts, lastAttemptAt: new Date(result.at), nextAttemptAt: new Date(result.nextAttemptAt), statusCode: result.statusCode, why: result.why },
  });
}

/** Every delivery of these alerts, oldest first (at most 50 per alert are ever made: events × channels). */
export async function deliveriesOf(db: Database, alertIds: readonly string[]): Promise<Delivery[]> {
  if (alertIds.length === 0) return [];
  const rows = await db.notifyDelivery.findMany({ where: { alertId: { in: [...alertIds] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toDelivery);
}

/**
 * Deletes sent and failed deliveries older than `olderThanMs`, and the oldest finished ones
 * past `maxRows`; pending ones stay (their age limit turns them failed first). Returns the count.
 */
export async function pruneDeliveries(db: Database, olderThanMs: number, maxRows: number): Promise<number> {
  const finished = { status: { in: ["sent", "failed"] } };
  let deleted = (await db.notifyDelivery.deleteMany({ where: { ...finished, createdAt: { lt: new Date(olderThanMs) } } })).count;
  const excess = (await db.notifyDelivery.count()) - maxRows;
  if (excess > 0) {
    const oldest = await db.notifyDelivery.findMany({ where: finished, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: excess, select: { id: true } });
    deleted += (await db.notifyDelivery.deleteMany({ where: { id: { in: oldest.map((r) => r.id) } } })).count;
  }
  return deleted;
}

/** The id of the unresolved alert of (rule, entity), or null: what an automatic resolution is about to close. */
export async function unresolvedAlertId(db: Database, ruleId: string, entityId: string): Promise<string | null> {
  return (await db.alert.findFirst({ where: { ruleId, entityId, resolvedTs: null }, select: { id: true } }))?.id ?? null;
}

type AlertRow = Awaited<ReturnType<Database["alert"]["findMany"]>>[number];

async function factsOf(db: Database, rows: AlertRow[]): Promise<AlertFacts[]> {
  const rules = await db.alertRule.findMany({ where: { id: { in: [...new Set(rows.map((a) => a.ruleId))] } }, select: { id: true, nameZh: true, nameEn: true } });
  const names = new Map(rules.map((r) => [r.id, { zh: r.nameZh, en: r.nameEn }]));
  return rows.map((a) => ({
    id: a.id,
    ruleId: a.ruleId,
    // A rule deleted since keeps its id as its name.
    ruleName: names.get(a.ruleId) ?? { zh: a.ruleId, en: a.ruleId },
    severity: oneOf(a.severity, SEVERITIES, "critical"),
    metricId: a.metricId,
    entityId: a.entityId,
    triggerValue: a.triggerValue,
    peakValue: a.peakValue,
    sinceTs: a.sinceTs.getTime(),
    openedTs: a.openedTs.getTime(),
    acknowledged: a.acknowledgedTs === null ? null : { at: a.acknowledgedTs.getTime(), by: a.acknowledgedBy ?? "", comment: a.ackComment },
    resolved: a.resolvedTs === null ? null : { at: a.resolvedTs.getTime(), by: a.resolvedBy ?? "" },
  }));
}

/** These alerts as notifications tell them; ids with no alert are left out. */
export async function alertsFacts(db: Database, ids: readonly string[]): Promise<AlertFacts[]> {
  return ids.length === 0 ? [] : factsOf(db, await db.alert.findMany({ where: { id: { in: [...ids] } } }));
}

/** An alert as a notification tells it (with its rule's name), or null when there is none. */
export async function alertFacts(db: Database, id: string): Promise<AlertFacts | null> {
  const row = await db.alert.findUnique({ where: { id } });
  return row ? ((await factsOf(db, [row]))[0] ?? null) : null;
}

/** Alerts opened, acknowledged or resolved at or after `sinceTs` (source clock), at most `limit`. */
export async function alertsChangedSince(db: Database, sinceTs: number, limit: number): Promise<AlertFacts[]> {
  const since = new Date(sinceTs);
  const rows = await db.alert.findMany({
    where: { OR: [{ openedTs: { gte: since } }, { acknowledgedTs: { gte: since } }, { resolvedTs: { gte: since } }] },
    orderBy: [{ openedTs: "asc" }, { id: "asc" }],
    take: limit,
  });
  return factsOf(db, rows);
}
