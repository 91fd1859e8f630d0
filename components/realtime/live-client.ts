/**
 * The browser's one socket to the side server, outside React: it says hello
 * (protocol version and the page's subscription), merges the snapshot, then applies frames to a
 * bounded SeriesStore. React reads it through useSyncExternalStore; listeners are
 * notified at most once per animation frame and once a second for ages.
 */
import { io, type Socket } from "socket.io-client";
import { CITY_ID, isSummaryEntity } from "@/lib/catalog";
import {
  Event,
  PROTOCOL_VERSION,
  Rejection,
  ZAlertState,
  ZDrillState,
  ZFrame,
  ZHeartbeatReply,
  ZHelloReply,
  clockNow,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type TClock,
  type TAlert,
  type TDrill,
  type TWallReport,
  type TSnapshot,
  type TSubscription,
} from "@/lib/realtime/protocol";
import { linkStatus, type LinkStatus, type SocketState } from "@/lib/realtime/link";
import { SeriesStore } from "@/lib/realtime/series-store";
import type { ReplayRequest } from "@/lib/realtime/replay";
import { ReplaySession } from "./replay-session";

/** 15 minutes of 1 Hz ticks (plus slack), whatever the source clock's speed. */
const MAX_POINTS = 15 * 60 + 60;
const REAL_CLOCK: TClock = { speed: 1, realOrigin: 0, simOrigin: 0 };
/** Points further ahead of the source clock than this many ticks, found at a (re)connect, are another clock's leftovers. */
const AHEAD_TICKS = 2;

export class LiveClient {
  /** Rebuilt when a snapshot brings a different window (a source clock at another speed). */
  private liveStore: SeriesStore;
  private liveWindowMs = 15 * 60_000;
  private liveClock: TClock = REAL_CLOCK;
  /** Source-clock ms between two reports of one road, lot, institution or node (from the snapshot). */
  entityIntervalMs = 10_000;
  /** While set, the wall shows this replay instead of live data (frames still reach the live store). */
  replay: ReplaySession | null = null;
  drills: TDrill[] = [];
  /** Unresolved alerts now, newest first, as the side server last announced them (during a replay too). */
  liveAlerts: TAlert[] = [];
  link: SocketState = "connecting";
  /** When the link was last lost, for "offline since". */
  disconnectedAt: number | null = null;
  /** When the side server last answered the hello (real ms), for "connected but silent". */
  connectedAt: number | null = null;
  version = 0;
  /** Wall-clock time of the last tick; null until started in the browser (server render, hydration). */
  now: number | null = null;
  /** Wall-clock time the last live frame arrived, for the watchdog; null before the first. */
  lastFrameAt: number | null = null;
  private lastHeartbeat: TWallReport | null = null;
  /**
   * The token the side server gave this page for its wall, proving at the next connect that
   * it is the same wall (the watchdog keeps it in sessionStorage, so a reload is too); null
   * until the first heartbeat is answered.
   */
  wallResume: string | null = null;
  /** Told each new token, to keep it. */
  onWallResume: ((resume: string) => void) | null = null;
  /**
   * The source clock as this page keeps it: the side server's time at the last hello, advanced
   * by the monotonic clock. A wall PC's own clock may be minutes off or be stepped (NTP, a VM);
   * performance.now() is neither. Null until the first hello: the server-rendered snapshot's
   * clock and this PC's clock stand in.
   */
  private sync: { sourceTs: number; perfMs: number } | null = null;
  private subscription: TSubscription | null = null;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private listeners = new Set<() => void>();
  private frameRequested = false;
  private ticker: ReturnType<typeof setInterval> | null = null;

  /** `replay`: the page opens on this replay (its URL says so): it renders as a replay from the first frame, live alerts and data never shown. */
  constructor(snapshot: TSnapshot | null, replay: ReplayRequest | null = null) {
    this.liveStore = new SeriesStore({ maxPoints: MAX_POINTS, maxAgeMs: this.liveWindowMs });
    if (snapshot) this.applySnapshot(snapshot);
    // Loads only once started in the browser.
    if (replay) this.replay = new ReplaySession(replay, () => this.notify());
  }

  /** What the wall shows: the replay's data and clock during a replay, live otherwise. */
  get store(): SeriesStore {
    return this.replay?.store ?? this.liveStore;
  }

