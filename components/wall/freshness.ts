import type { Domain } from "@/lib/catalog";
import type { LiveClient } from "../realtime/live-client";
import type { Freshness } from "./Panel";

/** A panel expecting 1 Hz data is stale once its newest sample is this old (real time). */
export const STALE_AFTER_MS = 5_000;

export function freshnessOf(live: LiveClient, domain?: Domain): Freshness {
  const newestTs = live.store.newestTs(domain);
  return { newestTs, ageMs: newestTs === undefined ? null : live.ageMs(newestTs), mounted: live.now !== null };
}
