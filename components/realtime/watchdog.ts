/**
 * The page's watchdog: counts animation frames, reports a heartbeat through the live
 * client's socket every HEARTBEAT_EVERY_MS, and reloads the page when it stopped rendering
 * or outgrew its heap budget, at a quiet moment. The URL holds the page's state (replay
 * window, range, drill-down), so a reload keeps it.
 */
import { useEffect } from "react";
import type { TWallReport } from "@/lib/realtime/protocol";
import { HEARTBEAT_EVERY_MS, ZERO_FPS_BEATS, isQuiet, shouldReload } from "@/lib/realtime/walls";
import { useStaleCounter } from "../wall/stale-panels";
import type { LiveClient } from "./live-client";

/** The resume token of this tab's wall (`<wallId>.<proof>`, given by the side server). */
export const WALL_KEY = "onescreen.wall";
const MAX_PATH = 300;
const MAX_FRAME_AGE_MS = 365 * 24 * 3_600_000;
const SAMPLE_MS = 1_000;

export interface WatchdogOptions {
  client: LiveClient;
  stalePanels(): number;
  budgetMB?: number;
  reload?(): void;
}

/** Starts counting and reporting; returns the stop. */
export function startWatchdog({ client, stalePanels, budgetMB, reload = () => location.reload() }: WatchdogOptions): () => void {
  client.wallResume = keptResume();
  client.onWallResume = keepResume;
  const loadedAt = performance.now();
  // Frames are counted for one second per heartbeat, not all the time: a rAF loop that never
  // stops would wake the page 60 times a second for nothing but this count.
  let fps: number | null = null;
  let raf = 0;
  const sampleFps = () => {
    const start = performance.now();
    let frames = 0;
    raf = requestAnimationFrame(function count(at) {
      if (at - start < SAMPLE_MS) {
        frames++;
        raf = requestAnimationFrame(count);
      }
    });
    // Read by a timer, so a page that renders nothing still reports its 0.
    sampleTimer = setTimeout(() => {
      cancelAnimationFrame(raf);
      fps = Math.round((frames / Math.max(1, performance.now() - start)) * 10_000) / 10;
    }, SAMPLE_MS + 50);
  };
  let sampleTimer = setTimeout(sampleFps, HEARTBEAT_EVERY_MS - SAMPLE_MS - 500);
  // Browsers throttle or pause rAF in a hidden tab: such an interval says nothing about rendering.
  let hiddenInInterval = document.visibilityState !== "visible";
  const onVisibility = () => {
    if (document.visibilityState !== "visible") hiddenInInterval = true;
  };
  document.addEventListener("visibilitychange", onVisibility);
  const fpsHistory: (number | null)[] = [];

  const beat = () => {
    const now = performance.now();
    fpsHistory.push(hiddenInInterval || fps === null ? null : fps);
    if (fpsHistory.length > ZERO_FPS_BEATS) fpsHistory.shift();
    hiddenInInterval = document.visibilityState !== "visible";
    const heartbeat: TWallReport = {
      path: (location.pathname + location.search).slice(0, MAX_PATH),
      fps: Math.min(fps ?? 0, 1_000),
      heapMB: heapMB(),
      lastFrameAgeMs: client.lastFrameAt === null ? null : Math.min(MAX_FRAME_AGE_MS, Math.max(0, Date.now() - client.lastFrameAt)),
      stalePanels: Math.min(stalePanels(), 1_000),
      viewport: { width: window.innerWidth, height: window.innerHeight, dpr: Math.min(window.devicePixelRatio || 1, 16) },
    };
    client.sendHeartbeat(heartbeat);
    // No alert system yet: when one lands, an open critical alert goes here and holds the reload.
    const quiet = isQuiet({ replaying: client.replay !== null, criticalAlertOpen: false });
    if (shouldReload({ fpsHistory, heapMB: heartbeat.heapMB, budgetMB, uptimeMs: now - loadedAt, quiet })) {
      stop();
      reload();
    }
  };
  const timer = setInterval(() => {
    beat();
    fps = null;
    sampleTimer = setTimeout(sampleFps, HEARTBEAT_EVERY_MS - SAMPLE_MS - 500);
  }, HEARTBEAT_EVERY_MS);

  function stop(): void {
    clearInterval(timer);
    clearTimeout(sampleTimer);
    cancelAnimationFrame(raf);
    document.removeEventListener("visibilitychange", onVisibility);
    client.onWallResume = null;
  }
  return stop;
}

/** Mounted once per LiveProvider, inside the stale-panel count it reports. */
export function Watchdog({ client }: { client: LiveClient }): null {
  const stalePanels = useStaleCounter();
  useEffect(() => startWatchdog({ client, stalePanels }), [client, stalePanels]);
  return null;
}

/** Kept in sessionStorage: a reload is the same wall in /walls, a second tab another. */
function keptResume(): string | null {
  try {
    return sessionStorage.getItem(WALL_KEY);
  } catch {
    // Storage refused (a sandboxed frame, strict privacy settings): this load is its own wall.
    return null;
  }
}

function keepResume(resume: string): void {
  try {
    sessionStorage.setItem(WALL_KEY, resume);
  } catch {
    // As above: the token lives as long as this page.
  }
}

/** Chromium only (performance.memory); null elsewhere. */
function heapMB(): number | null {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? Math.round((memory.usedJSHeapSize / 2 ** 20) * 10) / 10 : null;
}
