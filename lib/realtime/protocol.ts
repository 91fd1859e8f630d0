/**
 * The one wire protocol between the side server and every client. Event names,
 * payload schemas and rejection reasons live here and nowhere else; both ends
 * import the typed maps below, and the receiving end validates with the schemas
 * (type hints do not replace validation).
 */
import { z } from "zod";
import { DOMAINS, isMetricId, entityById, type MetricId } from "../catalog";

/** Bump on any incompatible change; an older client is told to reload. */
export const PROTOCOL_VERSION = 1;

export const Event = {
  hello: "hello",
  frame: "frame",
} as const;

export const Rejection = {
  protocolMismatch: "protocol-mismatch",
  invalidPayload: "invalid-payload",
} as const;
export type TRejection = (typeof Rejection)[keyof typeof Rejection];

export const ZDomain = z.enum(DOMAINS);

export const ZSample = z.object({
  metricId: z.string().refine(isMetricId, { message: "unknown metric" }).transform((id) => id as MetricId),
  entityId: z.string().refine((id) => entityById(id) !== undefined, { message: "unknown entity" }),
  /** Epoch milliseconds of the measurement. */
  ts: z.number().int().nonnegative(),
  value: z.number().finite(),
});
export type TSample = z.infer<typeof ZSample>;

export const ZSeriesHistory = z.object({
  metricId: ZSample.shape.metricId,
  entityId: z.string(),
  /** [epoch ms, value] pairs, oldest first. */
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type TSeriesHistory = z.infer<typeof ZSeriesHistory>;

export const ZSnapshot = z.object({
  serverTime: z.number(),
  windowMs: z.number(),
  latest: z.array(ZSample),
  history: z.array(ZSeriesHistory),
});
export type TSnapshot = z.infer<typeof ZSnapshot>;

/** One frame per tick per subscribed domain: every sample persisted in that flush. */
export const ZFrame = z.object({
  domain: ZDomain,
  seq: z.number().int().nonnegative(),
  samples: z.array(ZSample),
});
export type TFrame = z.infer<typeof ZFrame>;

export const ZHello = z.object({
  protocolVersion: z.number().int(),
  domains: z.array(ZDomain).min(1).max(DOMAINS.length),
});
export type THello = z.infer<typeof ZHello>;

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

export interface ServerToClientEvents {
  [Event.frame]: (frame: TFrame) => void;
}

export interface ClientToServerEvents {
  [Event.hello]: (hello: THello, reply: (reply: THelloReply) => void) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events until Redis fan-out
export interface InterServerEvents {}

export interface SocketData {
  domains: readonly z.infer<typeof ZDomain>[];
}

export function domainRoom(domain: z.infer<typeof ZDomain>): string {
  return `domain:${domain}`;
}

export function seriesKey(metricId: string, entityId: string): string {
  return `${metricId}|${entityId}`;
}
