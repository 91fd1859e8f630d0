/**
 * The composition root of the side server: opens and migrates the database,
 * seeds reference data, wires sources → pipeline → persist / broadcast, and
 * serves HTTP and Socket.IO. Everything with I/O is created here and nowhere else.
 */
import { accessSync, constants } from "node:fs";
import { createServer } from "node:http";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { CITY_ID, ENTITIES, inScope, isSummaryEntity } from "@/lib/catalog";
import { ConfigError, databaseTarget, describeTarget, retentionOf, stateDirectory, type DatabaseTarget, type TServerEnv } from "@/lib/config";
import { sessionTokenOf } from "@/lib/auth/roles";
import { openDatabase, type Database } from "@/lib/db/client";
import { sessionUser } from "@/lib/db/users";
import { applyMigrations } from "@/lib/db/migrate";
import { makePrivateDirectories, tightenDatabaseFiles } from "@/lib/db/private-files";
import { withPgClient } from "@/lib/db/postgres-admin";
import { seedReferenceData } from "@/lib/db/reference";
import { newestSampleTs, samplesSince } from "@/lib/db/samples";
import { timeWindow } from "@/lib/ingest/rules";
import { type Log } from "@/lib/log";
import { PROTOCOL_VERSION, clockNow, type TAlert, type TClock, type TSample, type TSnapshot, type TSubscription } from "@/lib/realtime/protocol";
import { SeriesStore } from "@/lib/realtime/series-store";
import { MAX_WALLS, WallRegistry, mergeWallRows, type WallRow } from "@/lib/realtime/walls";
import { REQUEST_ID_HEADER, requestIdOf } from "@/lib/request-id";
import { resolveAdminToken } from "./admin-token";
import { relayAlerts } from "./alert-relay";
import { createAlertRoutes } from "./alert-routes";
import { askOthers, clusterAdapter, connectRedis, sharedClock } from "./cluster";
import { advisoryLeadership, soleLeadership, type Leadership } from "./leader";
import { createDrills, toWire } from "./drills";
import { createHistoryJobs } from "./history-jobs";
import { healthProblems, readiness } from "./health";
import { createHttpRoutes, type Health } from "./http";
import { HttpError, hasAdminToken, sendJson, serveRoutes, type Route } from "./http-json";
import { createIngestRoutes } from "./ingest";
import { createNotifyRoutes } from "./notify-routes";
import { metricsRoute, watchSideServer } from "./metrics";
import { createPipeline } from "./pipeline";
import { createProbeRoutes } from "./probes";
import { startPostgresSampleWriter } from "./postgres-sample-writer";
import { startSampleWriter, type SampleWriter } from "./sample-writer";
import { announceAlerts, announceDrills, attachRealtime, broadcastFrame } from "./realtime";
import { startSingletons, type Singletons } from "./singletons";
import { steadyClock } from "./steady-clock";
import { wallTokens } from "./wall-tokens";

export interface SideServerDeps {
  cwd: string;
  now(): number;
  /** The monotonic clock the steady clock advances by (performance.now() unless a test moves time). */
  monotonicNow?(): number;
  /** The process's logger; each part logs through a child named for it (`component`). */
  log: Log;
}

