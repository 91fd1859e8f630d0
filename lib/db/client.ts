/**
 * The one way to open the database: Prisma 7's client over the better-sqlite3
 * driver adapter. Timestamps are epoch milliseconds on disk (see schema.prisma).
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";

export type Database = PrismaClient;

export async function openDatabase(databaseFile: string): Promise<Database> {
  const adapter = new PrismaBetterSqlite3({ url: `file:${databaseFile}` }, { timestampFormat: "unixepoch-ms" });
  const db = new PrismaClient({ adapter });
  // WAL lets the web server read while the side server writes, and survives a
  // crash with at most the last transaction lost; NORMAL sync is safe under WAL.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  return db;
}