  get clock(): TClock {
    return this.replay?.clock ?? this.liveClock;
  }

  /**
   * The alerts the wall shows and draws attention with: during a replay those open at the
   * replayed instant, from stored history, never a live one; the live ones otherwise.
   */
  get alerts(): TAlert[] {
    return this.replay ? this.replay.alerts(this.now ?? Date.now()) : this.liveAlerts;
  }

  get windowMs(): number {
    return this.replay?.windowMs ?? this.liveWindowMs;
  }

  /** Source-clock time now (simulated time when the simulator runs faster, replayed time in a replay); null before start. */
  sourceNow(): number | null {
    if (this.now === null) return null;
    return this.replay ? this.replay.now(this.now) : this.liveNow(this.now);
  }

  /** Live source-clock time, whatever the wall shows. */
  private liveNow(realNow: number): number {
    return this.sync ? this.sync.sourceTs + (performance.now() - this.sync.perfMs) * this.liveClock.speed : clockNow(this.liveClock, realNow);
  }

  /** Real ms between two frames this page should receive: a tick, or one entity's report interval. */
  get frameIntervalMs(): number {
    return this.declaredIntervalMs(this.subscription?.scope ?? CITY_ID) / this.liveClock.speed;
  }

  /** What the header says of the link: of the data (frames arriving or not), not only of the socket. */
  linkStatus(): LinkStatus {
    return linkStatus({
      socket: this.link,
      now: this.now ?? Date.now(),
      lastFrameAt: this.lastFrameAt,
      connectedAt: this.connectedAt,
      disconnectedAt: this.disconnectedAt,
      frameIntervalMs: this.frameIntervalMs,
    });
  }

  /** Plays the whole wall through a past window; live frames keep arriving underneath. */
  startReplay(request: ReplayRequest): void {
    this.replay?.stop();
    const session = new ReplaySession(request, () => this.notify());
    this.replay = session;
    void session.start();
    this.notify();
  }

  /** Back to live, at once: the live store was kept current throughout. */
  stopReplay(): void {
    this.replay?.stop();
    this.replay = null;
    this.notify();
  }

  /**
   * How often the live source says a series reports (source-clock ms): the city and districts
   * every tick of its clock, an entity every entityIntervalMs. The live clock's, even during a
   * replay: how fast a replay plays says nothing about how often the data was recorded.
   */
  declaredIntervalMs(entityId: string): number {
    return isSummaryEntity(entityId) ? 1_000 * this.liveClock.speed : this.entityIntervalMs;
  }

  /** Real milliseconds since a source-clock timestamp. */
  ageMs(ts: number): number | null {
    const now = this.sourceNow();
    return now === null ? null : (now - ts) / this.clock.speed;
  }

