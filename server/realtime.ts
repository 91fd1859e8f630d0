/**
 * Socket.IO wiring: the hello handshake (protocol version, domains, level, scope),
 * a room per subscription, and the broadcaster the pipeline calls. Snapshot first (in
 * the hello reply), then frames: the client joins its rooms before the reply is sent.
 * A frame goes whole to the city-wide room and, cut to each scope, to the rooms of
 * the districts and entities someone follows.
 */
import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions, type Socket } from "socket.io";
import {
  EVERYONE_ROOM,
  Event,
  PROTOCOL_VERSION,
  Rejection,
  ZHeartbeat,
  ZHello,
  domainRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type TAlert,
  type TDrill,
  type TFrame,
  type TLevel,
  type TSnapshot,
  type TSubscription,
} from "@/lib/realtime/protocol";
import { CITY_ID, inScope } from "@/lib/catalog";
import { RateLimiter, type RateLimit } from "@/lib/ingest/rate-limit";
import { issuesMessage } from "@/lib/issues";
import { clientAddress, clientKey } from "@/lib/client-address";
import { originAllowed } from "@/lib/realtime/origin";
import type { WallRegistry } from "@/lib/realtime/walls";
import { type Log } from "@/lib/log";
import { SIDE_SERVER_SECURITY_HEADERS } from "./http-json";
import { bytesSent, framesSent } from "./metrics";
import { newWallId, type WallTokens } from "./wall-tokens";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RealtimeOptions {
  allowedOrigins: string;
  /** The cluster's adapter (server/cluster.ts); unset, the built-in in-memory one. */
  adapter?: ServerOptions["adapter"];
  snapshot(subscription: TSubscription): TSnapshot;
  walls: WallRegistry;
  wallTokens: WallTokens;
  /** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES); the walls' quota counts per client. */
  trustedProxies: readonly string[];
  now(): number;
  log: Log;
  /**
   * PUBLIC_READ=false: who a socket's Cookie header signs in (lib/db/users.ts sessionUser), null
   * for nobody; such a socket is refused, and one whose session ends (a device revoked, a
   * password changed) is disconnected within READER_RECHECK_MS or at its next hello.
   */
  reader?: (cookieHeader: string | undefined) => Promise<string | null>;
}

export const READER_RECHECK_MS = 30_000;
export const READER_REFUSAL = "session: reading needs a signed-in session or a device credential (PUBLIC_READ=false); sign in on the web app first";

/** A refused wall is logged at most this often: a flood must not flood the log too. */
const REFUSAL_LOG_EVERY_MS = 60_000;

/** Scopes below the city that some socket followed, per "level:domain"; pruned when their room empties. */
const followedScopes = new WeakMap<RealtimeServer, Map<string, Set<string>>>();

