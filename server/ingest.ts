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
import type { RejectedSample } from "@/lib/ingest/rules";
import { HttpError, bearerToken, readJson, sendJson, type Route } from "./http-json";
import { PersistQueueFull, type Pipeline, type Stored } from "./pipeline";

export interface IngestLimits {
  maxBodyBytes: number;
  maxSamples: number;
  rate: RateLimit;
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

/** Retries within a day get the first answer; 10,000 keys ≈ a few MB at most. */
const IDEMPOTENCY = { maxEntries: 10_000, maxAgeMs: 24 * 3_600_000 };
const MAX_KEY_LENGTH = 200;

function rejectionMessage(rejected: readonly RejectedSample[], prefix: string): string {
  const first = rejected[0];
  const issue = first?.issues[0];
  const more = rejected.length > 1 ? ` (and ${rejected.length - 1} more rejected samples)` : "";
  return `${prefix}.${first?.index}.${issue?.path}: ${issue?.message}${more}; nothing of this batch was stored`;
}

export function createIngestRoutes(deps: IngestDeps): Route {
  const limiter = new RateLimiter(deps.limits.rate);
  const answers = new IdempotencyCache<Promise<Answer>>(IDEMPOTENCY.maxEntries, IDEMPOTENCY.maxAgeMs);
  const ZBatch = z.object(
    {
      samples: z
        .array(z.unknown(), { message: "must be an array of samples" })
        .min(1, "must hold at least one sample")
        .max(deps.limits.maxSamples, `must hold at most ${deps.limits.maxSamples} samples (split the batch)`),
    },
    { message: 'must be an object like {"samples": [...]}' },
  );
  const pruneTimer = setInterval(() => limiter.prune(deps.now()), 60_000);
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
    if (rejected.length > 0) return { status: 422, body: { error: rejectionMessage(rejected, prefix), accepted: 0, rejected } };
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
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
      return { status: 422, body: { error: `${issues[0]?.path}: ${issues[0]?.message}${more}; nothing of this notification was stored`, accepted: 0, issues } };
    }
    if (samples.length === 0) return { status: 200, body: { accepted: 0 } };
    const answer = await submit(samples, `ngsi-ld:${source}`, "samples");
    // The rejected indices point into the mapped samples: send them along so they can be read.
    return answer.status === 422 ? { ...answer, body: { ...(answer.body as object), samples } } : answer;
  }

  /** The same key from the same source within a day replays the first answer; a failed write is not remembered. */
  async function once(req: IncomingMessage, source: string, run: () => Promise<Answer>): Promise<Answer & { replayed: boolean }> {
    const key = req.headers["idempotency-key"];
    if (typeof key !== "string") return { ...(await run()), replayed: false };
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw new HttpError(400, `idempotency-key: must be 1 to ${MAX_KEY_LENGTH} characters`);
    const cacheKey = `${source}\n${key}`;
    const earlier = answers.get(cacheKey, deps.now());
    if (earlier) return { ...(await earlier), replayed: true };
    const answer = run();
    answers.set(cacheKey, answer, deps.now());
    const result = await answer.catch((error: unknown) => {
      answers.delete(cacheKey);
      throw error;
    });
    if (result.status >= 500) answers.delete(cacheKey);
    return { ...result, replayed: false };
  }

  return async (req, res, url) => {
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
}
