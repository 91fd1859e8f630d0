/**
 * The composition root of the side server: opens and migrates the database,
 * seeds reference data, wires sources → pipeline → persist / broadcast, and
 * serves HTTP and Socket.IO. Everything with I/O is created here and nowhere else.
 */
import { accessSync, constants } from "node:fs";
import { createServer } from "node:http";
import { dirname } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { CITY_ID, ENTITIES, inScope, isSummaryEntity } from "@/lib/catalog";
import { ConfigError, retentionOf, sqliteFilePath, type TServerEnv } from "@/lib/config";
import { openDatabase } from "@/lib/db/client";
import { applyMigrations, makeDirectories } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/reference";
import { samplesSince } from "@/lib/db/samples";
import { timeWindow } from "@/lib/ingest/rules";
import { PROTOCOL_VERSION, clockNow, type TClock, type TSnapshot, type TSubscription } from "@/lib/realtime/protocol";
import { SeriesStore } from "@/lib/realtime/series-store";
import { WallRegistry } from "@/lib/realtime/walls";
import { resolveAdminToken } from "./admin-token";
import { createAlertRoutes } from "./alert-routes";
import { createAlerts } from "./alerts";
import { createDrills, toWire } from "./drills";
import { createHistoryJobs } from "./history-jobs";
import { createHttpRoutes, type Health } from "./http";
import { serveRoutes } from "./http-json";
import { createIngestRoutes } from "./ingest";
import { createPipeline } from "./pipeline";
import { startSampleWriter } from "./sample-writer";
import { announceAlerts, announceDrills, attachRealtime, broadcastFrame } from "./realtime";
import { startMqttPublisher, startMqttSource } from "./sources/mqtt";
import { startSimulatorSource } from "./sources/simulator";

export interface SideServerDeps {
  cwd: string;
  now(): number;
  log(message: string): void;
}