  private applySnapshot(snapshot: TSnapshot): void {
    if (snapshot.windowMs !== this.liveWindowMs) {
      this.liveWindowMs = snapshot.windowMs;
      this.liveStore = new SeriesStore({ maxPoints: MAX_POINTS, maxAgeMs: this.liveWindowMs });
    }
    this.liveClock = snapshot.clock;
    this.entityIntervalMs = snapshot.entityIntervalMs;
    this.drills = snapshot.drills;
    this.liveAlerts = snapshot.alerts;
    this.liveStore.addSnapshot(snapshot);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  start(url: string, subscription: TSubscription): void {
    this.subscription = subscription;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, SOCKET_OPTIONS);
    this.socket = socket;
    socket.on("connect", () => {
      // Back at once in /walls after a reconnect, not a heartbeat interval later.
      this.emitHeartbeat();
      const sentAt = performance.now();
      socket.timeout(10_000).emit(Event.hello, { protocolVersion: PROTOCOL_VERSION, ...subscription }, (error, raw) => {
        if (error) return; // no reply: the socket reconnects and says hello again
        const reply = ZHelloReply.safeParse(raw);
        if (!reply.success) return this.setLink("reload");
        if (!reply.data.ok) {
          if (reply.data.reason === Rejection.protocolMismatch) this.setLink("reload");
          return;
        }
        const { snapshot } = reply.data;
        const receivedAt = performance.now();
        // The snapshot was taken about half-way through the round trip.
        this.sync = { sourceTs: snapshot.serverTime + ((receivedAt - sentAt) / 2) * snapshot.clock.speed, perfMs: receivedAt };
        this.applySnapshot(snapshot);
        // A side server back at another speed or start, or on a clock set back: what lies ahead of its clock is not live.
        this.liveStore.dropAfter(this.liveNow(Date.now()) + AHEAD_TICKS * 1_000 * snapshot.clock.speed);
        this.disconnectedAt = null;
        this.connectedAt = Date.now();
        this.setLink("connected");
      });
    });
    socket.on("disconnect", () => {
      this.disconnectedAt ??= Date.now();
      this.setLink("reconnecting");
    });
    socket.on(Event.alerts, (raw) => {
      const state = ZAlertState.safeParse(raw);
      if (!state.success) return;
      this.liveAlerts = state.data.alerts;
      this.notify();
    });
    socket.on(Event.drills, (raw) => {
      const state = ZDrillState.safeParse(raw);
      if (!state.success) return;
      this.drills = state.data.drills;
      this.notify();
    });
    socket.on(Event.frame, (raw) => {
      const frame = ZFrame.safeParse(raw);
      if (!frame.success) return;
      this.lastFrameAt = Date.now();
      this.liveStore.add(frame.data.samples);
      if (!this.replay) this.notify();
    });
    this.now = Date.now();
    if (this.replay) this.startReplay(this.replay.request);
    this.ticker = setInterval(() => {
      this.now = Date.now();
      this.liveStore.trim(this.liveNow(this.now));
      this.replay?.tick(this.now);
      this.notify();
    }, 1000);
  }

  /** Sent only while connected: Socket.IO would otherwise buffer stale reports and flush them all on reconnect. */
  sendHeartbeat(heartbeat: TWallReport): void {
    this.lastHeartbeat = heartbeat;
    this.emitHeartbeat();
  }

  private emitHeartbeat(): void {
    if (!this.lastHeartbeat || !this.socket?.connected) return;
    this.socket.emit(Event.heartbeat, { ...this.lastHeartbeat, resume: this.wallResume }, (raw) => {
      const reply = ZHeartbeatReply.safeParse(raw);
      // Not listed (too many walls from this address): the side server counts and logs it; the page goes on.
      if (!reply.success || !reply.data.ok || reply.data.resume === this.wallResume) return;
      this.wallResume = reply.data.resume;
      this.onWallResume?.(reply.data.resume);
    });
  }

  stop(): void {
    this.replay?.stop();
    this.socket?.close();
    this.socket = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private setLink(link: SocketState): void {
    this.link = link;
    this.notify();
  }

  private notify(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    const run = () => {
      this.frameRequested = false;
      this.version++;
      for (const listener of this.listeners) listener();
    };
    if (typeof requestAnimationFrame === "function" && document.visibilityState === "visible") requestAnimationFrame(run);
    else setTimeout(run, 0);
  }
}

const SOCKET_OPTIONS = {
  // websocket first: no long-polling handshake, and no sticky sessions needed later.
  transports: ["websocket", "polling"],
  // The polling transport's requests carry the web app's session cookie: with PUBLIC_READ=false the side server wants it.
  withCredentials: true,
  // A wall on a LAN should be back within seconds of the server, not after a 5 s backoff.
  reconnectionDelay: 500,
  reconnectionDelayMax: 2_000,
};

/**
 * A page that follows alert changes only (the desk): every socket is in the side server's
 * everyone-room from its connection, so it says no hello and is sent no frames, only the
 * announcements. `changed` is called at each one and at each (re)connect, when what changed
 * meanwhile was announced to no one here; returns the stop.
 */
export function followAlertChanges(url: string, on: { changed(): void; link(state: "live" | "reconnecting"): void }): () => void {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, SOCKET_OPTIONS);
  socket.on("connect", () => {
    on.link("live");
    on.changed();
  });
  socket.on("disconnect", () => on.link("reconnecting"));
  socket.on(Event.alerts, () => on.changed());
  return () => socket.close();
}

/** The side server's URL: configured, or this page's own host at the realtime port. */
export function realtimeUrl(configured: string | null, realtimePort: number): string {
  if (configured) return configured;
  return `${window.location.protocol}//${window.location.hostname}:${realtimePort}`;
}
