/**
 * The one way to open the database: Prisma 7's client over a driver adapter, chosen by
 * DATABASE_URL — better-sqlite3 for a file (the default), node-postgres for PostgreSQL.
 * Timestamps are epoch milliseconds on SQLite's disk and TIMESTAMP(3) UTC on PostgreSQL;
 * raw SQL bridges the two through lib/db/dialect.ts.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { DatabaseTarget } from "../config";
import { PrismaClient } from "../generated/prisma/client";
import { registerDialect } from "./dialect";
import { createPrivately } from "./private-files";

/**
 * Every caller is typed against the client generated from prisma/schema.prisma. The
 * PostgreSQL client is generated from the same models (prisma/postgres/schema.prisma is
 * derived from it, only the provider differs), so its model API is the same; TypeScript
 * cannot relate the two generated copies' conditional types, hence one cast in
 * openPostgres. The contract tests (lib/db/*.test.ts) run on both to hold that promise.
 */
export type Database = PrismaClient;

/** Opens `target`; a string is a SQLite file path (tests, tools, benchmarks). */
export async function openDatabase(target: string | DatabaseTarget): Promise<Database> {
  const resolved: DatabaseTarget = typeof target === "string" ? { provider: "sqlite", file: target } : target;
  const db = resolved.provider === "sqlite" ? await openSqlite(resolved.file) : await openPostgres(resolved.url);
  registerDialect(db, resolved.provider);
  return db;
}

async function openSqlite(databaseFile: string): Promise<Database> {
  // Whoever opens it first (the web server may), the file is the owner's only: it holds password hashes.
  createPrivately(databaseFile);
  const adapter = new PrismaBetterSqlite3({ url: `file:${databaseFile}` }, { timestampFormat: "unixepoch-ms" });
  const db = new PrismaClient({ adapter });
  // WAL lets the web server read while the side server writes, and survives a
  // crash with at most the last transaction lost; NORMAL sync is safe under WAL.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  return db;
}

async function openPostgres(url: string): Promise<Database> {
  // Loaded only when used, so a SQLite deployment never loads pg or the second client.
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([import("@prisma/adapter-pg"), import("../generated/prisma-postgres/client")]);
  // A lost connection (PostgreSQL restarted) surfaces as the next query's error; the pool
  // replaces the connection. Without a listener, an idle client's error would end the process.
  const adapter = new PrismaPg({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 }, { onPoolError: () => undefined });
  const db = new PostgresClient({ adapter });
  await db.$queryRawUnsafe("SELECT 1"); // fail at open, naming the server, rather than at the first request
  return db as unknown as Database;
}