export function attachRealtime(http: HttpServer, options: RealtimeOptions): RealtimeServer {
  const io: RealtimeServer = new Server(http, {
    ...(options.adapter ? { adapter: options.adapter } : {}),
    // CORS headers for the polling transport reflect the origin; allowRequest below decides, for both transports.
    // Credentials: the polling transport's requests carry the session cookie (PUBLIC_READ=false).
    cors: { origin: true, credentials: true },
    allowRequest: (req, callback) => {
      const allowed = originAllowed(req.headers.origin, req.headers.host, options.allowedOrigins);
      callback(allowed ? null : `origin ${req.headers.origin} is not in ALLOWED_ORIGINS`, allowed);
    },
    // A hello with all four domains is a few hundred bytes; nothing a client sends is larger.
    maxHttpBufferSize: 16 * 1024,
  });

  // The long-polling transport's answers are the side server's HTTP answers too.
  io.engine.on("headers", (headers: Record<string, string>) => Object.assign(headers, SIDE_SERVER_SECURITY_HEADERS));
  countBytesSent(io);

  const scopes = new Map<string, Set<string>>();
  followedScopes.set(io, scopes);
  let refusalLoggedAt = -Infinity;

  const { reader } = options;
  if (reader) {
    io.use((socket, next) => {
      reader(socket.handshake.headers.cookie).then(
        (name) => next(name ? undefined : new Error(READER_REFUSAL)),
        (error: unknown) => next(new Error(`session: cannot check the session now (${error instanceof Error ? error.message : String(error)})`)),
      );
    });
  }

  io.on("connection", (socket) => {
    // Debug: a wall of walls reconnecting after a restart is thousands of these.
    const log = options.log.child({ socketId: socket.id });
    log.debug({ client: socket.handshake.address }, "socket connected");
    void socket.join(EVERYONE_ROOM);
    throttle(socket, log);
    const stillReading = reader ? watchReader(socket, reader) : async () => true;
    socket.on(Event.hello, async (raw, reply) => {
      if (typeof reply !== "function" || !(await stillReading())) return;
      const parsed = ZHello.safeParse(raw);
      if (!parsed.success) {
        reply({
          ok: false,
          reason: Rejection.invalidPayload,
          message: issuesMessage(parsed.error, "hello"),
          serverProtocolVersion: PROTOCOL_VERSION,
        });
        return;
      }
      const hello = parsed.data;
      if (hello.protocolVersion !== PROTOCOL_VERSION) {
        log.info({ clientProtocol: hello.protocolVersion, serverProtocol: PROTOCOL_VERSION }, "hello refused: protocol mismatch");
        reply({
          ok: false,
          reason: Rejection.protocolMismatch,
          message: `client speaks protocol ${hello.protocolVersion}, server ${PROTOCOL_VERSION}: reload the page`,
          serverProtocolVersion: PROTOCOL_VERSION,
        });
        return;
      }
      for (const room of socket.rooms) if (room !== socket.id && room !== EVERYONE_ROOM) void socket.leave(room);
      socket.data.domains = hello.domains;
      // "entities" means every entity too: such a client also follows the city and districts.
      const levels: TLevel[] = hello.level === "entities" ? ["summary", "entities"] : ["summary"];
      void socket.join(hello.domains.flatMap((d) => levels.map((level) => domainRoom(d, level, hello.scope))));
      if (hello.scope !== CITY_ID) {
        for (const d of hello.domains) for (const level of levels) getOrAdd(scopes, `${level}:${d}`).add(hello.scope);
      }
      log.debug({ domains: hello.domains, level: hello.level, scope: hello.scope }, "hello");
      reply({ ok: true, snapshot: options.snapshot(hello) });
    });
    // Telemetry: never punished, always answered with the wall this socket is listed as (or why it is not).
    const client = clientKey(clientAddress(socket.handshake.address, socket.handshake.headers["x-forwarded-for"], options.trustedProxies));
    socket.on(Event.heartbeat, (raw, reply) => {
      const answer = typeof reply === "function" ? reply : () => undefined;
      const parsed = ZHeartbeat.safeParse(raw);
      if (!parsed.success) return answer({ ok: false, reason: Rejection.invalidPayload, message: issuesMessage(parsed.error, "heartbeat") });
      const { resume, ...report } = parsed.data;
      const now = options.now();
      const admission = options.walls.report({ socketId: socket.id, client, heartbeat: report, claim: options.wallTokens.verify(resume), newId: newWallId, now });
      if (admission.ok) return answer({ ok: true, wallId: admission.wallId, resume: options.wallTokens.issue(admission.wallId) });
      if (now - refusalLoggedAt >= REFUSAL_LOG_EVERY_MS) {
        refusalLoggedAt = now;
        log.warn({ client, refusedSinceStart: options.walls.summary(now).refused }, `${admission.message}: the page is not listed (behind a proxy, set TRUSTED_PROXIES)`);
      }
      answer(admission);
    });
    socket.on("disconnect", (reason) => {
      log.debug({ reason }, "socket disconnected");
      options.walls.disconnect(socket.id);
    });
  });

  return io;
}

