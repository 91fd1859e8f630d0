/**
 * NGSI-LD notifications (what a FIWARE Orion-LD subscription POSTs) mapped onto catalog
 * samples. Pure: the caller passes `samples` through checkBatch (rules.ts), the one rule
 * set for every source, so ranges, retention and clock skew are not checked here.
 * The mapping and the reasons for it: docs/ingest-ngsi-ld.md.
 */
import { z } from "zod";
import { entityById, type EntityKind } from "../catalog";

export interface NgsiMapping {
  samples: { metricId: string; entityId: string; ts: number; value: number }[];
  issues: { path: string; message: string }[];
}
type Issue = NgsiMapping["issues"][number];
type Reading = { value: number; ts: number };
/** A time that could not be read: its issue is already reported, and nothing is stored at a guessed time. */
type Bad = null;

/** One notification is one request body; more entities than this is a misconfigured subscription, not a burst. */
export const MAX_ENTITIES = 1000;

/** The Smart Data Models understood, the catalog kind their entity ids must name, and an example id. */
const MODELS: ReadonlyMap<string, { kind: EntityKind; example: string }> = new Map([
  ["OffStreetParking", { kind: "lot", example: "lot-futian-001" }],
  ["TrafficFlowObserved", { kind: "road", example: "road-shennan" }],
]);

const ZNotification = z.object({
  id: z.string(),
  type: z.literal("Notification"),
  subscriptionId: z.string(),
  notifiedAt: z.string().optional(),
  // Entities are checked one by one, so one bad entity does not hide the others' samples.
  data: z.array(z.unknown()).max(MAX_ENTITIES),
});
const ZEntity = z.looseObject({ id: z.string().min(1), type: z.string().min(1) });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const shown = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : typeof v === "object" ? "an object" : String(v));

// ISO 8601 date-time; Smart Data Models say UTC, so a time without an offset is read as UTC (not the server's zone).
const NOT_A_DATE = "is not an ISO 8601 date-time (e.g. 2026-11-25T08:00:00Z)";
const ISO = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$/;

