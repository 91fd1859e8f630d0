/**
 * Live walls, from their watchdogs' heartbeats: the server's registry and how it judges
 * a wall, and the page's own decision to reload. Pure: every caller passes the time.
 */
import type { TWallReport } from "./protocol";

export const HEARTBEAT_EVERY_MS = 10_000;
/** Three missed heartbeats. */
export const FROZEN_AFTER_MS = 3 * HEARTBEAT_EVERY_MS;
/** Three times the freshness limit of a 1 Hz panel: the whole feed, not one late series. */
export const STALE_DATA_AFTER_MS = 15_000;
export const HEAP_BUDGET_MB = 1_024;
export const MAX_WALLS = 1_000;
/** How many walls one client address may have listed at once (WALLS_PER_ADDRESS). */
export const WALLS_PER_ADDRESS = 20;
/** A wall gone this long is a closed tab, not an incident. */
export const FORGET_AFTER_MS = 10 * 60_000;

export type WallStatus = "ok" | "disconnected" | "frozen" | "not-rendering" | "stale-data" | "heap-high";

export interface WallEntry {
  wallId: string;
  heartbeat: TWallReport;
  at: number;
  socketId: string;
  /** The client address its socket came from (lib/client-address.ts clientKey): what the quota counts. */
  client: string;
  connected: boolean;
}

/** Worst first: a wall that cannot report hides whatever else is wrong with it. */
export function wallStatus(entry: WallEntry, now: number): WallStatus {
  const { heartbeat } = entry;
  if (!entry.connected) return "disconnected";
  if (now - entry.at > FROZEN_AFTER_MS) return "frozen";
  if (heartbeat.fps === 0) return "not-rendering";
  if (heartbeat.stalePanels > 0 || (heartbeat.lastFrameAgeMs !== null && heartbeat.lastFrameAgeMs > STALE_DATA_AFTER_MS)) return "stale-data";
  if (heartbeat.heapMB !== null && heartbeat.heapMB > HEAP_BUDGET_MB) return "heap-high";
  return "ok";
}

export interface WallRow {
  wallId: string;
  path: string;
  status: WallStatus;
  lastHeartbeatAgeSeconds: number;
  fps: number;
  heapMB: number | null;
  lastFrameAgeMs: number | null;
  stalePanels: number;
  viewport: TWallReport["viewport"];
  connected: boolean;
}

/** Why a socket's heartbeat was not listed. */
export type WallRefusal = "walls-per-address" | "registry-full";

export type WallAdmission = { ok: true; wallId: string } | { ok: false; reason: WallRefusal; message: string };

export interface WallReport {
  socketId: string;
  client: string;
  heartbeat: TWallReport;
  /** The wall this socket's page says it is, already proven (a resume token the server issued); null for a new page. */
  claim: string | null;
  /** A fresh server-chosen id, for a page that is none of the listed walls. */
  newId(): string;
  now: number;
}

/** Connected and reporting: a wall someone may be looking at. */
function live(entry: WallEntry, now: number): boolean {
  return entry.connected && now - entry.at <= FROZEN_AFTER_MS;
}

/**
 * The walls one side server hears from. A wall's id is the server's: a socket is bound to
 * the wall it first reported as, and its heartbeats update that wall and no other. A page
 * proves it is a wall seen before (a reload, a reconnect) with the resume token the server
 * gave it; the caller checks that token and passes the proven id as `claim`.
 *
 * Bounded twice: each client address may hold `perAddress` walls, and everyone together
 * `max`. Making room never pushes out a live wall (connected, reporting): an address at its
 * quota loses its own oldest silent or closed wall, a full registry the largest holder's;
 * when there is none, the newcomer is refused. So a flood from one address holds at most
 * `perAddress` rows and never displaces the walls of another.
 */
