/**
 * The side server's "now": the system's time when it started, advanced by the monotonic
 * clock. NTP, a VM resuming or an operator may step the system clock while the server runs
 * (back by minutes, sometimes); were the source clock to follow, the simulator would
 * regenerate instants it has stored (duplicates, so nothing new on the wall for as long as
 * the step), samples would land behind the walls' newest and every chart would stand still.
 * Kept steady, the wall goes on moving at one second a second, and /healthz says how far the
 * system clock has moved away since, so an operator can restart to follow it.
 */
export interface SteadyClock {
  now(): number;
  /** System time minus steady time: how far the system clock has been stepped since start. */
  systemOffsetMs(): number;
}

export function steadyClock(systemNow: () => number, monotonicNow: () => number = () => performance.now()): SteadyClock {
  const system0 = systemNow();
  const monotonic0 = monotonicNow();
  // Whole milliseconds, as every timestamp stored or sent is (a fraction would not survive the database).
  const now = () => system0 + Math.floor(monotonicNow() - monotonic0);
  return { now, systemOffsetMs: () => systemNow() - now() };
}
