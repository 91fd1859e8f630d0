/**
 * The HTTP doors into the pipeline: `POST /ingest` (our own batch format) and
 * `POST /ngsi-ld/notify` (an NGSI-LD context broker's notifications), plus the OpenAPI
 * description. Both need a per-source ingest token, are rate-limited per token and
 * answer only once the batch is on disk: a 200 means stored, anything else means not.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { sourceOfToken } from "@/lib/db/ingest-tokens";
import { IdempotencyCache } from "@/lib/ingest/idempotency";
import { samplesOfNotification } from "@/lib/ingest/ngsi-ld";
import { openApiDocument } from "@/lib/ingest/openapi";
import { RateLimiter, type RateLimit } from "@/lib/ingest/rate-limit";
import { MAX_LISTED_REJECTIONS, type RejectedSample } from "@/lib/ingest/rules";
import { HttpError, bearerToken, readJson, sendJson, type Route } from "./http-json";
import { PersistQueueFull, type Pipeline, type Stored } from "./pipeline";

export interface IngestLimits {
  maxBodyBytes: number;
  maxSamples: number;
  rate: RateLimit;
  /** Bytes of remembered answers, overall and per token (INGEST_IDEMPOTENCY_*). */
  idempotency: { maxBytes: number; maxBytesPerToken: number };
}

/** What the idempotency memory holds now, for /healthz. */
export interface IdempotencyStats {
  /** Answers of stored batches, their estimated bytes, the bound, and how many tokens hold any. */
  answers: number;
  bytes: number;
  maxBytes: number;
  tokens: number;
  /** Requests with a key whose answer is not known yet. */
  inFlight: number;
}

