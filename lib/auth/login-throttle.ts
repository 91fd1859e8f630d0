/**
 * Password checks, limited per user name and per client address. `admit` decides and
 * records in one synchronous step, before the password is hashed: a check admitted counts
 * as a wrong one until `succeeded` says otherwise, so a hundred tries sent at once are
 * judged one after the other against everything admitted before them, never all against
 * an empty record.
 *
 * - Per name: after FREE_FAILURES wrong (or still running) checks in a row, each further
 *   one waits since the last, doubling from 1 s to at most a minute, until a right one or a
 *   quarter of an hour of quiet. A guesser gets about one try a minute at a name, and no one
 *   can make an operator wait longer than a minute for their next try.
 * - Per name and per address: at most `perMinute` checks in any minute, right or wrong; a
 *   right password does not reset this (one known account must not buy guesses at others).
 * - Memory: each table holds at most `capacity` keys. Only an entry that no longer changes
 *   any answer is ever dropped; when every entry still matters, a new key is refused (told
 *   when the first one lapses) rather than an old one forgotten, so flooding the table with
 *   other names can never give a slowed name its free tries back.
 *
 * Pure: the caller passes the time.
 */
import { USER_NAME } from "./roles";

export const FREE_FAILURES = 5;
export const MAX_WAIT_MS = 60_000;
/** A name left alone this long starts afresh. */
export const FORGET_AFTER_MS = 15 * 60_000;
export const WINDOW_MS = 60_000;

export interface LoginLimits {
  /** Checks per name and per address in any minute. */
  perMinute: number;
  /** Names, and addresses, remembered at most. */
  capacity: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perMinute: 10, capacity: 10_000 };

interface Entry {
  /** Checks admitted since the last right one (names only). */
  streak: number;
  /** When the last check was admitted. */
  lastAt: number;
  /** When the checks of the last minute were admitted, oldest first. */
  recent: number[];
}

/** One table of keys (names, or addresses) and their checks. */
class Ledger {
  private readonly entries = new Map<string, Entry>();
  /** No entry lapses before this time: until then a full table has nothing it could drop. */
  private nothingLapsesBefore = 0;

  constructor(
    private readonly limits: LoginLimits,
    private readonly backoff: boolean,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** How long `key` must wait before its next check; 0 when it may have one now. */
  waitMs(key: string, now: number): number {
    const entry = this.live(key, now);
    if (!entry) return this.entries.has(key) || this.entries.size < this.limits.capacity ? 0 : this.makeRoom(now);
    const inWindow = entry.recent.filter((t) => now - t < WINDOW_MS);
    const windowWait = inWindow.length >= this.limits.perMinute ? inWindow[inWindow.length - this.limits.perMinute]! + WINDOW_MS - now : 0;
    const backoffWait = this.backoff && entry.streak >= FREE_FAILURES ? entry.lastAt + Math.min(MAX_WAIT_MS, 1_000 * 2 ** (entry.streak - FREE_FAILURES)) - now : 0;
    return Math.max(0, windowWait, backoffWait);
  }

  /** Records a check admitted now; the caller has just seen waitMs(key, now) === 0. */
  record(key: string, now: number): void {
    const entry = this.live(key, now);
    const recent = (entry?.recent ?? []).filter((t) => now - t < WINDOW_MS);
    recent.push(now);
    this.entries.delete(key);
    this.entries.set(key, { streak: (entry?.streak ?? 0) + 1, lastAt: now, recent: recent.slice(-this.limits.perMinute) });
  }

  succeeded(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.streak = 0;
    // Its lapse came closer: let the next full table look again.
    this.nothingLapsesBefore = 0;
  }

  /** When `entry` stops changing any answer: its last check leaves the window, and (names) its streak is forgotten. */
  private lapsesAt(entry: Entry): number {
    return entry.lastAt + (this.backoff && entry.streak > 0 ? FORGET_AFTER_MS : WINDOW_MS);
  }

  /** The entry of `key` while it still matters; a lapsed one answers exactly as no entry would. */
  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    return entry && now < this.lapsesAt(entry) ? entry : undefined;
  }

  /** Drops every lapsed entry; 0 when there is room now, else how long until the first live one lapses. */
  private makeRoom(now: number): number {
    if (now < this.nothingLapsesBefore) return this.nothingLapsesBefore - now;
    let first = Infinity;
    for (const [key, entry] of this.entries) {
      const at = this.lapsesAt(entry);
      if (now >= at) this.entries.delete(key);
      else first = Math.min(first, at);
    }
    this.nothingLapsesBefore = first;
    return this.entries.size < this.limits.capacity ? 0 : first - now;
  }
}

export class LoginThrottle {
  private readonly names: Ledger;
  private readonly addresses: Ledger;

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.names = new Ledger(limits, true);
    this.addresses = new Ledger(limits, false);
  }

  /**
   * Admits one password check of `name` from `address` (0, recorded as wrong until
   * `succeeded`), or answers how many milliseconds to wait (nothing recorded). A name no user
   * can have (USER_NAME) is not remembered: only its address pays.
   */
  admit(name: string, address: string, now: number): number {
    const named = USER_NAME.test(name);
    const wait = Math.max(this.addresses.waitMs(address, now), named ? this.names.waitMs(name, now) : 0);
    if (wait > 0) return wait;
    this.addresses.record(address, now);
    if (named) this.names.record(name, now);
    return 0;
  }

  /** The password was right: the name's streak ends (its checks of the last minute still count). */
  succeeded(name: string): void {
    this.names.succeeded(name);
  }

  get size(): { names: number; addresses: number } {
    return { names: this.names.size, addresses: this.addresses.size };
  }
}
