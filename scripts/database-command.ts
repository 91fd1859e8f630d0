/**
 * The frame of a command that works on the database of DATABASE_URL directly (no server need
 * run): .env read, config validated, migrations applied, the connection closed afterwards, and
 * the exit code and any error printed under the command's name.
 */
import { existsSync } from "node:fs";
import { ZServerEnv, databaseTarget, parseEnv } from "@/lib/config";
import { openDatabase, type Database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

/** `valid(args)` false prints `usage` and exits 2; otherwise `run` gets the open database. */
export function runDatabaseCommand(name: string, usage: string, valid: (args: string[]) => boolean, run: (db: Database, args: string[]) => Promise<number>): void {
  const main = async (): Promise<number> => {
    if (existsSync(".env")) process.loadEnvFile(".env");
    const env = parseEnv(ZServerEnv, process.env);
    const args = process.argv.slice(2);
    if (!valid(args)) {
      console.error(usage);
      return 2;
    }
    const target = databaseTarget(env.DATABASE_URL, process.cwd());
    await applyMigrations(target);
    const db = await openDatabase(target);
    try {
      return await run(db, args);
    } finally {
      await db.$disconnect();
    }
  };
  main()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
