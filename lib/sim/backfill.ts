/**
 * Which past instants a fresh database gets from the simulator before the wall opens
 * (SIM_BACKFILL_HOURS), so no chart starts 90 % "no data". Every tick of the last two
 * minutes, then coarser the further back, each tier as fine as the chart ranges that read it
 * draw without a gap (a chart breaks its line after five of the series' own report intervals,
 * and buckets a 1 h range by 4 s, 6 h by 22 s, 24 h by 87 s; lib/history), never finer than a
 * tick. The live window's instants are filled before the wall opens, the rest after.
 * Instants lie on the live simulator's grid (origin minus whole ticks), so none is computed
 * twice. Only the city and its districts are filled: the wall, its replay and its long
 * ranges; 3,000 roads, lots, institutions and nodes would cost a hundred times more.
 */

/** Source-clock ms back from the origin, and the spacing (before rounding up to whole ticks) within. */
export const BACKFILL_TIERS: readonly { untilMs: number; everyMs: number }[] = [
  { untilMs: 120_000, everyMs: 1 },
  { untilMs: 3_600_000, everyMs: 5_000 },
  { untilMs: 6 * 3_600_000, everyMs: 30_000 },
  { untilMs: Number.POSITIVE_INFINITY, everyMs: 60_000 },
];

export interface BackfillPlan {
  /** The live window's instants, oldest first: filled before the wall opens (276 at ×1 instead of 900 ticks). */
  window: number[];
  /** The rest back to `hours`, oldest first: filled in the background. */
  older: number[];
}

/**
 * @param originMs the simulator's first instant (source clock); the plan ends one tick before it.
 * @param tickMs source-clock ms per tick (1 s × SIM_SPEED).
 * @param windowMs the live window (SNAPSHOT_MINUTES of real time, in source-clock ms).
 */
export function backfillPlan(originMs: number, hours: number, tickMs: number, windowMs: number): BackfillPlan {
  const spanMs = hours * 3_600_000;
  const window: number[] = [];
  const older: number[] = [];
  for (let back = tickMs; back <= spanMs; ) {
    (back <= windowMs ? window : older).push(originMs - back);
    const tier = BACKFILL_TIERS.find((t) => back < t.untilMs)!;
    back += Math.max(1, Math.round(tier.everyMs / tickMs)) * tickMs;
  }
  return { window: window.reverse(), older: older.reverse() };
}
