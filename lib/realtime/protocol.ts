/**
 * The one wire protocol between the side server and every client. Event names,
 * payload schemas and rejection reasons live here and nowhere else; both ends
 * import the typed maps below, and the receiving end validates with the schemas
 * (type hints do not replace validation). zod/mini, not zod: this module ships in the
 * wall's bundle, where the chained API cost 15 KB more gzipped (BENCHMARKS.md, bundle).
 */
import * as z from "zod/mini";
import { CITY_ID, DOMAINS, ENTITY_KINDS, isMetricId, entityById, type MetricId } from "../catalog";
import type { WallRow } from "./walls";

/** Bump on any incompatible change; an older client is told to reload. 4: walls are named by the server (heartbeat `resume`, not `wallId`). */
export const PROTOCOL_VERSION = 4;

export const Event = {
  hello: "hello",
  frame: "frame",
  drills: "drills",
  heartbeat: "heartbeat",
  alerts: "alerts",
} as const;

export const Rejection = {
  protocolMismatch: "protocol-mismatch",
  invalidPayload: "invalid-payload",
} as const;
export type TRejection = (typeof Rejection)[keyof typeof Rejection];

export const ZDomain = z.enum(DOMAINS);

export const ZSample = z.object({
  metricId: z.pipe(z.string().check(z.refine(isMetricId, "unknown metric")), z.transform((id) => id as MetricId)),
  entityId: z.string().check(z.refine((id) => entityById(id) !== undefined, "unknown entity")),
  /** Epoch milliseconds of the measurement. */
  ts: z.int().check(z.nonnegative()),
  // Finite: zod 4 numbers reject NaN and ±Infinity.
  value: z.number(),
});
export type TSample = z.infer<typeof ZSample>;

export const ZSeriesHistory = z.object({
  metricId: ZSample.shape.metricId,
  entityId: z.string(),
  /** [epoch ms, value] pairs, oldest first. */
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type TSeriesHistory = z.infer<typeof ZSeriesHistory>;

/**
 * The source clock: simulated time runs `speed` times real time from an origin. At
 * speed 1 with origins equal it is the wall clock. Clients show and age data by it.
 */
export const ZClock = z.object({
  speed: z.number().check(z.positive()),
  realOrigin: z.number(),
  simOrigin: z.number(),
});
export type TClock = z.infer<typeof ZClock>;

export function clockNow(clock: TClock, realNow: number): number {
  return clock.simOrigin + (realNow - clock.realOrigin) * clock.speed;
}

/** A drill running (or planned) in simulated time; the wall shows 演练 / DRILL while one runs. */
export const ZDrill = z.object({
  id: z.string(),
  scenarioId: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  startTs: z.number(),
  endTs: z.number(),
});
export type TDrill = z.infer<typeof ZDrill>;
export const ZDrillState = z.object({ drills: z.array(ZDrill) });
export type TDrillState = z.infer<typeof ZDrillState>;

/**
 * An alert not yet resolved (lib/alerts): which rule, on what, since when (source clock),
 * the value that opened it and whether someone has acknowledged it. Sent to everyone on
 * every change, newest first, at most MAX_WIRE_ALERTS (when more are open, the worst are kept: lib/alerts/feed.ts).
 */
export const ZAlert = z.object({
  id: z.string(),
  ruleId: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  metricId: z.string(),
  entityId: z.string(),
  severity: z.enum(["info", "warning", "critical"]),
  sinceTs: z.number(),
  openedTs: z.number(),
  triggerValue: z.number(),
  /** A counting rule's alert (on a district): triggerValue is how many entities of this kind breached. */
  counted: z.optional(z.enum(ENTITY_KINDS)),
  /** The incident it belongs to (lib/alerts/incidents.ts): alerts sharing it, across two domains or more, are one event. */
  incidentId: z.optional(z.string()),
  acknowledged: z.nullable(z.object({ at: z.number(), by: z.string(), comment: z.nullable(z.string()) })),
});
export type TAlert = z.infer<typeof ZAlert>;
export const ZAlertState = z.object({ alerts: z.array(ZAlert) });
export type TAlertState = z.infer<typeof ZAlertState>;
export const MAX_WIRE_ALERTS = 200;

/** "summary": the city and its districts (the wall); "entities": every road, lot, institution and node too. */
export const ZLevel = z.enum(["summary", "entities"]);
export type TLevel = z.infer<typeof ZLevel>;

export const ZSnapshot = z.object({
  /** Source-clock time the snapshot was taken. */
  serverTime: z.number(),
  /** Source-clock span of the history. */
  windowMs: z.number(),
  /** Source-clock ms between two reports of one road, lot, institution or node (the city and districts report every tick). */
  entityIntervalMs: z.number(),
  clock: ZClock,
  drills: z.array(ZDrill),
  /** Absent from a server older than alerts: none. */
  alerts: z._default(z.array(ZAlert), []),
  latest: z.array(ZSample),
  history: z.array(ZSeriesHistory),
});
export type TSnapshot = z.infer<typeof ZSnapshot>;

/**
 * What a page follows: the city (everything), one district (it and everything in it) or
 * one entity, by id. A subscription is domains × level × scope; a client receives no
 * sample outside it.
 */
export const ZScope = z.string().check(z.refine((id) => entityById(id) !== undefined, "unknown city, district or entity"));

/** One frame per tick per subscribed domain and level: every sample persisted in that flush (within the scope). */
export const ZFrame = z.object({
  domain: ZDomain,
  level: ZLevel,
  seq: z.int().check(z.nonnegative()),
  samples: z.array(ZSample),
});
export type TFrame = z.infer<typeof ZFrame>;

/** What a page shows, hence what it is sent: its domains, at which level, within which scope. */
export const ZSubscription = z.object({
  domains: z.array(ZDomain).check(z.minLength(1), z.maxLength(DOMAINS.length)),
  level: z._default(ZLevel, "summary"),
  scope: z._default(ZScope, CITY_ID),
});
export type TSubscription = z.infer<typeof ZSubscription>;

/** The wall's: every domain, the city and its districts. */
export const WALL_SUBSCRIPTION: TSubscription = { domains: [...DOMAINS], level: "summary", scope: CITY_ID };

export const ZHello = z.extend(ZSubscription, { protocolVersion: z.int() });
export type THello = z.input<typeof ZHello>;

export const ZHelloReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), snapshot: ZSnapshot }),
  z.object({
    ok: z.literal(false),
    reason: z.enum([Rejection.protocolMismatch, Rejection.invalidPayload]),
    message: z.string(),
    serverProtocolVersion: z.number(),
  }),
]);
export type THelloReply = z.infer<typeof ZHelloReply>;