function instant(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.parse rolls 2026-02-30 over to March 2; a day that does not exist is a broken clock.
  if (mo < 1 || mo > 12 || d < 1 || new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  const ms = Date.parse(m[5] ? text : `${text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A date as entities carry it: Property or keyValues, either possibly JSON-LD typed; `start/end` (TrafficFlowObserved.dateObserved may be an interval) gives `from`. */
function dateOf(raw: unknown): { from?: number; at: number } | undefined {
  const value = isRecord(raw) && "value" in raw ? raw.value : raw;
  const text = isRecord(value) && "@value" in value ? value["@value"] : value;
  if (typeof text !== "string") return undefined;
  const [first = "", second, ...rest] = text.split("/");
  const [from, at] = [instant(first), second === undefined ? undefined : instant(second)];
  if (rest.length > 0 || from === undefined) return undefined;
  if (second === undefined) return { at: from };
  return at !== undefined && at > from ? { from, at } : undefined;
}

function readDate(entity: Record<string, unknown>, field: string, path: string, issues: Issue[]): { from?: number; at: number } | Bad | undefined {
  if (entity[field] === undefined) return undefined;
  const date = dateOf(entity[field]);
  if (date) return date;
  issues.push({ path: `${path}.${field}`, message: `${NOT_A_DATE} nor a start/end interval` });
  return null;
}

/** An attribute's number and time, normalized or keyValues; undefined when absent or unusable (an issue says why, unless its time was already reported). */
function read(entity: Record<string, unknown>, name: string, path: string, fallback: number | Bad, issues: Issue[], unitCode?: string): Reading | undefined {
  const raw = entity[name];
  if (raw === undefined) return undefined;
  const normalized = isRecord(raw) && "value" in raw;
  const value = normalized ? raw.value : raw;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    issues.push({ path: `${path}.${name}`, message: `expected a number or a Property with a numeric value, got ${shown(value)}` });
    return undefined;
  }
  if (normalized && unitCode && raw.unitCode !== undefined && raw.unitCode !== unitCode) {
    issues.push({ path: `${path}.${name}.unitCode`, message: `expected ${unitCode} (the model's unit), got ${shown(raw.unitCode)}` });
    return undefined;
  }
  if (normalized && raw.observedAt !== undefined) {
    const at = typeof raw.observedAt === "string" ? instant(raw.observedAt) : undefined;
    if (at === undefined) issues.push({ path: `${path}.${name}.observedAt`, message: NOT_A_DATE });
    return at === undefined ? undefined : { value, ts: at };
  }
  return fallback === null ? undefined : { value, ts: fallback };
}

const tenth = (x: number) => Math.round(x * 10) / 10;

function mapEntity(raw: unknown, path: string, notified: number | Bad, out: NgsiMapping): void {
  const parsed = ZEntity.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) out.issues.push({ path: [path, ...i.path].join("."), message: i.message });
    return;
  }
  const entity = parsed.data;
  const type = entity.type.split(/[/#]/).pop() ?? "";
  const model = MODELS.get(type);
  if (!model) {
    out.issues.push({ path: `${path}.type`, message: `unsupported type ${entity.type} (supported: ${[...MODELS.keys()].join(", ")})` });
    return;
  }
  const entityId = entity.id.slice(entity.id.lastIndexOf(":") + 1);
  if (entityById(entityId)?.kind !== model.kind) {
    out.issues.push({ path: `${path}.id`, message: `${entity.id} names no OneScreen ${model.kind}: expected urn:ngsi-ld:${type}:<${model.kind} id>, e.g. urn:ngsi-ld:${type}:${model.example}` });
    return;
  }
  const issues = out.issues;
  const observed = readDate(entity, "dateObserved", path, issues);
  const from = readDate(entity, "dateObservedFrom", path, issues);
  const to = readDate(entity, "dateObservedTo", path, issues);
  const own = observed !== undefined ? observed : to;
  const fallback = own === undefined ? notified : own && own.at;
  const emit = (metricId: string, r: Reading, value = r.value) => out.samples.push({ metricId, entityId, ts: r.ts, value });

  if (model.kind === "lot") {
    const available = read(entity, "availableSpotNumber", path, fallback, issues);
    const total = read(entity, "totalSpotNumber", path, fallback, issues);
    if (available) emit("parking.freeSpaces", available);
    if (!available || !total) return;
    if (total.value <= 0) issues.push({ path: `${path}.totalSpotNumber`, message: `must be above 0 to derive parking.occupancy, got ${total.value}` });
    else if (available.value > total.value) issues.push({ path: `${path}.availableSpotNumber`, message: `exceeds totalSpotNumber (${available.value} > ${total.value})` });
    // Occupancy is the share taken of the same observation, so it carries the availability's time.
    else emit("parking.occupancy", available, tenth((100 * (total.value - available.value)) / total.value));
    return;
  }

  const speed = read(entity, "averageVehicleSpeed", path, fallback, issues, "KMH");
  if (speed) emit("traffic.avgSpeed", speed);
  const intensity = read(entity, "intensity", path, fallback, issues);
  // Intensity counts vehicles over the observation period: dateObservedFrom..To, else a dateObserved interval.
  let period: { from?: number; at: number } | Bad | undefined = from === null || to === null ? null : from && to ? { from: from.at, at: to.at } : observed;
  if (period && period.from !== undefined && period.at <= period.from) {
    issues.push({ path: `${path}.dateObservedTo`, message: "must be after dateObservedFrom" });
    period = null;
  }
  if (intensity && period !== null) {
    const hours = period?.from !== undefined ? (period.at - period.from) / 3_600_000 : 1;
    emit("traffic.flow", intensity, Math.round(intensity.value / hours));
  }
  const occupancy = read(entity, "occupancy", path, fallback, issues);
  if (occupancy && (occupancy.value < 0 || occupancy.value > 1)) issues.push({ path: `${path}.occupancy`, message: `must be a fraction between 0 and 1, got ${occupancy.value}` });
  else if (occupancy) emit("traffic.congestionIndex", occupancy, tenth(10 * occupancy.value));
}

export function samplesOfNotification(body: unknown, receivedAt: number): NgsiMapping {
  const out: NgsiMapping = { samples: [], issues: [] };
  const parsed = ZNotification.safeParse(body);
  if (!parsed.success) {
    out.issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "notification", message: i.message }));
    return out;
  }
  const { notifiedAt, data } = parsed.data;
  let notified: number | Bad = receivedAt;
  if (notifiedAt !== undefined) {
    notified = instant(notifiedAt) ?? null;
    if (notified === null) out.issues.push({ path: "notifiedAt", message: NOT_A_DATE });
  }
  data.forEach((entity, n) => mapEntity(entity, `data.${n}`, notified, out));
  return out;
}
