/**
 * The browser's one socket to the side server, outside React: it says hello
 * (protocol version and domains), merges the snapshot, then applies frames to a
 * bounded SeriesStore. React reads it through useSyncExternalStore; listeners are
 * notified at most once per animation frame and once a second for ages.
 */
import { io, type Socket } from "socket.io-client";
import type { Domain } from "@/lib/catalog";
import {
  Event,
  PROTOCOL_VERSION,
  Rejection,
  ZFrame,
  ZHelloReply,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type TSnapshot,
} from "@/lib/realtime/protocol";
import { SeriesStore } from "@/lib/realtime/series-store";

export type LinkState = "connecting" | "connected" | "reconnecting" | "reload";

const WINDOW_MS = 15 * 60_000;

export class LiveClient {
  readonly store = new SeriesStore({ maxPoints: 15 * 60 + 60, maxAgeMs: WINDOW_MS });
  link: LinkState = "connecting";
  /** When the link was last lost, for "offline since". */
  disconnectedAt: number | null = null;
  version = 0;
  /** Wall-clock time of the last tick; null until started in the browser (server render, hydration). */
  now: number | null = null;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private listeners = new Set<() => void>();
  private frameRequested = false;
  private ticker: ReturnType<typeof setInterval> | null = null;

  constructor(snapshot: TSnapshot | null) {
    if (snapshot) this.store.addSnapshot(snapshot);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  start(url: string, domains: readonly Domain[]): void {
    // websocket first: no long-polling handshake, and no sticky sessions needed later.
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      transports: ["websocket", "polling"],
      // A wall on a LAN should be back within seconds of the server, not after a 5 s backoff.
      reconnectionDelay: 500,
      reconnectionDelayMax: 2_000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      socket.timeout(10_000).emit(Event.hello, { protocolVersion: PROTOCOL_VERSION, domains: [...domains] }, (error, raw) => {
        if (error) return; // no reply: the socket reconnects and says hello again
        const reply = ZHelloReply.safeParse(raw);
        if (!reply.success) return this.setLink("reload");
        if (!reply.data.ok) {
          if (reply.data.reason === Rejection.protocolMismatch) this.setLink("reload");
          return;
        }
        this.store.addSnapshot(reply.data.snapshot);
        this.disconnectedAt = null;
        this.setLink("connected");
      });
    });
    socket.on("disconnect", () => {
      this.disconnectedAt ??= Date.now();
      this.setLink("reconnecting");
    });
    socket.on(Event.frame, (raw) => {
      const frame = ZFrame.safeParse(raw);
      if (!frame.success) return;
      this.store.add(frame.data.samples);
      this.notify();
    });
    this.now = Date.now();
    this.ticker = setInterval(() => {
      this.now = Date.now();
      this.store.trim(this.now);
      this.notify();
    }, 1000);
  }

  stop(): void {
    this.socket?.close();
    this.socket = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private setLink(link: LinkState): void {
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

/** The side server's URL: configured, or this page's own host at the realtime port. */
export function realtimeUrl(configured: string | null, realtimePort: number): string {
  if (configured) return configured;
  return `${window.location.protocol}//${window.location.hostname}:${realtimePort}`;
}
