/**
 * Several side servers as one (REDIS_URL, with PostgreSQL): Socket.IO's Redis Streams
 * adapter carries what one instance tells the others. A reader that falls behind (a
 * reconnect, a slow instance) resumes the stream where it was, which the pub/sub adapter
 * cannot; what an instance publishes while Redis itself is down is lost with the commands
 * that time out, so after an outage each instance refills from the database. Each keeps
 * serving its own clients meanwhile.
 *
 * What travels between instances (server-side events, never to browsers):
 * - every persisted batch, so each instance's recent window and its own clients' frames
 *   include what the others stored, and the leader's alert engine and rollups see it all;
 * - the leader's unresolved alerts, for the other instances' hello snapshots;
 * - "drills changed", so every instance (and the leader's simulator) reloads them;
 * - alert operations (acknowledge, resolve, rules), answered by the leader, which alone
 *   runs the alert engine.
 */
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { ZClock, type TClock } from "@/lib/realtime/protocol";
import { type Log } from "@/lib/log";

function newClient(url: string) {
  return createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) } });
}
export type RedisConnection = ReturnType<typeof newClient>;

/** How many inter-server messages the stream keeps for a reader that fell behind: at 2–3 a second, about an hour. */
const STREAM_MAX_LEN = 10_000;

/**
 * Connects to Redis, or fails naming REDIS_URL. Afterwards the client reconnects by itself
 * (at most every 2 s), its errors are logged at most once a minute instead of ending the
 * process, and `onRecovered` runs when it is back after an outage: what the other instances
 * sent meanwhile is lost with the commands that timed out, so the caller refills from the database.
 */
export async function connectRedis(url: string, log: Log, onRecovered: () => void): Promise<RedisConnection> {
  let lastLog = Number.NEGATIVE_INFINITY;
  let away = false;
  const redis = newClient(url);
  redis.on("error", (error: Error) => {
    away = true;
    if (Date.now() - lastLog < 60_000) return;
    lastLog = Date.now();
    log.error({ error: error.message }, "redis away: reconnecting; each instance keeps serving its own clients");
  });
  redis.on("ready", () => {
    if (!away) return;
    away = false;
    lastLog = Number.NEGATIVE_INFINITY;
    log.warn("redis connected again: refilling what the other instances stored meanwhile");
    onRecovered();
  });
  tolerateRedisRejections(log);
  try {
    await redis.connect();
  } catch (error) {
    redis.destroy();
    throw new Error(`REDIS_URL: cannot reach Redis at ${url.replace(/\/\/[^@]*@/, "//…@")} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return redis;
}

/** What the redis client rejects a command with while Redis is away. */
const REDIS_OUTAGE_ERRORS = new Set(["TimeoutError", "ClientClosedError", "ClientOfflineError", "SocketClosedUnexpectedlyError", "ConnectionTimeoutError", "ReconnectStrategyError"]);

/**
 * Some command of the adapter's, issued without a handler, is rejected with TimeoutError
 * once Redis has been away for 5 s (seen here with redis 6 and the adapter 0.3), and an
 * unhandled rejection ends the process. Those are an outage the cluster rides out, not a
 * bug of ours: they are logged. Any other unhandled rejection still ends the process.
 */
function tolerateRedisRejections(log: Log): void {
  let last = Number.NEGATIVE_INFINITY;
  process.on("unhandledRejection", (reason) => {
    if (!(reason instanceof Error) || !REDIS_OUTAGE_ERRORS.has(reason.name) && !REDIS_OUTAGE_ERRORS.has(reason.constructor.name)) throw reason;
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    log.warn({ error: reason.name }, "redis command failed during the outage; it is not retried");
  });
}

/** A little over the adapter's own 5 s wait for the other instances' answers. */
const ASK_TIMEOUT_MS = 6_000;

/**
 * Asks the other instances (`emit` sends a server-side event with this acknowledgement) and
 * always answers: `complete` false when some did not answer in time. The adapter first counts
 * the instances in Redis; while Redis is away that count fails where no caller can catch it and
 * the acknowledgement never comes, hence the check of the connection and a timer of our own.
 */
export function askOthers<Answer>(redis: RedisConnection, emit: (ack: (error: Error | null, answers: Answer[]) => void) => void): Promise<{ answers: Answer[]; complete: boolean }> {
  if (!redis.isReady) return Promise.resolve({ answers: [], complete: false });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ answers: [], complete: false }), ASK_TIMEOUT_MS);
    emit((error, answers) => {
      clearTimeout(timer);
      resolve({ answers: answers ?? [], complete: !error });
    });
  });
}

/** The adapter for attachRealtime: one stream per deployment name, so two deployments can share a Redis. */
export function clusterAdapter(redis: RedisConnection, streamName: string) {
  return createAdapter(redis, { streamName, maxLen: STREAM_MAX_LEN });
}

/**
 * The source clock every instance of the cluster uses: the first to start writes its own,
 * the others take it, so a new leader's simulator continues the same simulated time.
 */
export async function sharedClock(redis: RedisConnection, key: string, own: TClock): Promise<TClock> {
  await redis.set(key, JSON.stringify(own), { NX: true });
  const stored = await redis.get(key);
  return stored === null ? own : ZClock.parse(JSON.parse(stored));
}
