/** The history API's parameters, validated with messages that name the bad one. */
import { z } from "zod";
import { entityById, isSummaryEntity, metricById } from "../catalog";
import { REPLAY_SPEEDS, replayStepMs } from "../realtime/replay";

/** The instants a query may name: data is never older or newer, and Date, SQL and the drivers all represent them. */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
export const LATEST_INSTANT = Date.UTC(2100, 0, 1);

// ISO 8601 with a zone (Z or ±hh:mm), to the minute at least: Date.parse alone also takes "-1" (2001) or " 5".
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const instant = (name: string) =>
  z.string({ message: `${name} is required` }).transform((value, ctx) => {
    const ms = /^\d{1,20}$/.test(value) ? Number(value) : ISO_DATE_TIME.test(value) ? Date.parse(value) : NaN;
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date-time (e.g. 2026-11-25T08:00:00+08:00) or epoch milliseconds" });
      return z.NEVER;
    }
    if (ms < EARLIEST_INSTANT || ms > LATEST_INSTANT) {
      ctx.addIssue({ code: "custom", message: "must be between 2000-01-01 and 2100-01-01" });
      return z.NEVER;
    }
    return ms;
  });

export const MAX_POINTS_LIMIT = 5_000;

export function historyQuerySchema(maxRangeMs: number) {
  return z
    .object({
      metric: z.string({ message: "metric is required" }).refine((id) => metricById(id) !== undefined, { message: "unknown metric" }),
      entity: z.string({ message: "entity is required" }).refine((id) => entityById(id) !== undefined, { message: "unknown entity" }),
      from: instant("from"),
      to: instant("to"),
      maxPoints: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(10, "must be at least 10").max(MAX_POINTS_LIMIT, `must be at most ${MAX_POINTS_LIMIT}`).default(2_000),
    })
    .superRefine((q, ctx) => {
      const metric = metricById(q.metric);
      const entity = entityById(q.entity);
      if (metric && entity && !metric.entityKinds.includes(entity.kind)) {
        ctx.addIssue({ code: "custom", path: ["entity"], message: `${q.metric} is not measured on a ${entity.kind}` });
      }
      if (q.to <= q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
      else if (q.to - q.from > maxRangeMs) ctx.addIssue({ code: "custom", path: ["to"], message: `range longer than the ${Math.round(maxRangeMs / 86_400_000)} days of history kept` });
    });
}

export type THistoryQuery = z.infer<ReturnType<typeof historyQuerySchema>>;

/** Steps one /api/replay answer may hold per series (a client fetches a couple of minutes at a time). */
export const MAX_REPLAY_STEPS = 1_000;

/** /api/replay: a window of every summary series (or one entity's) at a replay speed. */
export const replayQuerySchema = z
  .object({
    from: instant("from"),
    to: instant("to"),
    speed: z.coerce.number({ message: "must be a number" }).refine((s) => (REPLAY_SPEEDS as readonly number[]).includes(s), { message: `must be one of ${REPLAY_SPEEDS.join(", ")}` }),
    entity: z
      .string()
      .refine((id) => isSummaryEntity(id), { message: "must be the city or a district" })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.to <= q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (q.to - q.from > MAX_REPLAY_STEPS * replayStepMs(q.speed)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `at most ${MAX_REPLAY_STEPS} steps of ${replayStepMs(q.speed) / 1000} s per request` });
    }
  });

export type TReplayQuery = z.infer<typeof replayQuerySchema>;

/** Longest window one /api/replay/alerts request covers (a replay fetches a couple of minutes of playback at a time). */
export const MAX_REPLAY_ALERTS_RANGE_MS = 24 * 3_600_000;

/** /api/replay/alerts: the alerts open at some instant of a replay's window. */
export const replayAlertsQuerySchema = z
  .object({ from: instant("from"), to: instant("to") })
  .superRefine((q, ctx) => {
    if (q.to <= q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (q.to - q.from > MAX_REPLAY_ALERTS_RANGE_MS) ctx.addIssue({ code: "custom", path: ["to"], message: "at most 24 hours per request" });
  });
