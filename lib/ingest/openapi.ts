/**
 * The OpenAPI 3.1 description of the side server's ingest doors, served at
 * /openapi.json. Metric ids and ranges come from the catalog, so it cannot drift.
 */
import { z } from "zod";
import { METRICS } from "../catalog";
import { MAX_CLOCK_SKEW_MS, MAX_LISTED_REJECTIONS } from "./rules";

const ranges = METRICS.map((m) => `${m.id} ${m.range.min}…${m.range.max}${m.unit.en ? ` ${m.unit.en}` : ""} (on ${m.entityKinds.join(", ")})`).join("; ");

const ZIngestSample = z.object({
  metricId: z.enum(METRICS.map((m) => m.id)).describe("A catalog metric."),
  entityId: z.string().describe("A catalog entity: shenzhen, a district (futian), a road (road-shennan), a lot (lot-futian-001), an institution or an access node."),
  ts: z.int().nonnegative().describe(`Epoch milliseconds of the measurement; not before the raw retention horizon, at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the server's clock.`),
  value: z.number().describe(`Finite and within the metric's physical range: ${ranges}.`),
});

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { type: "object", properties: { error: { type: "string", description: "Names the field and what is wrong." } }, required: ["error"] } } },
});

const common = {
  "401": error("Missing, unknown or revoked ingest token."),
  "413": error("Body larger than the limit."),
  "415": error("Wrong content type."),
  "429": error("More requests per second than the token's rate; see Retry-After."),
  "503": error("The batch could not be written, the database is unreachable, or too many samples are waiting to be written (see Retry-After); nothing was stored, send it again."),
};

/** A 200: every sample accepted; `inserted` are new, `duplicates` were stored already (same metric, entity and ts; the first value stays) or twice in the batch. */
const STORED = {
  type: "object",
  properties: { accepted: { type: "integer" }, inserted: { type: "integer" }, duplicates: { type: "integer" } },
  required: ["accepted", "inserted", "duplicates"],
} as const;

export function openApiDocument(limits: { maxSamples: number; maxBodyBytes: number }) {
  const batch = z.object({ samples: z.array(ZIngestSample).min(1).max(limits.maxSamples) });
  const rejected = {
    type: "object",
    properties: {
      error: { type: "string" },
      accepted: { const: 0 },
      rejectedCount: { type: "integer", description: "How many samples were rejected." },
      rejected: {
        type: "array",
        description: `The first ${MAX_LISTED_REJECTIONS} rejected samples, by index in the batch.`,
        maxItems: MAX_LISTED_REJECTIONS,
        items: { type: "object", properties: { index: { type: "integer" }, issues: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } } } },
      },
    },
  };
  const idempotencyKey = {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description:
      "A retry of a stored batch with the same key (same token, within 24 h and among the token's most recent batches: the memory is bounded per token) gets the first answer again, with `Idempotent-Replayed: true`, and stores nothing twice. Only stored batches (200) are remembered: a batch that was refused stored nothing, and its retry is checked again. Without a key, a sample already stored (same metric, entity, ts) is kept as first written.",
    schema: { type: "string", maxLength: 200 },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "OneScreen side server — ingest",
      version: "1",
      description: `Every door leads into the one pipeline: check → persist → broadcast. A batch is stored whole or not at all; a 200 is sent once it is on disk. Bodies up to ${limits.maxBodyBytes} bytes.`,
    },
    components: { securitySchemes: { ingestToken: { type: "http", scheme: "bearer", description: "A per-source token: `npm run ingest-token -- create <name>`." } } },
    security: [{ ingestToken: [] }],
    paths: {
      "/ingest": {
        post: {
          summary: "Submit a batch of samples",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(batch) } } },
          responses: {
            "200": { description: "Stored.", content: { "application/json": { schema: STORED } } },
            "400": error("Not JSON, or not {samples: [...]} of the allowed size."),
            "422": { description: `At least one sample is invalid: none was stored; the first ${MAX_LISTED_REJECTIONS} are listed and all are counted.`, content: { "application/json": { schema: rejected } } },
            ...common,
          },
        },
      },
      "/ngsi-ld/notify": {
        post: {
          summary: "Receive an NGSI-LD notification (OffStreetParking, TrafficFlowObserved); mapping in docs/ingest-ngsi-ld.md",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object" } }, "application/ld+json": { schema: { type: "object" } } } },
          responses: {
            "200": { description: "Stored.", content: { "application/json": { schema: STORED } } },
            "400": error("Not JSON."),
            "422": error("The notification does not map onto the catalog, or a mapped sample is invalid; nothing was stored."),
            ...common,
          },
        },
      },
    },
  };
}