export interface IngestDeps {
  db: Database;
  pipeline: Pipeline;
  limits: IngestLimits;
  /** Source-clock time: a notification without timestamps is stamped with it. */
  simNow(): number;
  /** Real time, for rate limits and idempotency keys. */
  now(): number;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Retries within a day get the first answer. */
const IDEMPOTENCY_MAX_AGE_MS = 24 * 3_600_000;
const MAX_KEY_LENGTH = 200;
/**
 * Memory of one remembered answer beyond its key and JSON body: the map entry, the entry and
 * answer objects (measured: ≈ 215 bytes with a 26-character key and {"accepted": n}, so this overestimates).
 */
const ANSWER_OVERHEAD_BYTES = 256;

/** What follows the first of `count` problems in a 422's message: " (and 4999 more rejected samples, the first 100 listed)". */
function andMore(count: number, noun: string): string {
  if (count <= 1) return "";
  const listed = count > MAX_LISTED_REJECTIONS ? `, the first ${MAX_LISTED_REJECTIONS} listed` : "";
  return ` (and ${count - 1} more${noun}${listed})`;
}

function rejectionMessage(rejected: readonly RejectedSample[], prefix: string): string {
  const first = rejected[0];
  const issue = first?.issues[0];
  return `${prefix}.${first?.index}.${issue?.path}: ${issue?.message}${andMore(rejected.length, " rejected samples")}; nothing of this batch was stored`;
}

export function createIngestRoutes(deps: IngestDeps): { route: Route; idempotency(): IdempotencyStats } {
  const limiter = new RateLimiter(deps.limits.rate);
  const { maxBytes, maxBytesPerToken } = deps.limits.idempotency;
  const answers = new IdempotencyCache<Answer>({ maxBytes, maxBytesPerOwner: maxBytesPerToken, maxAgeMs: IDEMPOTENCY_MAX_AGE_MS });
  // Per token at most its burst plus its rate × how long an answer takes (the rate limit comes first).
  const inFlight = new Map<string, Promise<Answer>>();
  const ZBatch = z.object(
    {
      samples: z
        .array(z.unknown(), { message: "must be an array of samples" })
        .min(1, "must hold at least one sample")
        .max(deps.limits.maxSamples, `must hold at most ${deps.limits.maxSamples} samples (split the batch)`),
    },
    { message: 'must be an object like {"samples": [...]}' },
  );
  const pruneTimer = setInterval(() => {
    limiter.prune(deps.now());
    answers.prune(deps.now());
  }, 60_000);
  pruneTimer.unref();

  async function authenticate(req: IncomingMessage): Promise<string> {
    const token = bearerToken(req);
    if (!token) throw new HttpError(401, "authorization: an 'Authorization: Bearer <ingest token>' header is required (create one with `npm run ingest-token -- create <name>`)");
    // The token is checked in the database: while it is unreachable (PostgreSQL restarting) the
    // answer is "not now", a 503 the source retries, not a 500.
    const source = await sourceOfToken(deps.db, token).catch(() => {
      throw new HttpError(503, "database: cannot check the ingest token now (the database is unreachable); nothing was stored, send it again", {}, { "retry-after": "5" });
    });
    if (!source) throw new HttpError(401, "authorization: unknown ingest token");
    if (source.revoked) throw new HttpError(401, `authorization: the ingest token of ${source.name} was revoked`);
    const waitMs = limiter.take(source.name, deps.now());
    if (waitMs > 0) {
      throw new HttpError(429, `rate: more than ${deps.limits.rate.perSecond} requests per second for ${source.name}; retry after ${waitMs} ms`, {}, { "retry-after": String(Math.ceil(waitMs / 1000)) });
    }
    return source.name;
  }

  /** Submits whole; answers 200 once on disk, 422 naming every bad sample, 503 if the write failed or the write queue is full. */
  async function submit(samples: readonly unknown[], source: string, prefix: string): Promise<Answer> {
    const { accepted, rejected, persisted } = deps.pipeline.submit(samples, source);
    if (rejected.length > 0) {
      return { status: 422, body: { error: rejectionMessage(rejected, prefix), accepted: 0, rejectedCount: rejected.length, rejected: rejected.slice(0, MAX_LISTED_REJECTIONS) } };
    }
    let stored: Stored;
    try {
      stored = await persisted;
    } catch (error) {
      if (error instanceof PersistQueueFull) return { status: 503, body: { error: `database: ${error.message}` }, headers: { "retry-after": "5" } };
      return { status: 503, body: { error: "database: the batch could not be written; nothing was stored, send it again" } };
    }
    // `duplicates`: already stored for that metric, entity and instant (the first value stays), or twice in this batch.
    return { status: 200, body: { accepted, inserted: stored.inserted, duplicates: stored.duplicates } };
  }

  async function ingest(req: IncomingMessage, source: string): Promise<Answer> {
    const parsed = ZBatch.safeParse(await readJson(req, deps.limits.maxBodyBytes));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, `${issue?.path.join(".") || "body"}: ${issue?.message}`);
    }
    return submit(parsed.data.samples, `http:${source}`, "samples");
  }

  async function notify(req: IncomingMessage, source: string): Promise<Answer> {
    const body = await readJson(req, deps.limits.maxBodyBytes, ["application/json", "application/ld+json"]);
    const { samples, issues } = samplesOfNotification(body, deps.simNow());
    if (issues.length > 0) {
      return {
        status: 422,
        body: {
          error: `${issues[0]?.path}: ${issues[0]?.message}${andMore(issues.length, "")}; nothing of this notification was stored`,
          accepted: 0,
          issueCount: issues.length,
          issues: issues.slice(0, MAX_LISTED_REJECTIONS),
        },
      };
    }
    if (samples.length === 0) return { status: 200, body: { accepted: 0, inserted: 0, duplicates: 0 } };
    const answer = await submit(samples, `ngsi-ld:${source}`, "samples");
    if (answer.status !== 422) return answer;
    // The rejected indices point into the mapped samples: each listed one carries its sample, so it can be read.
    const refusal = answer.body as { rejected: RejectedSample[] };
    return { ...answer, body: { ...refusal, rejected: refusal.rejected.map((r) => ({ ...r, sample: samples[r.index] })) } };
  }

  /**
   * The same key from the same source replays the answer of a stored batch (200) for a day, and
   * a request still being answered shares that answer. Nothing else is remembered: a 4xx or 5xx
   * stored nothing, so a retry is simply checked (and written) again, and an invalid batch sent
   * with fresh keys costs no memory.
   */
  async function once(req: IncomingMessage, source: string, run: () => Promise<Answer>): Promise<Answer & { replayed: boolean }> {
    const key = req.headers["idempotency-key"];
    if (typeof key !== "string") return { ...(await run()), replayed: false };
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw new HttpError(400, `idempotency-key: must be 1 to ${MAX_KEY_LENGTH} characters`);
    const stored = answers.get(source, key, deps.now());
    if (stored) return { ...stored, replayed: true };
    const flightKey = `${source}\n${key}`;
    const running = inFlight.get(flightKey);
    if (running) return { ...(await running), replayed: true };
    const answer = run();
    inFlight.set(flightKey, answer);
    try {
      const result = await answer;
      if (result.status === 200) answers.set(source, key, result, ANSWER_OVERHEAD_BYTES + key.length + JSON.stringify(result.body).length, deps.now());
      return { ...result, replayed: false };
    } finally {
      inFlight.delete(flightKey);
    }
  }

  const route: Route = async (req, res, url) => {
    const doors = { "/ingest": ingest, "/ngsi-ld/notify": notify } as const;
    if (url.pathname === "/openapi.json") {
      sendJson(res, 200, openApiDocument({ maxSamples: deps.limits.maxSamples, maxBodyBytes: deps.limits.maxBodyBytes }));
      return true;
    }
    if (url.pathname !== "/ingest" && url.pathname !== "/ngsi-ld/notify") return false;
    if (req.method !== "POST") throw new HttpError(405, "method: use POST");
    const source = await authenticate(req);
    const { status, body, headers, replayed } = await once(req, source, () => doors[url.pathname as keyof typeof doors](req, source));
    sendJson(res, status, body, { ...headers, ...(replayed ? { "idempotent-replayed": "true" } : {}) });
    return true;
  };
  const idempotency = (): IdempotencyStats => {
    const { entries, bytes, owners } = answers.stats;
    return { answers: entries, bytes, maxBytes, tokens: owners, inFlight: inFlight.size };
  };
  return { route, idempotency };
}