/**
 * A page's watchdog report, every HEARTBEAT_EVERY_MS (lib/realtime/walls.ts), so an operator
 * sees a frozen or failing screen at /walls. Fire-and-forget telemetry, answered with the
 * wall's id. Every field is bounded: the server keeps up to a thousand of these in memory.
 */
export const ZHeartbeat = z.object({
  /**
   * The resume token the server gave this page for its wall (kept in sessionStorage: a reload
   * or a reconnect is the same wall, a new tab another); null before the first answer. The
   * server names walls: a page cannot choose, or take, another wall's id.
   */
  resume: z._default(z.nullable(z.string().check(z.maxLength(128))), null),
  /** location.pathname + search. */
  path: z.string().check(z.maxLength(300)),
  /** Animation frames per second over the last interval. */
  fps: z.number().check(z.gte(0), z.lte(1_000)),
  /** performance.memory.usedJSHeapSize, where the browser has it (Chromium). */
  heapMB: z.nullable(z.number().check(z.gte(0), z.lte(1_000_000))),
  /** Real ms since the last data frame arrived; null before the first. */
  lastFrameAgeMs: z.nullable(z.number().check(z.gte(0), z.lte(366 * 24 * 3_600_000))),
  stalePanels: z.int().check(z.gte(0), z.lte(1_000)),
  viewport: z.object({
    width: z.number().check(z.gte(0), z.lte(100_000)),
    height: z.number().check(z.gte(0), z.lte(100_000)),
    dpr: z.number().check(z.gt(0), z.lte(16)),
  }),
});
export type THeartbeat = z.infer<typeof ZHeartbeat>;
/** The wall's part of a heartbeat, as the registry keeps it. */
export type TWallReport = Omit<THeartbeat, "resume">;

/** The answer to a heartbeat: the wall it was listed as and the token that proves it, or why it was not listed. */
export const ZHeartbeatReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), wallId: z.string(), resume: z.string() }),
  z.object({ ok: z.literal(false), reason: z.enum(["walls-per-address", "registry-full", "invalid-payload"]), message: z.string() }),
]);
export type THeartbeatReply = z.infer<typeof ZHeartbeatReply>;

export interface ServerToClientEvents {
  [Event.frame]: (frame: TFrame) => void;
  [Event.drills]: (state: TDrillState) => void;
  [Event.alerts]: (state: TAlertState) => void;
}

export interface ClientToServerEvents {
  [Event.hello]: (hello: THello, reply: (reply: THelloReply) => void) => void;
  [Event.heartbeat]: (heartbeat: z.input<typeof ZHeartbeat>, reply: (reply: THeartbeatReply) => void) => void;
}

/** An answer between side servers: the leader's result, its error, or null from an instance that is not the leader. */
export type PeerAnswer = { result: unknown } | { error: string; status: number } | null;

/**
 * Between the side servers of a cluster (server/cluster.ts), through the Redis Streams
 * adapter; never sent to a browser.
 */
export interface InterServerEvents {
  /** A batch one instance persisted: every other adds it to its window and frames it for its own clients. */
  "peer:batch": (samples: TSample[]) => void;
  /** The leader's unresolved alerts, for the others' hello snapshots. */
  "peer:alerts": (alerts: TAlert[]) => void;
  /** Drills were started or stopped somewhere: reload them. */
  "peer:drills": () => void;
  /** An alert operation for the leader (server/alert-relay.ts). */
  "peer:alert-op": (op: unknown, reply: (answer: PeerAnswer) => void) => void;
  /** GET /walls on any instance: each answers with the walls it serves. */
  "peer:walls": (reply: (walls: WallRow[]) => void) => void;
}

export interface SocketData {
  domains: readonly z.infer<typeof ZDomain>[];
}

/** The room of a subscription: "summary:traffic" for the whole city, "entities:parking@futian" for a district. */
export function domainRoom(domain: z.infer<typeof ZDomain>, level: TLevel, scope: string = CITY_ID): string {
  return scope === CITY_ID ? `${level}:${domain}` : `${level}:${domain}@${scope}`;
}

/** Every socket joins this room: drill state goes to all. */
export const EVERYONE_ROOM = "everyone";

export function seriesKey(metricId: string, entityId: string): string {
  return `${metricId}|${entityId}`;
}
