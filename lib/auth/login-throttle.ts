/**
 * Sign-in attempts per user name. After FREE_FAILURES wrong passwords in a row, each further
 * attempt waits since the last failure, doubling from 1 s to at most a minute, until a right
 * one. A password guesser gets about one try a minute, and no one can lock an operator out for
 * longer than that. By name, not address: behind nginx every browser may share one address.
 * Pure: the caller passes the time.
 */
export const FREE_FAILURES = 5;
export const MAX_WAIT_MS = 60_000;
/** A name left alone this long starts afresh. */
export const FORGET_AFTER_MS = 15 * 60_000;

interface Failures {
  count: number;
  last: number;
}

export class LoginThrottle {
  /** Oldest failure first, so the first entry is the one to forget. */
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly maxNames = 10_000) {}

  /** How long `name` must wait before it may try again; 0 when it may now. */
  waitMs(name: string, now: number): number {
    const failures = this.current(name, now);
    if (!failures || failures.count < FREE_FAILURES) return 0;
    const wait = Math.min(MAX_WAIT_MS, 1_000 * 2 ** (failures.count - FREE_FAILURES));
    return Math.max(0, failures.last + wait - now);
  }

  failed(name: string, now: number): void {
    const count = (this.current(name, now)?.count ?? 0) + 1;
    this.failures.delete(name);
    this.failures.set(name, { count, last: now });
    for (const [oldest] of this.failures) {
      if (this.failures.size <= this.maxNames) break;
      this.failures.delete(oldest);
    }
  }

  succeeded(name: string): void {
    this.failures.delete(name);
  }

  get size(): number {
    return this.failures.size;
  }

  private current(name: string, now: number): Failures | undefined {
    const failures = this.failures.get(name);
    if (failures && now - failures.last > FORGET_AFTER_MS) {
      this.failures.delete(name);
      return undefined;
    }
    return failures;
  }
}
