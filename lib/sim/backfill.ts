/**
 * Which past instants a fresh database gets from the simulator before the wall opens
 * (SIM_BACKFILL_HOURS), so no chart starts 90 % "no data". Every tick of the live window
 * (what the wall's trend charts draw at once), then coarser the further back, each tier as
 * fine as the chart ranges that read it draw without a gap (a 1 h chart buckets by 4 s, a
 * 6 h one by 22 s, a 24 h one by 87 s; lib/history/plan.ts), never finer than a tick.
 * Instants lie on the live simulator's grid (origin minus whole ticks), so none is computed
 * twice. Only the city and its districts are filled: the wall, its replay and its long
 * ranges; 3,000 roads, lots, institutions and nodes would cost a hundred times more.
 */

/** Source-clock ms back from the origin, and the spacing (before rounding up to whole ticks) within. */
export const BACKFILL_TIERS: readonly { untilMs: number; everyMs: number }[] = [
  { untilMs: 3_600_000, everyMs: 5_000 },
  { untilMs: 6 * 3_600_000, everyMs: 30_000 },
  { untilMs: Number.POSITIVE_INFINITY, everyMs: 60_000 },
];

export interface BackfillPlan {
  /** The live window's instants, oldest first: filled before the wall opens. */
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
  let back = tickMs;
  while (back <= spanMs) {
    if (back <= windowMs) {
      window.push(originMs - back);
      back += tickMs;
      continue;
    }
    older.push(originMs - back);
    const tier = BACKFILL_TIERS.find((t) => back < t.untilMs)!;
    back += Math.max(1, Math.round(tier.everyMs / tickMs)) * tickMs;
  }
  return { window: window.reverse(), older: older.reverse() };
}