export class WallRegistry {
  /** In order of last heartbeat, oldest first: the first entry is the one to forget. */
  private readonly walls = new Map<string, WallEntry>();
  /** Which wall a socket speaks for, so its disconnect shows at once and its heartbeats touch nothing else. */
  private readonly bySocket = new Map<string, string>();
  /** Sockets whose wall another socket took over with its token (a duplicated tab): their next report is a new wall. */
  private readonly displaced = new Set<string>();
  private readonly perClient = new Map<string, number>();
  /** Reports refused since start (quota or a full registry): a flood shows here. */
  private refusedCount = 0;

  constructor(
    private readonly max = MAX_WALLS,
    private readonly perAddress = WALLS_PER_ADDRESS,
  ) {}

  report({ socketId, client, heartbeat, claim, newId, now }: WallReport): WallAdmission {
    this.forget(now);
    const bound = this.bySocket.get(socketId);
    const own = bound === undefined ? undefined : this.walls.get(bound);
    if (own?.socketId === socketId) {
      this.put({ ...own, heartbeat, at: now, connected: true });
      return { ok: true, wallId: own.wallId };
    }
    // A socket whose wall another took over is another tab now: it gets a wall of its own.
    const claimed = this.displaced.delete(socketId) ? null : claim;
    const known = claimed === null ? undefined : this.walls.get(claimed);
    if (known?.client !== client) {
      const refusal = this.makeRoom(client, now, known === undefined);
      if (refusal) {
        this.refusedCount++;
        return refusal;
      }
    }
    const wallId = claimed ?? newId();
    if (known && known.socketId !== socketId && this.bySocket.get(known.socketId) === wallId) {
      this.bySocket.delete(known.socketId);
      if (known.connected) this.displaced.add(known.socketId);
    }
    if (known) this.count(known.client, -1);
    this.count(client, +1);
    this.bySocket.set(socketId, wallId);
    this.put({ wallId, heartbeat, at: now, socketId, client, connected: true });
    return { ok: true, wallId };
  }

  disconnect(socketId: string): void {
    this.displaced.delete(socketId);
    const wallId = this.bySocket.get(socketId);
    this.bySocket.delete(socketId);
    const entry = wallId === undefined ? undefined : this.walls.get(wallId);
    // A reloaded page may already report over its new socket.
    if (entry?.socketId === socketId) entry.connected = false;
  }

  /** Newest heartbeat first. */
  list(now: number): WallRow[] {
    this.forget(now);
    return [...this.walls.values()].reverse().map((entry) => {
      const { path, fps, heapMB, lastFrameAgeMs, stalePanels, viewport } = entry.heartbeat;
      const lastHeartbeatAgeSeconds = Math.round((now - entry.at) / 1000);
      return { wallId: entry.wallId, path, status: wallStatus(entry, now), lastHeartbeatAgeSeconds, fps, heapMB, lastFrameAgeMs, stalePanels, viewport, connected: entry.connected };
    });
  }

  summary(now: number): { total: number; ok: number; attention: number; refused: number } {
    const rows = this.list(now);
    const ok = rows.filter((row) => row.status === "ok").length;
    return { total: rows.length, ok, attention: rows.length - ok, refused: this.refusedCount };
  }

  get size(): number {
    return this.walls.size;
  }

  /** Walls listed for one client address. */
  heldBy(client: string): number {
    return this.perClient.get(client) ?? 0;
  }

  /** Sets the entry as the newest. */
  private put(entry: WallEntry): void {
    this.walls.delete(entry.wallId);
    this.walls.set(entry.wallId, entry);
  }

  /** Frees a place for one more wall of `client` (`grows`: a new row, not one moving from another address), or says why not. */
  private makeRoom(client: string, now: number, grows: boolean): WallAdmission | null {
    if (this.heldBy(client) >= this.perAddress) {
      const victim = this.oldestSilent((entry) => entry.client === client, now);
      if (!victim) return { ok: false, reason: "walls-per-address", message: `walls: this address has ${this.perAddress} live walls listed already (WALLS_PER_ADDRESS)` };
      this.evict(victim);
    }
    if (grows && this.walls.size >= this.max) {
      const largest = [...this.perClient].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      const victim = this.oldestSilent((entry) => entry.client === largest, now) ?? this.oldestSilent(() => true, now);
      if (!victim) return { ok: false, reason: "registry-full", message: `walls: ${this.max} live walls are listed already` };
      this.evict(victim);
    }
    return null;
  }

