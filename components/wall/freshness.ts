import type { Domain } from "@/lib/catalog";
import type { LiveClient } from "../realtime/live-client";
import type { Freshness } from "./Panel";

/** A panel expecting 1 Hz data is stale once its newest sample is this old (real time). */
export const STALE_AFTER_MS = 5_000;

export function freshnessOf(live: LiveClient, domain?: Domain, staleAfterMs = STALE_AFTER_MS): Freshness {
  const newestTs = live.store.newestTs(domain);
  // A replay is late only when two reports of the recording are missing, however far apart it was recorded.
  const recordedMs = live.replay ? (2 * live.replay.recordedIntervalMs(domain)) / live.clock.speed + 2_000 : 0;
  return { newestTs, ageMs: newestTs === undefined ? null : live.ageMs(newestTs), mounted: live.now !== null, staleAfterMs: Math.max(staleAfterMs, recordedMs) };
}

/** A single road, lot, institution or node reports less often: stale after two missed reports. */
export function entityStaleAfterMs(live: LiveClient): number {
  return Math.max(STALE_AFTER_MS, (2 * live.entityIntervalMs) / live.clock.speed + 2_000);
}
