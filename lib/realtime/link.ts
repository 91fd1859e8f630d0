/**
 * What the header's link indicator says: the state of the data, not only of the socket. A
 * socket can stay open while nothing arrives (a frozen side server keeps its TCP connections
 * until the ping times out, 45 s later): "connected" then would be a lie.
 */

/** The socket as the live client knows it. */
export type SocketState = "connecting" | "connected" | "reconnecting" | "reload";

/** connected: frames arrive; silent: connected, no frame for longer than expected; offline: reconnecting for over 10 s. */
export type LinkStatus = "connected" | "silent" | "connecting" | "reconnecting" | "offline" | "reload";

/** Connected without a frame for this long (at least) reads "silent". */
export const SILENT_AFTER_MS = 3_000;
/** Reconnecting for this long reads "offline". */
export const OFFLINE_AFTER_MS = 10_000;

export interface LinkInputs {
  socket: SocketState;
  /** Real ms: now, the last frame, when the hello was answered, when the connection was lost. */
  now: number;
  lastFrameAt: number | null;
  connectedAt: number | null;
  disconnectedAt: number | null;
  /** Real ms between two frames of this page's subscription (one tick, or one entity's report interval). */
  frameIntervalMs: number;
}

/** How long without a frame means silent: three seconds, or two missed frames of a page whose frames are rarer. */
export function silentAfterMs(frameIntervalMs: number): number {
  return Math.max(SILENT_AFTER_MS, 2 * frameIntervalMs + 1_000);
}

export function linkStatus(l: LinkInputs): LinkStatus {
  if (l.socket === "reconnecting") return l.disconnectedAt !== null && l.now - l.disconnectedAt > OFFLINE_AFTER_MS ? "offline" : "reconnecting";
  if (l.socket !== "connected") return l.socket;
  const since = Math.max(l.lastFrameAt ?? Number.NEGATIVE_INFINITY, l.connectedAt ?? Number.NEGATIVE_INFINITY);
  return l.now - since > silentAfterMs(l.frameIntervalMs) ? "silent" : "connected";
}
