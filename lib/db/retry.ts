/**
 * When a failed PostgreSQL write is worth retrying, and how long to wait: pure rules, so
 * the writer's loop (server/postgres-sample-writer.ts) stays I/O only.
 */
import { sqlState } from "./partitions";

/**
 * SQLSTATEs that say "the server, not the statement": connection exceptions (class 08),
 * shutdown or start-up in progress (57P01–57P03), too many connections or out of
 * resources (class 53), a serialization failure or deadlock (40001, 40P01). Not 08P01, a
 * protocol violation: that is a bug in the statement sent, and would recur.
 */
const TRANSIENT = [/^08(?!P01)/, /^57P0[123]$/, /^53/, /^40001$/, /^40P01$/];

/**
 * True when the write may succeed if tried again unchanged. An error the server reports
 * with any other SQLSTATE is about the statement or its data and would fail forever; an
 * error without one (refused, reset, timed out, "Connection terminated") is the network or
 * a server going away, which a restart ends.
 */
export function isTransientPostgresError(error: unknown): boolean {
  // Our own bug, not the network's.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) return false;
  const state = sqlState(error);
  return state === undefined || TRANSIENT.some((pattern) => pattern.test(state));
}

/**
 * SQLite result codes (better-sqlite3's `code`) that say "the statement": a bug in the SQL
 * (SQLITE_ERROR), a constraint or type the data breaks, a value too big. Anything else (busy,
 * locked, read-only, I/O error, disk full, cannot open, a writer thread that died) is the
 * file or its disk, which an operator or the other process fixes: worth retrying.
 */
const SQLITE_STATEMENT_ERRORS = /^SQLITE_(ERROR|CONSTRAINT|MISMATCH|RANGE|TOOBIG|AUTH)(_|$)/;

export function isTransientSqliteError(code: string | undefined): boolean {
  return code === undefined || !SQLITE_STATEMENT_ERRORS.test(code);
}

/** Busy or locked: another connection holds the database; this connection is fine as it is. */
export const isSqliteLockError = (code: string | undefined): boolean => code !== undefined && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 100, maxMs: 5_000 };

/** The wait before retry number `attempt` (1, 2, …): doubling from firstMs, capped at maxMs. */
export function backoffMs(attempt: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}
