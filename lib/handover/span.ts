/** The span a shift handover covers: from/to on the source clock, the last 8 hours unless named. */
import { z } from "zod";
import { instant } from "../history/query";

export const DEFAULT_SPAN_MS = 8 * 3_600_000;
/** A longer span reads too much history for one page and is no shift anyway. */
export const MAX_SPAN_MS = 7 * 86_400_000;

export interface HandoverSpan {
  from: number;
  to: number;
}

// What an <input type="datetime-local"> sends: the page's times are Shenzhen time, so that is what it means.
const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const asShenzhen = (value: unknown) => (value === "" ? undefined : typeof value === "string" && LOCAL_MINUTE.test(value) ? `${value}:00+08:00` : value);

/**
 * `from` and `to` as the history API takes them (ISO 8601 with a zone, or epoch ms; a minute without a zone is Shenzhen time); `to`
 * defaults to `now` (the source clock's), `from` to 8 hours before `to`. Issues name the field.
 */
export function handoverSpanSchema(now: number) {
  return z
    .object({
      from: z.preprocess(asShenzhen, instant("from").optional()),
      to: z.preprocess(asShenzhen, instant("to").optional()),
      format: z.enum(["html", "csv"], { message: "must be html or csv" }).default("html"),
    })
    .transform((q) => {
      const to = q.to ?? (q.from === undefined ? now : Math.min(now, q.from + DEFAULT_SPAN_MS));
      return { from: q.from ?? to - DEFAULT_SPAN_MS, to, format: q.format };
    })
    .superRefine((q, ctx) => {
      if (q.to <= q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
      else if (q.to - q.from > MAX_SPAN_MS) ctx.addIssue({ code: "custom", path: ["to"], message: "at most 7 days after from" });
    });
}

/** The same span `daysBack` days earlier: what a shift's figures are compared with. */
export function spanDaysBefore(span: HandoverSpan, daysBack: number): HandoverSpan {
  const shift = daysBack * 86_400_000;
  return { from: span.from - shift, to: span.to - shift };
}