  private oldestSilent(which: (entry: WallEntry) => boolean, now: number): WallEntry | undefined {
    for (const entry of this.walls.values()) if (which(entry) && !live(entry, now)) return entry;
    return undefined;
  }

  private evict(entry: WallEntry): void {
    this.walls.delete(entry.wallId);
    this.count(entry.client, -1);
    // Its socket, if still open, reports as a wall anew next time (and must find room again).
    if (this.bySocket.get(entry.socketId) === entry.wallId) this.bySocket.delete(entry.socketId);
  }

  private count(client: string, delta: number): void {
    const held = this.heldBy(client) + delta;
    if (held > 0) this.perClient.set(client, held);
    else this.perClient.delete(client);
  }

  private forget(now: number): void {
    for (const entry of this.walls.values()) {
      if (now - entry.at <= FORGET_AFTER_MS) break;
      this.evict(entry);
    }
  }
}

/**
 * The walls of a cluster from each side server's list: a wall that moved (its instance died,
 * or it reconnected elsewhere) is on several, and the row of its newest heartbeat stands,
 * a connected one when two are as new. Newest first, at most MAX_WALLS.
 */
export function mergeWallRows(lists: readonly (readonly WallRow[])[]): WallRow[] {
  const newest = new Map<string, WallRow>();
  const fresher = (a: WallRow, b: WallRow) => a.lastHeartbeatAgeSeconds < b.lastHeartbeatAgeSeconds || (a.lastHeartbeatAgeSeconds === b.lastHeartbeatAgeSeconds && a.connected && !b.connected);
  for (const row of lists.flat()) {
    const known = newest.get(row.wallId);
    if (!known || fresher(row, known)) newest.set(row.wallId, row);
  }
  return [...newest.values()].sort((a, b) => a.lastHeartbeatAgeSeconds - b.lastHeartbeatAgeSeconds).slice(0, MAX_WALLS);
}

/**
 * When a page may reload itself. Only alerts are missing: when the alert system lands,
 * it reports whether a critical alert is open here, and no reload hides one from the room.
 */
export interface Quiet {
  replaying: boolean;
  criticalAlertOpen: boolean;
}

export function isQuiet(q: Quiet): boolean {
  return !q.replaying && !q.criticalAlertOpen;
}

export const ZERO_FPS_BEATS = 3;
/** A heap over budget this soon after loading is the page's size, not a leak: reloading would loop. */
export const MIN_UPTIME_FOR_HEAP_RELOAD_MS = 10 * 60_000;

export type ReloadReason = "not-rendering" | "heap-over-budget";

export interface ReloadInput {
  /** Frames per second per heartbeat, newest last; null for an interval the page was hidden in (rAF is throttled then). */
  fpsHistory: readonly (number | null)[];
  heapMB: number | null;
  budgetMB?: number;
  uptimeMs: number;
  quiet: boolean;
}

export function shouldReload({ fpsHistory, heapMB, budgetMB = HEAP_BUDGET_MB, uptimeMs, quiet }: ReloadInput): ReloadReason | null {
  if (!quiet) return null;
  const recent = fpsHistory.slice(-ZERO_FPS_BEATS);
  if (recent.length === ZERO_FPS_BEATS && recent.every((fps) => fps === 0)) return "not-rendering";
  if (heapMB !== null && heapMB > budgetMB && uptimeMs >= MIN_UPTIME_FOR_HEAP_RELOAD_MS) return "heap-over-budget";
  return null;
}
