/**
 * The few places where raw SQL differs between SQLite and PostgreSQL, so each query is
 * written once: placeholders, and time. DateTime columns are epoch-millisecond integers on
 * SQLite (timestampFormat unixepoch-ms) and Prisma's TIMESTAMP(3), in UTC, on PostgreSQL;
 * every raw query speaks epoch milliseconds and converts at the column. Pure: no I/O.
 */
import type { Provider } from "../config";

export interface Dialect {
  provider: Provider;
  /** The statement with its `?` placeholders as the driver wants them: kept (SQLite) or $1…$n (PostgreSQL). */
  sql(text: string): string;
  /** An epoch-milliseconds expression (a `?`, a literal) as a value of a DateTime column. */
  time(ms: string): string;
  /** A DateTime column (or aggregate of one) as epoch milliseconds, an integer. */
  ms(column: string): string;
  /** Which whole `width` after `origin` an epoch-milliseconds expression falls in (all three non-negative integers). */
  bucket(ms: string, origin: string, width: string): string;
}

export const sqlite: Dialect = {
  provider: "sqlite",
  sql: (text) => text,
  time: (ms) => ms,
  ms: (column) => column,
  bucket: (ms, origin, width) => `CAST((${ms} - ${origin}) / ${width} AS INTEGER)`,
};

export const postgres: Dialect = {
  provider: "postgresql",
  // None of OneScreen's statements has a `?` inside a literal or an identifier.
  sql: (text) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  },
  // Parameters arrive untyped (as text): the casts say what they are. Exact to the millisecond:
  // the float has 15+ significant digits and to_timestamp rounds to microseconds.
  time: (ms) => `(to_timestamp((${ms})::float8 / 1000) AT TIME ZONE 'UTC')`,
  // date_part is float8 where EXTRACT is numeric: twice as fast over a day of one series (86,400
  // rows), and still exact once rounded, the error being under a microsecond.
  ms: (column) => `round(date_part('epoch', ${column}) * 1000)::bigint`,
  // bigint / bigint truncates, as SQLite's integer division does.
  bucket: (ms, origin, width) => `((${ms} - (${origin})::bigint) / (${width})::bigint)`,
};

export const dialects: Record<Provider, Dialect> = { sqlite, postgresql: postgres };

// Which dialect a client speaks. A WeakMap rather than a property on the client: Prisma's
// client is a proxy, and callers keep one `Database` type whichever provider opened it. Kept on
// globalThis like the web's one client (lib/db/web.ts): Next bundles pages and route handlers
// apart, each with its own copy of this module, and a client a page opened is a route's too.
const globalForDialects = globalThis as unknown as { onescreenDialects?: WeakMap<object, Dialect> };
const registry = (globalForDialects.onescreenDialects ??= new WeakMap<object, Dialect>());

export function registerDialect(db: object, provider: Provider): void {
  registry.set(db, dialects[provider]);
}

/** The dialect of a client opened by openDatabase. */
export function dialectOf(db: object): Dialect {
  const dialect = registry.get(db);
  if (!dialect) throw new Error("dialectOf: this client was not opened by openDatabase (lib/db/client.ts)");
  return dialect;
}