function ensureWritableDirectory(dir: string): void {
  try {
    makePrivateDirectories(dir);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  DATABASE_URL: cannot write to ${dir} (${error instanceof Error ? error.message : String(error)})`);
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How far ahead of the source clock a stored sample may be and still belong to the live window, in ticks. */
const AHEAD_TICKS = 2;

/** How long /readyz waits for the database's answer before it reports it unreachable. */
const READY_DATABASE_TIMEOUT_MS = 1_000;

/** How long, at shutdown, a batch PostgreSQL keeps refusing is retried before it is given up (never acknowledged). */
const SHUTDOWN_GRACE_MS = 10_000;

/** Migrates and opens the database of DATABASE_URL, with the writer of samples that suits it. */
async function openStorage(target: DatabaseTarget, log: Log): Promise<{ db: Database; writer: SampleWriter }> {
  if (target.provider === "postgresql") {
    // A server that is down, misnamed or refusing us: say which setting points at it.
    await withPgClient(target.url, (client) => client.query("SELECT 1")).catch((error: unknown) => {
      throw new Error(`DATABASE_URL: cannot reach PostgreSQL at ${describeTarget(target)} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    });
  }
  if (target.provider === "sqlite") {
    const tightened = tightenDatabaseFiles(target.file);
    if (tightened.length > 0) log.warn({ files: tightened }, "the database's files were readable by other users: now owner-only (0600)");
  }
  const { applied } = await applyMigrations(target);
  if (applied.length > 0) log.info({ migrations: applied }, "applied migrations");
  const db = await openDatabase(target);
  if (target.provider === "postgresql") return { db, writer: await startPostgresSampleWriter(target.url, { log }) };
  // The writer thread checkpoints the WAL after each batch; here a checkpoint would run on the event loop.
  await db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  return { db, writer: await startSampleWriter(target.file, { log }) };
}

