/**
 * The rules a sample must pass to enter the pipeline, whatever its source (simulator,
 * HTTP, MQTT, NGSI-LD): the catalog knows the metric and the entity, the metric is
 * measured on that kind of entity, the value is finite and physically possible, and the
 * timestamp lies between the raw retention horizon and a little ahead of the source clock.
 */
import { entityById, metricById } from "../catalog";
// ZSample is zod/mini, which carries no messages: this loads English ones, as for every 4xx.
import "../issues";
import { ZSample, type TSample } from "../realtime/protocol";

export interface FieldIssue {
  /** The field, as a dotted path inside the sample ("value", "ts"). */
  path: string;
  message: string;
}

export interface RejectedSample {
  /** Position of the sample in the batch it came in. */
  index: number;
  issues: FieldIssue[];
}

/** A 422 lists this many rejections and counts the rest: listing all 5,000 of a batch made an answer of 1.6 MB, 6.7 times its request. */
export const MAX_LISTED_REJECTIONS = 100;

/** The accepted span of timestamps, in source-clock epoch ms. */
export interface TimeWindow {
  /** Older samples would be deleted by retention at once. */
  oldest: number;
  /** Newer ones are clocks gone wrong, not measurements. */
  newest: number;
}

/** How far ahead of the source clock a timestamp may be: 5 real minutes of clock skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function timeWindow(now: number, rawRetentionMs: number, clockSpeed = 1): TimeWindow {
  return { oldest: now - rawRetentionMs, newest: now + MAX_CLOCK_SKEW_MS * clockSpeed };
}

function describeSpan(ms: number): string {
  return ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 1_000)} s`;
}

export function checkSample(raw: unknown, window: TimeWindow): { sample: TSample } | { issues: FieldIssue[] } {
  const parsed = ZSample.safeParse(raw);
  if (!parsed.success) return { issues: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "sample", message: i.message })) };
  const sample = parsed.data;
  const metric = metricById(sample.metricId);
  const entity = entityById(sample.entityId);
  const issues: FieldIssue[] = [];
  if (metric && entity && !(metric.entityKinds as readonly string[]).includes(entity.kind)) {
    issues.push({ path: "entityId", message: `${metric.id} is not measured on a ${entity.kind} (measured on: ${metric.entityKinds.join(", ")})` });
  }
  if (metric && (sample.value < metric.range.min || sample.value > metric.range.max)) {
    issues.push({ path: "value", message: `must be between ${metric.range.min} and ${metric.range.max} for ${metric.id}` });
  }
  if (sample.ts > window.newest) {
    issues.push({ path: "ts", message: `is ${describeSpan(sample.ts - window.newest)} past the latest accepted time ${new Date(window.newest).toISOString()} (clock skew)` });
  } else if (sample.ts < window.oldest) {
    issues.push({ path: "ts", message: `is before the raw retention horizon ${new Date(window.oldest).toISOString()}` });
  }
  return issues.length > 0 ? { issues } : { sample };
}

/** Every sample checked; the batch is good only when `rejected` is empty. */
export function checkBatch(input: readonly unknown[], window: TimeWindow): { samples: TSample[]; rejected: RejectedSample[] } {
  const samples: TSample[] = [];
  const rejected: RejectedSample[] = [];
  input.forEach((raw, index) => {
    const result = checkSample(raw, window);
    if ("sample" in result) samples.push(result.sample);
    else rejected.push({ index, issues: result.issues });
  });
  return { samples, rejected };
}