/**
 * A page says hello once per connection (and again when it navigates): a socket sending
 * events faster than EVENT_RATE has them dropped, and after MAX_DROPPED drops it is
 * disconnected — a flood cannot make the server validate and answer without end.
 */
export const EVENT_RATE: RateLimit = { perSecond: 5, burst: 20 };
export const MAX_DROPPED = 50;

function throttle(socket: RealtimeSocket, log: Log): void {
  const limiter = new RateLimiter(EVENT_RATE);
  let dropped = 0;
  socket.use((_packet, next) => {
    if (limiter.take("", Date.now()) === 0) return next();
    if (++dropped >= MAX_DROPPED) {
      log.warn({ dropped, ratePerSecond: EVENT_RATE.perSecond }, "socket flooding events: disconnected");
      socket.disconnect(true);
    }
    else next(new Error(`rate: more than ${EVENT_RATE.perSecond} events per second; event dropped`));
  });
  // Socket.IO reports a middleware's refusal as an "error" event; without a listener it would log a stack per event.
  socket.on("error", () => undefined);
}

/** Disconnects the socket once the session that let it in is gone; returns the check, for each hello. */
function watchReader(socket: RealtimeSocket, reader: NonNullable<RealtimeOptions["reader"]>): () => Promise<boolean> {
  const check = async (): Promise<boolean> => {
    // A database that does not answer now is no reason to drop a wall: undefined, and the next check decides.
    const name = await reader(socket.handshake.headers.cookie).then((found) => found, () => undefined);
    if (name === null) socket.disconnect(true);
    return name !== null;
  };
  const timer = setInterval(() => void check(), READER_RECHECK_MS);
  timer.unref();
  socket.on("disconnect", () => clearInterval(timer));
  return check;
}

function getOrAdd(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

/**
 * Counts the bytes of every packet the side server writes. A broadcast hands the same encoded
 * string to each socket in turn, so its size is measured once, not once per socket.
 */
function countBytesSent(io: RealtimeServer): void {
  let last: unknown = null;
  let lastBytes = 0;
  io.engine.on("connection", (socket: { on(event: "packetCreate", listener: (packet: { data?: unknown }) => void): void }) => {
    socket.on("packetCreate", ({ data }) => {
      if (data !== last) {
        last = data;
        lastBytes = typeof data === "string" ? Buffer.byteLength(data) : data instanceof Uint8Array ? data.byteLength : 0;
      }
      bytesSent.inc(lastBytes);
    });
  });
}

export function broadcastFrame(io: RealtimeServer, frame: TFrame): void {
  // Local: in a cluster every instance frames every batch for its own sockets (server/cluster.ts).
  io.local.to(domainRoom(frame.domain, frame.level)).emit(Event.frame, frame);
  framesSent.inc({ domain: frame.domain, level: frame.level });
  const scopes = followedScopes.get(io)?.get(`${frame.level}:${frame.domain}`);
  if (!scopes) return;
  for (const scope of scopes) {
    const room = domainRoom(frame.domain, frame.level, scope);
    if (!io.sockets.adapter.rooms.get(room)?.size) {
      scopes.delete(scope);
      continue;
    }
    const samples = frame.samples.filter((s) => inScope(s.entityId, scope));
    if (samples.length > 0) {
      io.local.to(room).emit(Event.frame, { ...frame, samples });
      framesSent.inc({ domain: frame.domain, level: frame.level });
    }
  }
}

export function announceAlerts(io: RealtimeServer, alerts: TAlert[]): void {
  io.to(EVERYONE_ROOM).emit(Event.alerts, { alerts });
}

export function announceDrills(io: RealtimeServer, drills: TDrill[]): void {
  io.to(EVERYONE_ROOM).emit(Event.drills, { drills });
}