export async function startSideServer(env: TServerEnv, deps: SideServerDeps) {
  // Everything here reads the steady clock: a step of the system clock must not move the source clock.
  const steady = steadyClock(deps.now, deps.monotonicNow);
  const now = steady.now;
  const startedAt = now();
  const target = databaseTarget(env.DATABASE_URL, deps.cwd);
  // The SQLite file's directory, or ./data beside PostgreSQL: where the generated admin token lives.
  const stateDir = stateDirectory(target, deps.cwd);
  ensureWritableDirectory(target.provider === "sqlite" ? dirname(target.file) : stateDir);
  const log = deps.log.child({ component: "side-server" });
  const { db, writer } = await openStorage(target, deps.log.child({ component: "database" }));
  await seedReferenceData(db);
  const adminToken = resolveAdminToken(env.ADMIN_TOKEN, stateDir, true);
  if (!adminToken) throw new Error("no admin token: set ADMIN_TOKEN or make the database directory writable");
  // Links in notifications must open from a phone in a chat group: this host's name, not localhost.
  const publicUrl = env.PUBLIC_URL ?? `http://${hostname()}:3000`;

  // Several side servers as one (server/cluster.ts): they need PostgreSQL (checked in lib/config.ts).
  // After a Redis outage the batches other instances stored meanwhile never came: take them from the database.
  let redisAwaySince: number | null = null;
  const redis = env.REDIS_URL ? await connectRedis(env.REDIS_URL, deps.log.child({ component: "cluster" }), () => void refillAfterOutage().catch((error: unknown) => log.error({ err: error }, "refill after the Redis outage failed"))) : null;
  redis?.on("error", () => (redisAwaySince ??= now()));

  // The source clock: real time, or a simulated day played faster from SIM_START; in a cluster, the first instance's.
  const realOrigin = Math.ceil(startedAt / 1000) * 1000;
  const ownClock: TClock = { speed: env.SIM_SPEED, realOrigin, simOrigin: env.SIM_START ? Date.parse(env.SIM_START) : realOrigin };
  const clockKey = `${env.CLUSTER_NAME}:clock`;
  const clock = redis ? await sharedClock(redis, clockKey, ownClock) : ownClock;
  const simNow = () => clockNow(clock, now());

  // The window is SNAPSHOT_MINUTES of real time: at SIM_SPEED 60, 15 minutes show 15 simulated hours.
  const windowMs = env.SNAPSHOT_MINUTES * 60_000 * env.SIM_SPEED;
  const recent = new SeriesStore({ maxPoints: env.SNAPSHOT_MINUTES * 60 + 60, maxAgeMs: windowMs }, isSummaryEntity);
  // After a restart the window is refilled from disk, so the first wall to connect is full at once.
  const summaryIds = ENTITIES.filter((e) => isSummaryEntity(e.id)).map((e) => e.id);
  // Rows newer than the source clock (a faster run before, a system clock set back since) are
  // history still to come, not the present: the window holds what is at most two ticks ahead.
  const aheadLimit = () => simNow() + AHEAD_TICKS * 1_000 * env.SIM_SPEED;
  recent.add(await samplesSince(db, simNow() - windowMs, { entityIds: summaryIds }, aheadLimit()));
  const storedUntil = await newestSampleTs(db);
  if (storedUntil !== null && storedUntil > aheadLimit()) {
    log.warn(
      { storedUntil: new Date(storedUntil).toISOString(), aheadMinutes: Math.round((storedUntil - simNow()) / 60_000) },
      "the database holds samples ahead of the source clock (an earlier run at another SIM_SPEED or SIM_START, or a clock set back): the wall shows the source clock's present; those samples are history to come",
    );
  }

  const drills = await createDrills({
    db,
    simNow,
    announce: (list) => {
      announceDrills(io, list);
      if (redis) io.serverSideEmit("peer:drills");
    },
  });
  // The singletons (the alert engine among them) run on the leader only; the others relay alert changes to it (server/alert-relay.ts).
  let singletons: Singletons | null = null;
  const alertEngine = () => singletons?.alerts ?? null;
  let followedAlerts: TAlert[] = [];
  const announceAlertList = (list: TAlert[]) => {
    announceAlerts(io, list);
    if (redis) io.serverSideEmit("peer:alerts", list);
  };

  const snapshot = ({ domains, level, scope }: TSubscription): TSnapshot => {
    const now = simNow();
    const part = recent.snapshot({
      now,
      windowMs,
      domains,
      entities: (id) => inScope(id, scope) && (level === "entities" || isSummaryEntity(id)),
      // The recent window keeps the city's and districts' history only; a road's or lot's comes from /api/history.
      historyEntityIds: [isSummaryEntity(scope) ? scope : CITY_ID],
    });
    return { serverTime: now, windowMs, entityIntervalMs: env.SIM_ENTITY_EVERY * 1_000 * env.SIM_SPEED, clock, drills: drills.list().map(toWire), alerts: alerts.current(), ...part };
  };

  const history = createHistoryJobs({ db, retention: retentionOf(env), simNow, log: deps.log.child({ component: "history" }) });
  let leadership: Leadership | null = null;
  const leading = () => leadership?.isLeader() ?? false;

  // While the leader refills its alert engine after a Redis outage, newer batches wait: the engine skips a sample older than one it saw.
  let heldForAlerts: (readonly TSample[])[] | null = null;
  /** A persisted batch, this instance's or another's: the window, and on the leader the rollups and alerts (of live samples, not history filled in). */
  function observe(samples: readonly TSample[], live = true): void {
    recent.add(samples);
    if (!leading()) return;
    history.touch(samples);
    if (!live) return;
    if (heldForAlerts) heldForAlerts.push(samples);
    else alertEngine()?.observe(samples);
  }

  const pipeline = createPipeline({
    persist: (rows) => writer.insert(rows),
    onPersisted: (samples, live) => {
      observe(samples, live);
      if (redis && live) io.serverSideEmit("peer:batch", [...samples]);
    },
    // One frame per turn of the event loop: a frame to thousands of sockets is thousands of
    // writes, and a batch's four or eight frames in one go held the loop for their sum (bench: fanout).
    broadcast: (frame) => setImmediate(() => broadcastFrame(io, frame)),
    flushMs: env.PERSIST_FLUSH_MS,
    maxBatch: 5_000,
    maxQueued: env.PERSIST_QUEUE_MAX_SAMPLES,
    log: deps.log.child({ component: "pipeline" }),
    window: () => timeWindow(simNow(), retentionOf(env).rawMs, clock.speed),
  });

  // How long the event loop was blocked (a frame waits that long): reported by /healthz, reset each minute.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  // Heartbeats are real time, whatever the source clock's speed.
  const walls = new WallRegistry(MAX_WALLS, env.WALLS_PER_ADDRESS);

  /** SELECT 1 within `ms`: a probe answers in time even while a connection to a database that is away hangs. */
  async function databaseAnswers(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([db.$queryRawUnsafe("SELECT 1").then(() => true, () => false), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  // The driver's own words go to the log, once per change: /healthz is public, and they may name hosts, files or SQL.
  let lastHealthError = "";
  async function health(): Promise<Health> {
    let database: Health["database"] = { reachable: true };
    try {
      await db.$queryRawUnsafe("SELECT 1");
      lastHealthError = "";
    } catch (error) {
      const text = errorText(error);
      if (text !== lastHealthError) log.error({ error: text }, "health: the database did not answer");
      lastHealthError = text;
      database = { reachable: false, error: "the database did not answer (the side server's log says why)" };
    }
    const { stats } = pipeline;
    const nowMs = now();
    const problems = healthProblems({ database, writer: writer.health(), stats, now: nowMs, simulating: env.SIM_ENABLED && leading(), startedAt, systemClockOffsetMs: steady.systemOffsetMs(), backfill: singletons?.backfill?.progress() ?? null });
    return {
      status: problems.length === 0 ? "ok" : "degraded",
      problems,
      protocolVersion: PROTOCOL_VERSION,
      uptimeSeconds: Math.round((nowMs - startedAt) / 1000),
      connectedClients: io.engine.clientsCount,
      // Since this process started: counting a table of tens of millions of rows at boot costs seconds.
      samplesPersisted: stats.persisted,
      persistFailures: stats.persistFailures,
      persistQueue: {
        samples: stats.queued,
        max: env.PERSIST_QUEUE_MAX_SAMPLES,
        refused: stats.refused,
        oldestWaitingSeconds: stats.waitingSince === null ? null : Math.round((nowMs - stats.waitingSince) / 1000),
      },
      duplicates: stats.duplicates,
      lastPersistAt: stats.lastPersistAt === null ? null : new Date(stats.lastPersistAt).toISOString(),
      database,
      clock: {
        speed: clock.speed,
        simulatedTime: new Date(simNow()).toISOString(),
        storedAheadUntil: storedUntil !== null && storedUntil > aheadLimit() ? new Date(storedUntil).toISOString() : null,
      },
      drills: drills.list().length,
      eventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
      mqtt: singletons?.mqttSource?.stats() ?? null,
      backfill: singletons?.backfill?.progress() ?? null,
      role: !redis ? "single" : leading() ? "leader" : "follower",
      walls: walls.summary(nowMs),
      idempotency: ingest.idempotency(),
    };
  }

  const ingest = createIngestRoutes({
    db,
    pipeline,
    simNow,
    now,
    limits: {
      maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
      maxSamples: env.INGEST_MAX_SAMPLES,
      rate: { perSecond: env.INGEST_RATE_PER_SECOND, burst: env.INGEST_BURST },
      idempotency: { maxBytes: env.INGEST_IDEMPOTENCY_MAX_BYTES, maxBytesPerToken: env.INGEST_IDEMPOTENCY_TOKEN_MAX_BYTES },
    },
  });
  const httpLog = deps.log.child({ component: "http" });
  const http = createServer((req, res) => {
    const reqId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    res.setHeader("X-Request-Id", reqId);
    const began = performance.now();
    // Every request at debug (ingest alone may be hundreds a second); failures at error, always.
    res.once("finish", () => httpLog.debug({ reqId, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(performance.now() - began) }, "request"));
    routes(req, res)
      .then((handled) => {
        if (!handled) sendJson(res, 404, { error: `no route ${req.method} ${req.url}` });
      })
      .catch((error: unknown) => {
        httpLog.error({ reqId, method: req.method, url: req.url, err: error }, "request failed");
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.end();
      });
  });
  /** PUBLIC_READ=false: who the web app's session cookie signs in (a person or a device), null for nobody. */
  const reader = env.PUBLIC_READ ? undefined : async (cookieHeader: string | undefined) => (await sessionUser(db, sessionTokenOf(cookieHeader)))?.name ?? null;
  /** PUBLIC_READ=false: a GET needs a session or the admin token (the web server's own reads), but the health probe. */
  const readGuard: Route = async (req, _res, url) => {
    if (!reader || (req.method !== "GET" && req.method !== "HEAD") || url.pathname === "/healthz") return false;
    if (hasAdminToken(req, adminToken) || (await reader(req.headers.cookie))) return false;
    throw new HttpError(401, "session: reading needs a signed-in session or the admin token (PUBLIC_READ=false)");
  };
  const io = attachRealtime(http, {
    reader,
    allowedOrigins: env.ALLOWED_ORIGINS,
    snapshot,
    walls,
    wallTokens: wallTokens(adminToken),
    trustedProxies: env.TRUSTED_PROXIES,
    now,
    log: deps.log.child({ component: "realtime" }),
    adapter: redis ? clusterAdapter(redis, env.CLUSTER_NAME) : undefined,
  });
  io.on("peer:batch", (samples) => {
    observe(samples);
    pipeline.frames(samples);
  });
  io.on("peer:alerts", (list) => (followedAlerts = list));
  /** The window and this instance's clients get the summary samples stored since `since` (simulated time) that they lack. */
  async function refillWindow(since: number): Promise<void> {
    pipeline.frames(recent.addMissing(await samplesSince(db, since, { entityIds: summaryIds }, aheadLimit())));
  }
  /**
   * The window and this instance's clients get what was stored since the outage began (a
   * little before, to be sure); the leader's alert engine every sample a rule watches (it
   * skips those it saw). An emptied Redis gets the clock back.
   */
  async function refillAfterOutage(): Promise<void> {
    const since = clockNow(clock, (redisAwaySince ?? now()) - 10_000);
    redisAwaySince = null;
    // Redis keeps nothing across a restart on some setups: the running instances' clock goes back first, or a new instance would start its own.
    if (redis) await sharedClock(redis, clockKey, clock).catch((error: unknown) => log.error({ err: error }, "could not write the clock back to Redis"));
    await refillWindow(since);
    const engine = leading() ? alertEngine() : null;
    if (!engine) return;
    void history.catchUp();
    const watched = [...new Set(engine.rules().filter((rule) => rule.enabled).map((rule) => rule.metricId))];
    heldForAlerts = [];
    try {
      engine.observe(await samplesSince(db, since, { metricIds: watched }));
    } finally {
      const held = heldForAlerts;
      heldForAlerts = null;
      for (const samples of held) engine.observe(samples);
    }
  }
  io.on("peer:drills", () => void drills.reload());
  io.on("peer:walls", (reply) => reply(walls.list(now())));
  /** A wall may be on any side server: ask them all; what answers in time is listed. */
  async function allWalls(): Promise<{ walls: WallRow[]; complete: boolean }> {
    const own = walls.list(now());
    if (!redis) return { walls: own, complete: true };
    const { answers, complete } = await askOthers<WallRow[]>(redis, (ack) => io.serverSideEmit("peer:walls", ack));
    return { walls: mergeWallRows([own, ...answers]), complete };
  }

  const alerts = relayAlerts(io, redis, alertEngine, () => followedAlerts, deps.log.child({ component: "alerts" }));
  const unwatchMetrics = watchSideServer({
    queuedSamples: () => pipeline.stats.queued,
    maxQueuedSamples: env.PERSIST_QUEUE_MAX_SAMPLES,
    sockets: () => io.engine.clientsCount,
    rooms: () => io.sockets.adapter.rooms.size - io.sockets.adapter.sids.size,
    wallStatuses: () => walls.list(now()).map((wall) => wall.status),
    openAlertSeverities: () => alertEngine()?.openSeverities() ?? null,
  });
  // Requests arrive only once the server listens, below: by then the routes exist.
  const routes = serveRoutes([
    // The probes first: no session (PUBLIC_READ=false), nothing in their way.
    createProbeRoutes({
      startedAt,
      now,
      loopDelayMs: () => ({ p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) }),
      ready: async () =>
        readiness({
          migrated: true,
          backfill: singletons?.backfill?.progress() ?? null,
          databaseReachable: await databaseAnswers(READY_DATABASE_TIMEOUT_MS),
          queued: pipeline.stats.queued,
          maxQueued: env.PERSIST_QUEUE_MAX_SAMPLES,
        }),
    }),
    // Before the read guard: Prometheus has no session (METRICS_TOKEN guards it instead).
    metricsRoute(env.METRICS_TOKEN),
    readGuard,
    createHttpRoutes({ health, snapshot, drills, walls: allWalls, now, adminToken }),
    ingest.route,
    createNotifyRoutes({ db, adminToken, now, simNow, publicUrl }),
    createAlertRoutes({ alerts, adminToken }),
  ]);

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(env.REALTIME_PORT, env.REALTIME_HOST, () => resolve());
  });
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : env.REALTIME_PORT;
  // What the others published between the window's first read and the adapter's first one reached neither.
  if (redis) await refillWindow(clockNow(clock, startedAt - 5_000));

  let starting: Promise<Singletons> | null = null;
  let backfillStarted = false;
  const stepDown = async () => {
    const stopping = starting;
    starting = null;
    const stopped = await stopping;
    if (singletons === stopped) singletons = null;
    await stopped?.stop();
  };
  const events = {
    gained: () => {
      log.info({ role: redis ? "leader" : "single" }, "running the simulator, alerts, rollups and retention");
      // A leader killed between storing a batch and publishing it: its last batches are only in the database.
      if (redis) void refillWindow(clockNow(clock, now() - 30_000)).catch((error: unknown) => log.error({ err: error }, "refill on taking the lead failed"));
      // History is filled in only into a database that had none at start, once: a later leader finds it there.
      const backfillHours = storedUntil === null && !backfillStarted ? env.SIM_BACKFILL_HOURS : 0;
      backfillStarted = true;
      starting = startSingletons({ env, db, clock, simNow, now, pipeline, drills, history, announceAlerts: announceAlertList, log: deps.log, backfillHours, windowMs, publicUrl });
      void starting.then((started) => (singletons = started));
    },
    lost: (reason: string) => {
      log.warn({ reason }, "no longer the leader: singletons stopped");
      void stepDown();
    },
    log: deps.log.child({ component: "leader" }),
  };
  leadership = redis && target.provider === "postgresql" ? advisoryLeadership(target.url, events) : soleLeadership(events);
  await starting;

  const trimTimer = setInterval(() => recent.trim(simNow()), 60_000);
  const loopTimer = setInterval(() => loopDelay.reset(), 60_000);

  let closing: Promise<void> | null = null;
  /** Stops the sources, writes the pending batch, then closes sockets and the database. */
  function close(): Promise<void> {
    closing ??= (async () => {
      await leadership?.close();
      await stepDown();
      clearInterval(trimTimer);
      clearInterval(loopTimer);
      unwatchMetrics();
      loopDelay.disable();
      // With PostgreSQL down, what is pending would otherwise be retried forever and shutdown never end.
      writer.shutdown(SHUTDOWN_GRACE_MS);
      await pipeline.flush();
      await writer.close();
      await history.flush();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redis?.quit().catch(() => undefined);
      await db.$disconnect();
    })();
    return closing;
  }

  // databaseFile: the SQLite file, or the PostgreSQL URL without its password (there is no file).
  return { port, pipeline, history, alerts, alertEngine, leading, db, close, databaseFile: describeTarget(target), provider: target.provider, stateDir, adminToken, clock };
}

export type SideServer = Awaited<ReturnType<typeof startSideServer>>;
