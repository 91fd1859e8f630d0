/**
 * The MQTT topic scheme, pure (no I/O): turns one message into the samples it carries,
 * or says which part of it is wrong. Range, entity and time checks are not done here:
 * the pipeline's checkBatch (./rules.ts) does them for every source alike.
 *
 *   city/<domain>/<metric>/<entityId>   {"value": 7.2, "ts": 1764050000000} (ts optional) or a bare number
 *   city/samples                        [{"metricId", "entityId", "ts", "value"}, …]
 */
import { DOMAINS, METRICS, isMetricId } from "../catalog";

export const TOPIC_PREFIX = "city";
/** One message carrying many samples: what the simulator publishes, one per tick. */
export const BATCH_TOPIC = `${TOPIC_PREFIX}/samples`;
/** One sample for one metric of one entity. */
export const SAMPLE_TOPIC_FILTER = `${TOPIC_PREFIX}/+/+/+`;
export const SUBSCRIPTIONS = [SAMPLE_TOPIC_FILTER, BATCH_TOPIC] as const;
/** A larger message is a broken or hostile publisher: a whole simulator tick (every series) is ~300 KB. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export type ParsedMessage = { samples: unknown[] } | { error: string };

/** The topic a device publishes one sample of `metricId` (e.g. "parking.occupancy") for `entityId` on. */
export function sampleTopic(metricId: string, entityId: string): string {
  return `${TOPIC_PREFIX}/${metricId.replace(".", "/")}/${entityId}`;
}

const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJson(payload: Uint8Array): { json: unknown } | { error: string } {
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return { error: `payload: ${payload.byteLength} bytes, more than the ${MAX_PAYLOAD_BYTES} byte limit` };
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { error: "payload: not UTF-8 text" };
  }
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `payload: not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** The metric id a `city/<domain>/<metric>/<entityId>` topic names, or what is wrong with it. */
function metricOfTopic(parts: readonly string[]): { metricId: string } | { error: string } {
  const [, domain = "", metric = ""] = parts;
  if (!(DOMAINS as readonly string[]).includes(domain)) return { error: `topic domain ${quote(domain)}: unknown (one of ${DOMAINS.join(", ")})` };
  const metricId = `${domain}.${metric}`;
  if (!isMetricId(metricId)) {
    const known = METRICS.filter((m) => m.domain === domain).map((m) => m.id.slice(domain.length + 1));
    return { error: `topic metric ${quote(metric)}: not a ${domain} metric (one of ${known.join(", ")})` };
  }
  return { metricId };
}

/** One sample-topic payload: a bare number, or {value, ts?} where a missing ts is `now`. */
function sampleOfPayload(json: unknown, metricId: string, entityId: string, now: number): { samples: unknown[] } | { error: string } {
  if (typeof json === "number") return { samples: [{ metricId, entityId, ts: now, value: json }] };
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { error: `payload: must be a number or an object {"value": …, "ts": …}, not ${Array.isArray(json) ? "an array" : json === null ? "null" : typeof json}` };
  }
  const fields = json as Record<string, unknown>;
  // A misspelt "timestamp" would otherwise silently become `now`.
  const unknown = Object.keys(fields).filter((k) => k !== "value" && k !== "ts");
  if (unknown.length > 0) return { error: `payload.${unknown[0]}: unknown field (expected value and optionally ts)` };
  if (!("value" in fields)) return { error: "payload.value: missing" };
  return { samples: [{ metricId, entityId, ts: fields.ts ?? now, value: fields.value }] };
}

/** The samples one MQTT message carries; `now` (epoch ms, source clock) stamps a sample sent without ts. */
export function parseMqttMessage(topic: string, payload: Uint8Array, now: number): ParsedMessage {
  const parts = topic.split("/");
  const isBatch = topic === BATCH_TOPIC;
  if (!isBatch && (parts.length !== 4 || parts[0] !== TOPIC_PREFIX)) {
    return { error: `topic ${quote(topic)}: expected ${TOPIC_PREFIX}/<domain>/<metric>/<entityId> or ${BATCH_TOPIC}` };
  }
  const metric = isBatch ? null : metricOfTopic(parts);
  if (metric && "error" in metric) return metric;
  const parsed = parseJson(payload);
  if ("error" in parsed) return parsed;
  if (!metric) {
    if (!Array.isArray(parsed.json)) return { error: `payload: ${BATCH_TOPIC} takes a JSON array of {metricId, entityId, ts, value}` };
    if (parsed.json.length === 0) return { error: "payload: empty array" };
    return { samples: parsed.json as unknown[] };
  }
  return sampleOfPayload(parsed.json, metric.metricId, parts[3] ?? "", now);
}
