/** The pure parts of the two-database layer: dialect, day partitions, retry rules. */
import { describe, expect, it } from "vitest";
import { postgres, sqlite } from "./dialect";
import { createPartitionSql, dayOfPartition, daysOf, expiredPartitions, partitionName, sqlState } from "./partitions";
import { backoffMs, isTransientPostgresError } from "./retry";

const DAY = 86_400_000;
const NOV25 = Date.UTC(2026, 10, 25);

describe("dialect", () => {
  it("SQLite keeps ? and epoch milliseconds as they are", () => {
    expect(sqlite.sql(`SELECT 1 WHERE "ts" >= ${sqlite.time("?")} LIMIT ?`)).toBe(`SELECT 1 WHERE "ts" >= ? LIMIT ?`);
    expect(sqlite.ms('"ts"')).toBe('"ts"');
    expect(sqlite.bucket('"ts"', "?", "?")).toBe('CAST(("ts" - ?) / ? AS INTEGER)');
  });

  it("PostgreSQL numbers the placeholders in order and converts time at the parameter, not the column", () => {
    expect(postgres.sql(`"a" = ? AND "ts" >= ${postgres.time("?")} LIMIT ?`)).toBe(`"a" = $1 AND "ts" >= (to_timestamp(($2)::float8 / 1000) AT TIME ZONE 'UTC') LIMIT $3`);
    expect(postgres.ms('MAX("ts")')).toBe(`round(date_part('epoch', MAX("ts")) * 1000)::bigint`);
  });
});

describe("day partitions", () => {
  it("names a UTC day and reads the day back; other names are not ours", () => {
    expect(partitionName(NOV25)).toBe("MetricSample_p20261125");
    expect(dayOfPartition("MetricSample_p20261125")).toBe(NOV25);
    expect(dayOfPartition("MetricSample_pkey")).toBeNull();
    expect(createPartitionSql(NOV25)).toBe(
      `CREATE TABLE IF NOT EXISTS "MetricSample_p20261125" PARTITION OF "MetricSample" FOR VALUES FROM ('2026-11-25 00:00:00.000') TO ('2026-11-26 00:00:00.000')`,
    );
  });

  it("finds the days of a batch, and the partitions wholly before a cutoff", () => {
    expect(daysOf([{ ts: NOV25 + DAY - 1 }, { ts: NOV25 }, { ts: NOV25 + DAY }])).toEqual([NOV25, NOV25 + DAY]);
    const names = ["MetricSample_p20261124", "MetricSample_p20261125", "MetricSample_p20261126", "other"];
    expect(expiredPartitions(names, NOV25 + DAY)).toEqual(["MetricSample_p20261124", "MetricSample_p20261125"]);
    expect(expiredPartitions(names, NOV25 + DAY - 1)).toEqual(["MetricSample_p20261124"]);
  });
});

describe("retrying PostgreSQL writes", () => {
  const pgError = (code: string) => Object.assign(new Error("x"), { code });

  it.each([
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), true],
    ["a connection cut", new Error("Connection terminated unexpectedly"), true],
    ["a broken pipe", Object.assign(new Error("write EPIPE"), { code: "EPIPE", errno: -32, syscall: "write" }), true],
    ["admin shutdown (a restart)", pgError("57P01"), true],
    ["the server starting", pgError("57P03"), true],
    ["too many connections", pgError("53300"), true],
    ["a connection failure", pgError("08006"), true],
    ["a deadlock", pgError("40P01"), true],
    ["a protocol violation", pgError("08P01"), false],
    ["a syntax error", pgError("42601"), false],
    ["a NOT NULL violation", pgError("23502"), false],
    ["our own TypeError", new TypeError("x is undefined"), false],
  ])("%s → retry %s", (_what, error, transient) => {
    expect(isTransientPostgresError(error)).toBe(transient);
  });

  it("reads the SQLSTATE through Prisma's wrapping too", () => {
    expect(sqlState({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "23514", code: "23514" } } } })).toBe("23514");
    expect(sqlState({ cause: { originalCode: "57P01" } })).toBe("57P01");
    expect(sqlState({ code: "P2010" })).toBeUndefined();
  });

  it("backs off from 100 ms, doubling, to at most 5 s", () => {
    expect([1, 2, 3, 6, 7, 50].map((n) => backoffMs(n))).toEqual([100, 200, 400, 3_200, 5_000, 5_000]);
  });
});
