/** A panel expecting 1 Hz data is stale once its newest sample is this old. */
export const STALE_AFTER_MS = 5_000;

export function isStale(newestTs: number | undefined, now: number): boolean {
  return newestTs === undefined || now - newestTs > STALE_AFTER_MS;
}
