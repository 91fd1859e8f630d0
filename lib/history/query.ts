/** The history API's parameters, validated with messages that name the bad one. */
import { z } from "zod";
import { entityById, metricById } from "../catalog";

const instant = (name: string) =>
  z.string({ message: `${name} is required` }).transform((value, ctx) => {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date-time (e.g. 2026-11-25T08:00:00+08:00) or epoch milliseconds" });
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