function ensureWritableDirectory(databaseFile: string): void {
  const dir = dirname(databaseFile);
  try {
    makeDirectories(dir);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  DATABASE_URL: cannot write to ${dir} (${error instanceof Error ? error.message : String(error)})`);
  }
}

export async function startSideServer(env: TServerEnv, deps: SideServerDeps) {
  const startedAt = deps.now();
  const databaseFile = sqliteFilePath(env.DATABASE_URL, deps.cwd);
  ensureWritableDirectory(databaseFile);
  const { applied } = await applyMigrations(databaseFile);
  if (applied.length > 0) deps.log(`applied migrations: ${applied.join(", ")}`);
  const db = await openDatabase(databaseFile);
  // The writer thread checkpoints the WAL after each batch; here a checkpoint would run on the event loop.
  await db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  await seedReferenceData(db);
  const writer = await startSampleWriter(databaseFile);
  const adminToken = resolveAdminToken(env.ADMIN_TOKEN, databaseFile, true);
  if (!adminToken) throw new Error("no admin token: set ADMIN_TOKEN or make the database directory writable");

  // The source clock: real time, or a simulated day played faster from SIM_START.
  const realOrigin = Math.ceil(startedAt / 1000) * 1000;
  const clock: TClock = { speed: env.SIM_SPEED, realOrigin, simOrigin: env.SIM_START ? Date.parse(env.SIM_START) : realOrigin };
  const simNow = () => clockNow(clock, deps.now());

  // The window is SNAPSHOT_MINUTES of real time: at SIM_SPEED 60, 15 minutes show 15 simulated hours.
  const windowMs = env.SNAPSHOT_MINUTES * 60_000 * env.SIM_SPEED;
  const recent = new SeriesStore({ maxPoints: env.SNAPSHOT_MINUTES * 60 + 60, maxAgeMs: windowMs }, isSummaryEntity);
  // After a restart the window is refilled from disk, so the first wall to connect is full at once.
  const summaryIds = ENTITIES.filter((e) => isSummaryEntity(e.id)).map((e) => e.id);
  recent.add(await samplesSince(db, simNow() - windowMs, summaryIds));

  const drills = await createDrills({ db, simNow, announce: (list) => announceDrills(io, list) });
  const alerts = await createAlerts({ db, now: simNow, announce: (list) => announceAlerts(io, list), log: deps.log });

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

  const history = createHistoryJobs({ db, retention: retentionOf(env), simNow, log: deps.log });
  void history.catchUp();

  const pipeline = createPipeline({
    persist: (rows) => writer.insert(rows),
    onPersisted: (samples) => {
      recent.add(samples);
      history.touch(samples);
      alerts.observe(samples);
    },
    // One frame per turn of the event loop: a frame to thousands of sockets is thousands of
    // writes, and a batch's four or eight frames in one go held the loop for their sum (bench: fanout).
    broadcast: (frame) => setImmediate(() => broadcastFrame(io, frame)),
    flushMs: env.PERSIST_FLUSH_MS,
    maxBatch: 5_000,
    log: deps.log,
    window: () => timeWindow(simNow(), retentionOf(env).rawMs, clock.speed),
  });

  // How long the event loop was blocked (a frame waits that long): reported by /healthz, reset each minute.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  // Heartbeats are real time, whatever the source clock's speed.
  const walls = new WallRegistry();

  async function health(): Promise<Health> {
    let database: Health["database"] = { reachable: true };
    try {
      await db.$queryRawUnsafe("SELECT 1");
    } catch (error) {
      database = { reachable: false, error: error instanceof Error ? error.message : String(error) };
    }
    const { stats } = pipeline;
    return {
      status: database.reachable ? "ok" : "degraded",
      protocolVersion: PROTOCOL_VERSION,
      uptimeSeconds: Math.round((deps.now() - startedAt) / 1000),
      connectedClients: io.engine.clientsCount,
      // Since this process started: counting a table of tens of millions of rows at boot costs seconds.
      samplesPersisted: stats.persisted,
      persistFailures: stats.persistFailures,
      lastPersistAt: stats.lastPersistAt === null ? null : new Date(stats.lastPersistAt).toISOString(),
      database,
      clock: { speed: clock.speed, simulatedTime: new Date(simNow()).toISOString() },
      drills: drills.list().length,
      eventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
      mqtt: mqttSource?.stats() ?? null,
      walls: walls.summary(deps.now()),
    };
  }

  const ingest = createIngestRoutes({
    db,
    pipeline,
    simNow,
    now: deps.now,
    limits: { maxBodyBytes: env.INGEST_MAX_BODY_BYTES, maxSamples: env.INGEST_MAX_SAMPLES, rate: { perSecond: env.INGEST_RATE_PER_SECOND, burst: env.INGEST_BURST } },
  });
  const routes = serveRoutes([createHttpRoutes({ health, snapshot, drills, walls, now: deps.now, adminToken }), ingest, createAlertRoutes({ alerts, adminToken })]);
  const http = createServer((req, res) => {
    routes(req, res)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: `no route ${req.method} ${req.url}` }));
        }
      })
      .catch((error: unknown) => {
        deps.log(`request ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
      });
  });
  const io = attachRealtime(http, { allowedOrigins: env.ALLOWED_ORIGINS, snapshot, walls, now: deps.now });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(env.REALTIME_PORT, env.REALTIME_HOST, () => resolve());
  });
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : env.REALTIME_PORT;

  // Started once the socket server exists: a persisted message is broadcast through it.
  const mqttOptions = env.MQTT_URL ? { url: env.MQTT_URL, username: env.MQTT_USERNAME, password: env.MQTT_PASSWORD, clientId: env.MQTT_CLIENT_ID, log: deps.log } : null;
  const mqttSource = mqttOptions ? startMqttSource(pipeline, { ...mqttOptions, now: simNow }) : null;
  const simPublisher = mqttOptions && env.SIM_ENABLED && env.SIM_OUTPUT === "mqtt" ? startMqttPublisher({ ...mqttOptions, clientId: `${env.MQTT_CLIENT_ID}-sim` }) : null;
  const simulator = env.SIM_ENABLED ? startSimulatorSource(simPublisher ?? pipeline, { seed: env.SIM_SEED, entityEvery: env.SIM_ENTITY_EVERY, clock, drills, now: deps.now }) : null;
  const trimTimer = setInterval(() => recent.trim(simNow()), 60_000);
  const rollupTimer = setInterval(() => void history.rollUp(), 5_000);
  const retentionTimer = setInterval(() => {
    void history.expire();
    loopDelay.reset();
  }, 60_000);
  void history.expire();

  let closing: Promise<void> | null = null;
  /** Stops the sources, writes the pending batch, then closes sockets and the database. */
  function close(): Promise<void> {
    closing ??= (async () => {
      simulator?.stop();
      await simPublisher?.close();
      await mqttSource?.close();
      clearInterval(trimTimer);
      clearInterval(rollupTimer);
      clearInterval(retentionTimer);
      loopDelay.disable();
      await pipeline.flush();
      await alerts.flush();
      await writer.close();
      await history.flush();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await db.$disconnect();
    })();
    return closing;
  }

  return { port, pipeline, history, alerts, db, close, databaseFile, adminToken, clock };
}

export type SideServer = Awaited<ReturnType<typeof startSideServer>>;
