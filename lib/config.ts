/**
 * Environment configuration, validated once at boot. Nothing else reads
 * process.env: a bad value stops start-up with the variable's name and the problem.
 */
import { z } from "zod";
import { passwordProblem } from "./auth/passwords";
import { normalizeAddress } from "./client-address";
import { LOG_FORMATS, LOG_LEVELS } from "./log-levels";

const port = (fallback: number) =>
  z.coerce
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(fallback);

const count = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const flag = (fallback: boolean) =>
  z
    .enum(["1", "0", "true", "false", "yes", "no"], { message: "must be true or false" })
    .transform((v) => v === "1" || v === "true" || v === "yes")
    .default(fallback);

/**
 * Proxies whose forwarding headers are believed (X-Forwarded-For, -Host, -Proto):
 * comma-separated addresses, 127.0.0.1,::1 for an nginx on the same machine. Empty: none,
 * and every client is the address of its socket. One setting, read by both servers.
 */
const trustedProxies = z
  .string()
  .default("")
  .transform((value, ctx) => {
    const entries = value.split(",").map((entry) => entry.trim()).filter(Boolean);
    const addresses = entries.map(normalizeAddress);
    const bad = entries.filter((_, i) => addresses[i] === null);
    if (bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `must be comma-separated IP addresses of your proxies, like 127.0.0.1,::1 (not ${bad.join(", ")})` });
      return z.NEVER;
    }
    return addresses.filter((a) => a !== null);
  });

const bearerToken = z
  .string()
  .min(16, "must be at least 16 characters")
  // Sent as `Authorization: Bearer <token>`, read strictly (RFC 6750's b64token).
  .regex(/^[A-Za-z0-9\-._~+/]+=*$/, "must be letters, digits and - . _ ~ + / only (optionally ending in =), as a bearer token is");
