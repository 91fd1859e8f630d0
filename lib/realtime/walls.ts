/**
 * Live walls, from their watchdogs' heartbeats: the server's registry and how it judges
 * a wall, and the page's own decision to reload. Pure: every caller passes the time.
 */
import type { THeartbeat } from "./protocol";

export const HEARTBEAT_EVERY_MS = 10_000;
/** Three missed heartbeats. */
export const FROZEN_AFTER_MS = 3 * HEARTBEAT_EVERY_MS;
/** Three times the freshness limit of a 1 Hz panel: the whole feed, not one late series. */
export const STALE_DATA_AFTER_MS = 15_000;
export const HEAP_BUDGET_MB = 1_024;
export const MAX_WALLS = 1_000;
/** A wall gone this long is a closed tab, not an incident. */
export const FORGET_AFTER_MS = 10 * 60_000;

export type WallStatus = "ok" | "disconnected" | "frozen" | "not-rendering" | "stale-data" | "heap-high";

export interface WallEntry {
  heartbeat: THeartbeat;
  at: number;
  socketId: string;
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
  viewport: THeartbeat["viewport"];
  connected: boolean;
}

export class WallRegistry {
  /** In order of last heartbeat, oldest first: the first entry is the one to evict or forget. */
  private readonly walls = new Map<string, WallEntry>();
  /** Which wall a socket speaks for, so its disconnect shows at once. */
  private readonly bySocket = new Map<string, string>();

  constructor(private readonly max = MAX_WALLS) {}

  /** False when ignored: a socket speaks for the one wall it first named, so it cannot churn the registry. */
  record(heartbeat: THeartbeat, socketId: string, now: number): boolean {
    const bound = this.bySocket.get(socketId);
    if (bound !== undefined && bound !== heartbeat.wallId) return false;
    this.bySocket.set(socketId, heartbeat.wallId);
    this.walls.delete(heartbeat.wallId);
    this.walls.set(heartbeat.wallId, { heartbeat, at: now, socketId, connected: true });
    this.forget(now);
    return true;
  }

  disconnect(socketId: string): void {
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
      const { wallId, path, fps, heapMB, lastFrameAgeMs, stalePanels, viewport } = entry.heartbeat;
      const lastHeartbeatAgeSeconds = Math.round((now - entry.at) / 1000);
      return { wallId, path, status: wallStatus(entry, now), lastHeartbeatAgeSeconds, fps, heapMB, lastFrameAgeMs, stalePanels, viewport, connected: entry.connected };
    });
  }

  summary(now: number): { total: number; ok: number; attention: number } {
    const rows = this.list(now);
    const ok = rows.filter((row) => row.status === "ok").length;
    return { total: rows.length, ok, attention: rows.length - ok };
  }

  get size(): number {
    return this.walls.size;
  }

  private forget(now: number): void {
    for (const [wallId, entry] of this.walls) {
      if (this.walls.size <= this.max && now - entry.at <= FORGET_AFTER_MS) break;
      this.walls.delete(wallId);
      if (this.bySocket.get(entry.socketId) === wallId) this.bySocket.delete(entry.socketId);
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
