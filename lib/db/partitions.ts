/**
 * PostgreSQL only: MetricSample is partitioned by UTC day (prisma/postgres/migrations/
 * …_daily_partitions). A day's partition is created the first time a sample of that day is
 * written (simulated time can be any date, so no fixed schedule would do), and raw
 * retention drops whole days. The names and bounds are pure functions; the statements run
 * through whatever connection the caller has (Prisma or a pg client).
 */

const DAY_MS = 86_400_000;
const PREFIX = "MetricSample_p";

export const dayStart = (ts: number): number => Math.floor(ts / DAY_MS) * DAY_MS;

/** MetricSample_p20261125 for the UTC day starting at `day`. */
export function partitionName(day: number): string {
  return `${PREFIX}${new Date(day).toISOString().slice(0, 10).replace(/-/g, "")}`;
}

/** The day a partition name stands for, or null for a name this module did not make. */
export function dayOfPartition(name: string): number | null {
  const match = /^MetricSample_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

const literal = (ms: number) => `'${new Date(ms).toISOString().replace("T", " ").replace("Z", "")}'`;

export function createPartitionSql(day: number): string {
  return `CREATE TABLE IF NOT EXISTS "${partitionName(day)}" PARTITION OF "MetricSample" FOR VALUES FROM (${literal(day)}) TO (${literal(day + DAY_MS)})`;
}

/** The distinct UTC days of `rows`, oldest first. */
export function daysOf(rows: readonly { ts: number }[]): number[] {
  return [...new Set(rows.map((r) => dayStart(r.ts)))].sort((a, b) => a - b);
}

/** The partitions (by name) holding only rows older than `cutoff`, i.e. whose day ends at or before it. */
export function expiredPartitions(names: readonly string[], cutoff: number): string[] {
  return names.filter((name) => {
    const day = dayOfPartition(name);
    return day !== null && day + DAY_MS <= cutoff;
  });
}

export const LIST_PARTITIONS_SQL = `SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"MetricSample"'::regclass`;

/** SQLSTATEs of a partition created meanwhile by another session (duplicate table or type name). */
const ALREADY_CREATED = new Set(["42P07", "23505"]);
/** "no partition of relation … found for row": the partition went (retention) after it was cached. */
const NO_PARTITION = "23514";

type Wrapped = { code?: unknown; originalCode?: unknown };
/** Prisma's own error codes (P1000–P6999) look like SQLSTATEs; PL/pgSQL's are P0xxx. */
const PRISMA_CODE = /^P[1-9]\d{3}$/;

/** The SQLSTATE of a PostgreSQL error: from pg itself, or wrapped by Prisma's adapter (meta.driverAdapterError.cause). */
export function sqlState(error: unknown): string | undefined {
  const e = error as (Wrapped & { syscall?: unknown; errno?: unknown; cause?: Wrapped; meta?: Wrapped & { driverAdapterError?: { cause?: Wrapped } } }) | null;
  const adapter = e?.meta?.driverAdapterError?.cause;
  // A Node system error (EPIPE, EPERM: five letters too) is the network, not the server.
  const own = e?.syscall === undefined && e?.errno === undefined ? e?.code : undefined;
  for (const code of [adapter?.originalCode, adapter?.code, e?.cause?.originalCode, e?.cause?.code, e?.meta?.code, own]) {
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !PRISMA_CODE.test(code)) return code;
  }
  return undefined;
}

export const isMissingPartition = (error: unknown): boolean =>
  sqlState(error) === NO_PARTITION || /no partition of relation/i.test(error instanceof Error ? error.message : String(error));

/**
 * Makes sure the partitions of `days` exist. `known` caches what this connection has seen
 * (one CREATE … IF NOT EXISTS per new day, not per batch); `exec` runs one statement outside
 * any transaction, so the parent table's lock is held only for that statement.
 */
export async function ensurePartitions(exec: (sql: string) => Promise<unknown>, known: Set<number>, days: readonly number[]): Promise<void> {
  for (const day of days) {
    if (known.has(day)) continue;
    try {
      await exec(createPartitionSql(day));
    } catch (error) {
      if (!ALREADY_CREATED.has(sqlState(error) ?? "")) throw error;
    }
    known.add(day);
  }
}