/** Both servers' and `npm start`'s log (lib/log.ts): the least level written, and JSON lines or pino-pretty. */
const LOG_LEVEL = z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info");
const LOG_FORMAT = z.enum(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(", ")} (auto: pretty on a terminal, JSON otherwise)` }).default("auto");

export const ZServerEnv = z.object({
  LOG_LEVEL,
  LOG_FORMAT,
  REALTIME_PORT: port(4000),
  REALTIME_HOST: z.string().min(1).default("0.0.0.0"),
  /** file:… = SQLite (the default); postgresql://… or postgres://… = PostgreSQL (see docs/operations.md). */
  DATABASE_URL: z
    .string()
    .default("file:./data/onescreen.db")
    .refine((url) => url.startsWith("file:") || isPostgresUrl(url), {
      message: "must be a SQLite file URL like file:./data/onescreen.db or a PostgreSQL URL like postgresql://user@host:5432/onescreen",
    }),
  SIM_ENABLED: flag(true),
  SIM_SEED: z.coerce.number({ message: "must be a number" }).int("must be a whole number").default(20_201),
  /** Simulated seconds per real second: 60 plays a simulated hour per real minute. */
  SIM_SPEED: z.coerce.number({ message: "must be a number" }).min(0.1, "must be at least 0.1").max(86_400, "must be at most 86400").default(1),
  /** Each road, car park, institution and access node reports every this many ticks; 1 = every tick. */
  SIM_ENTITY_EVERY: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(3_600, "must be at most 3600").default(10),
  /** Hours of simulated history written into an empty database before the wall opens (lib/sim/backfill.ts); 0 = none. */
  SIM_BACKFILL_HOURS: z.coerce.number({ message: "must be a number" }).min(0, "must be at least 0").max(168, "must be at most 168").default(24),
  /** Simulated time at start (ISO 8601, e.g. 2026-11-25T08:00:00+08:00); unset = now. */
  SIM_START: z.iso.datetime({ offset: true, message: "must be an ISO date-time like 2026-11-25T08:00:00+08:00" }).optional(),
  /**
   * Bearer token for the side server's write endpoints (drills). Unset: a random token
   * is created at first start in data/admin-token (readable only by its owner).
   */
  ADMIN_TOKEN: bearerToken.optional(),
  /** Unset: GET /metrics is open, like /healthz (counts only). Set: it needs `Authorization: Bearer <token>` (docs/metrics.md). */
  METRICS_TOKEN: bearerToken.optional(),
  /**
   * Most samples waiting to be written (not yet acknowledged). While PostgreSQL is down or
   * restarting, batches wait here and are retried; past this bound new samples are refused
   * (the source gets an error and resends) instead of growing memory. 200,000 ≈ 40 MB, about
   * 7 minutes of the simulated city at SIM_ENTITY_EVERY=10 (≈ 470 samples/s), 1 minute at 1.
   */
  PERSIST_QUEUE_MAX_SAMPLES: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(100, "must be at least 100").max(10_000_000, "must be at most 10000000").default(200_000),
  PERSIST_FLUSH_MS: z.coerce.number({ message: "must be a number" }).int().min(10, "must be at least 10").max(10_000, "must be at most 10000").default(10),
  SNAPSHOT_MINUTES: z.coerce.number({ message: "must be a number" }).int().min(1, "must be at least 1").max(120, "must be at most 120").default(15),
  /** How long raw samples, 1-minute and 1-hour rollups are kept (source-clock time). */
  RETENTION_RAW_HOURS: z.coerce.number({ message: "must be a number" }).positive("must be positive").max(24 * 365, "must be at most a year").default(48),
  RETENTION_MINUTE_DAYS: z.coerce.number({ message: "must be a number" }).positive("must be positive").max(3_650, "must be at most 10 years").default(90),
  RETENTION_HOUR_DAYS: z.coerce.number({ message: "must be a number" }).positive("must be positive").max(36_500, "must be at most 100 years").default(730),
  /** POST /ingest and /ngsi-ld/notify: largest body, most samples in one batch, requests per second per token (and burst). */
  INGEST_MAX_BODY_BYTES: z.coerce.number({ message: "must be a number" }).int().min(1_024, "must be at least 1024").max(64 * 1024 * 1024, "must be at most 64 MiB").default(1024 * 1024),
  INGEST_MAX_SAMPLES: z.coerce.number({ message: "must be a number" }).int().min(1, "must be at least 1").max(5_000, "must be at most 5000").default(5_000),
  INGEST_RATE_PER_SECOND: z.coerce.number({ message: "must be a number" }).positive("must be positive").max(10_000, "must be at most 10000").default(20),
  INGEST_BURST: z.coerce.number({ message: "must be a number" }).int().min(1, "must be at least 1").max(10_000, "must be at most 10000").default(40),
  /**
   * Memory for the answers of stored batches, replayed to a retry with the same Idempotency-Key
   * (lib/ingest/idempotency.ts): overall, and per ingest token. One answer ≈ 300 bytes, so the
   * 4 MiB of one token hold its last ≈ 14,000 batches: 12 minutes at the full 20 requests a
   * second, the whole day for a source sending every 7 s.
   */
  INGEST_IDEMPOTENCY_MAX_BYTES: z.coerce.number({ message: "must be a number" }).int().min(1_024, "must be at least 1024").max(1024 * 1024 * 1024, "must be at most 1 GiB").default(16 * 1024 * 1024),
  INGEST_IDEMPOTENCY_TOKEN_MAX_BYTES: z.coerce.number({ message: "must be a number" }).int().min(1_024, "must be at least 1024").max(1024 * 1024 * 1024, "must be at most 1 GiB").default(4 * 1024 * 1024),
  /** Browser origins allowed to open the socket (lib/realtime/origin.ts): "*", a comma-separated list, or empty = the side server's own host name. */
  ALLOWED_ORIGINS: z.string().default(""),
  TRUSTED_PROXIES: trustedProxies,
  /**
   * false: reading needs a signed-in session (any role: a person, or a kiosk's device
   * credential). Set the same on both servers. The side server then takes sockets and answers
   * GETs (but /healthz) only with the web app's session cookie or the admin token.
   */
  PUBLIC_READ: flag(true),
  /** Walls (pages reporting heartbeats) one client address may have listed at once (lib/realtime/walls.ts); beyond, its next one is refused. */
  WALLS_PER_ADDRESS: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(1_000, "must be at most 1000").default(20),
  /** MQTT broker to take samples from (server/sources/mqtt.ts), e.g. mqtt://127.0.0.1:1883 or mqtts://…; unset = no MQTT. */
  MQTT_URL: z.url({ protocol: /^(mqtts?|wss?)$/, message: "must be a URL like mqtt://127.0.0.1:1883 (mqtt, mqtts, ws or wss)" }).optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  /** The broker keeps this client's session (queued messages) across restarts: one id per side server. */
  MQTT_CLIENT_ID: z.string().min(1).max(128, "must be at most 128 characters").default("onescreen-side-server"),
  /** Where the simulator's ticks go: straight into the pipeline, or published to the MQTT broker (and back in through MQTT). */
  SIM_OUTPUT: z.enum(["pipeline", "mqtt"], { message: "must be pipeline or mqtt" }).default("pipeline"),
  /** Several side servers as one (server/cluster.ts): they share rooms through Redis and elect a leader in PostgreSQL. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: "must be a URL like redis://127.0.0.1:6379 (redis or rediss)" }).optional(),
  /** Names this deployment's Redis stream and keys, so two deployments can share one Redis. */
  CLUSTER_NAME: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be 1–40 lowercase letters, digits or dashes").default("onescreen"),
  /** Where people open the web app, for the links in notifications (lib/notify/message.ts); unset: http://<this host's name>:3000. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL like http://ops-server:3000" }).optional(),
  /** Notifications (server/notifier.ts): the wait before the first retry (doubling up to 5 min), the most attempts, and how long after its event one is still tried. */
  NOTIFY_RETRY_SECONDS: z.coerce.number({ message: "must be a number" }).min(0.1, "must be at least 0.1").max(300, "must be at most 300").default(5),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(10),
  NOTIFY_MAX_AGE_MINUTES: z.coerce.number({ message: "must be a number" }).positive("must be positive").max(7 * 24 * 60, "must be at most a week").default(60),
  /** Sent and failed deliveries are kept this long as the record of each alert's notifications. */
  NOTIFY_KEEP_DAYS: z.coerce.number({ message: "must be a number" }).positive("must be positive").max(3_650, "must be at most 10 years").default(30),
}).superRefine((env, ctx) => {
  // The instances share what they store and elect their leader there: one SQLite file per machine cannot do that.
  if (env.REDIS_URL && !isPostgresUrl(env.DATABASE_URL)) {
    ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "is set, so DATABASE_URL must be postgresql://… (side servers in a cluster share PostgreSQL)" });
  }
  if (env.SIM_BACKFILL_HOURS > env.RETENTION_RAW_HOURS) {
    ctx.addIssue({ code: "custom", path: ["SIM_BACKFILL_HOURS"], message: `is ${env.SIM_BACKFILL_HOURS}, more than RETENTION_RAW_HOURS (${env.RETENTION_RAW_HOURS}): retention would delete it at once` });
  }
  if (env.SIM_OUTPUT === "mqtt" && !env.MQTT_URL) ctx.addIssue({ code: "custom", path: ["SIM_OUTPUT"], message: "is mqtt, so MQTT_URL must be set (or set SIM_OUTPUT=pipeline)" });
  if (env.INGEST_IDEMPOTENCY_TOKEN_MAX_BYTES > env.INGEST_IDEMPOTENCY_MAX_BYTES) {
    ctx.addIssue({ code: "custom", path: ["INGEST_IDEMPOTENCY_TOKEN_MAX_BYTES"], message: `must be at most INGEST_IDEMPOTENCY_MAX_BYTES (${env.INGEST_IDEMPOTENCY_MAX_BYTES})` });
  }
  // A batch bigger than the whole queue could never be taken.
  if (env.PERSIST_QUEUE_MAX_SAMPLES < env.INGEST_MAX_SAMPLES) {
    ctx.addIssue({ code: "custom", path: ["PERSIST_QUEUE_MAX_SAMPLES"], message: `must be at least INGEST_MAX_SAMPLES (${env.INGEST_MAX_SAMPLES}), or an ingest batch could never be taken` });
  }
});
export type TServerEnv = z.infer<typeof ZServerEnv>;

export const ZWebEnv = z.object({
  LOG_LEVEL,
  LOG_FORMAT,
  PORT: port(3000),
  REALTIME_PORT: port(4000),
  /** Where the browser finds the side server; unset means the page's own host at REALTIME_PORT. */
  REALTIME_PUBLIC_URL: z.url({ message: "must be an absolute URL like http://ops-server:4000" }).optional(),
  /** Where the web server itself reaches the side server for the first snapshot. */
  REALTIME_INTERNAL_URL: z.url({ message: "must be an absolute URL" }).optional(),
  DATABASE_URL: ZServerEnv.shape.DATABASE_URL,
  RETENTION_RAW_HOURS: ZServerEnv.shape.RETENTION_RAW_HOURS,
  RETENTION_MINUTE_DAYS: ZServerEnv.shape.RETENTION_MINUTE_DAYS,
  RETENTION_HOUR_DAYS: ZServerEnv.shape.RETENTION_HOUR_DAYS,
  /** The side server's admin token, for acknowledging and resolving on a signed-in operator's behalf; unset = the token file beside the database. */
  ADMIN_TOKEN: ZServerEnv.shape.ADMIN_TOKEN,
  /** The web server's GET /metrics: as the side server's. */
  METRICS_TOKEN: ZServerEnv.shape.METRICS_TOKEN,
  /** First start only: with no user in the database, creates the user `admin` with this password. Never a default. */
  /** Proxies whose X-Forwarded-Host and -Proto are believed (the CSRF check, Secure cookies, HSTS): see trustedProxies above. */
  TRUSTED_PROXIES: trustedProxies,
  /** false: every page and read API needs a session (a person's, or a kiosk's device credential); see the side server's. */
  PUBLIC_READ: ZServerEnv.shape.PUBLIC_READ,
  /**
   * Who may show the web app in a frame (CSP frame-ancestors): 'none' (the default), 'self',
   * or origins such as https://portal.ops.example, space-separated.
   */
  FRAME_ANCESTORS: z
    .string()
    .default("'none'")
    .refine((value) => value.trim().split(/\s+/).every((source) => /^('none'|'self'|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?)$/i.test(source)) && !(/'none'/.test(value) && value.trim().split(/\s+/).length > 1), {
      message: "must be 'none', 'self', or space-separated origins like https://portal.ops.example ('none' alone)",
    }),
  ADMIN_PASSWORD: z
    .string()
    .superRefine((password, ctx) => {
      // The same policy as `npm run user`, said at start rather than at the first sign-in.
      const problem = passwordProblem(password, "admin");
      if (problem) ctx.addIssue({ code: "custom", message: problem.replace(/^password: /, "") });
    })
    .optional(),
  /** Password checks per user name and per client address in any minute (lib/auth/login-throttle.ts). */
  LOGIN_CHECKS_PER_MINUTE: count(10, 1, 1_000),
  /** User names, and client addresses, the sign-in throttle remembers at most each (about 1 KB apiece). */
  LOGIN_TRACKED_MAX: count(10_000, 100, 1_000_000),
  /** Passwords hashed at once (scrypt: 32 MiB and a thread of libuv's pool, which file reads share), and how many more may wait; beyond, "busy, try again". */
  PASSWORD_CHECKS_AT_ONCE: count(1, 1, 16),
  PASSWORD_CHECKS_WAITING: count(16, 0, 1_000),
  /** Full-resolution CSV exports (/api/history/csv) streaming at once, overall and per client address; beyond, 429 with Retry-After. */
  EXPORTS_AT_ONCE: count(2, 1, 100),
  EXPORTS_PER_CLIENT: count(1, 1, 100),
});

/** Retention windows in milliseconds, as lib/history/plan.ts wants them. */
export function retentionOf(env: Pick<TServerEnv, "RETENTION_RAW_HOURS" | "RETENTION_MINUTE_DAYS" | "RETENTION_HOUR_DAYS">) {
  return { rawMs: env.RETENTION_RAW_HOURS * 3_600_000, minuteMs: env.RETENTION_MINUTE_DAYS * 86_400_000, hourMs: env.RETENTION_HOUR_DAYS * 86_400_000 };
}
export type TWebEnv = z.infer<typeof ZWebEnv>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses `env` against `schema`; on failure throws one ConfigError listing every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  // Empty strings mean "unset" (a blank line in .env), so the default applies.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

function isPostgresUrl(url: string): boolean {
  if (!/^postgres(ql)?:\/\//.test(url)) return false;
  try {
    return new URL(url).hostname !== "" || new URL(url).searchParams.has("host");
  } catch {
    return false;
  }
}

/** Which database DATABASE_URL names: a SQLite file (resolved against cwd) or a PostgreSQL server. */
export type DatabaseTarget = { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string };
export type Provider = DatabaseTarget["provider"];

export function databaseTarget(databaseUrl: string, cwd: string): DatabaseTarget {
  return isPostgresUrl(databaseUrl) ? { provider: "postgresql", url: databaseUrl } : { provider: "sqlite", file: sqliteFilePath(databaseUrl, cwd) };
}

/** The target for messages and logs: the SQLite path, or the PostgreSQL URL without its password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.provider === "sqlite") return target.file;
  const url = new URL(target.url);
  if (url.password) url.password = "***";
  return url.toString();
}

/**
 * Where the side server keeps its files (the generated admin token): beside the SQLite file,
 * or ./data under `cwd` with PostgreSQL.
 */
export function stateDirectory(target: DatabaseTarget, cwd: string): string {
  return target.provider === "sqlite" ? target.file.replace(/\/[^/]*$/, "") || "/" : `${cwd.replace(/\/$/, "")}/data`;
}

/**
 * Tests only: the PostgreSQL server the persistence contract suite creates its databases on
 * (a maintenance database the user may CREATE DATABASE from). Unreachable: those variants skip.
 */
export const ZTestEnv = z.object({
  TEST_POSTGRES_URL: z
    .string()
    .default("postgresql://postgres@127.0.0.1:5432/postgres")
    .refine(isPostgresUrl, { message: "must be a PostgreSQL URL like postgresql://postgres@127.0.0.1:5432/postgres" }),
});

/** The SQLite file path of a `file:` DATABASE_URL, resolved against `cwd`. */
export function sqliteFilePath(databaseUrl: string, cwd: string): string {
  const raw = databaseUrl.replace(/^file:/, "");
  return raw.startsWith("/") ? raw : `${cwd.replace(/\/$/, "")}/${raw.replace(/^\.\//, "")}`;
}
