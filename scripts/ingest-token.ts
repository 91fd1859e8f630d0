/**
 * `npm run ingest-token -- create <name> | revoke <name> | list`: manages the tokens
 * ingest sources authenticate with, directly in the database of DATABASE_URL (the side
 * server need not run). A new token is printed once; only its hash is stored.
 */
import { existsSync } from "node:fs";
import { ConfigError, ZServerEnv, parseEnv, sqliteFilePath } from "@/lib/config";
import { openDatabase } from "@/lib/db/client";
import { createIngestToken, listIngestTokens, revokeIngestToken } from "@/lib/db/ingest-tokens";
import { applyMigrations } from "@/lib/db/migrate";

const USAGE = "usage: npm run ingest-token -- create <name> | revoke <name> | list";

async function main(): Promise<number> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = parseEnv(ZServerEnv, process.env);
  const [command, name] = process.argv.slice(2);
  if (!(command === "list" || ((command === "create" || command === "revoke") && name))) {
    console.error(USAGE);
    return 2;
  }
  const file = sqliteFilePath(env.DATABASE_URL, process.cwd());
  await applyMigrations(file);
  const db = await openDatabase(file);
  try {
    if (command === "create") {
      const token = await createIngestToken(db, name as string);
      console.log(`ingest token for ${name} (shown once; send it as 'Authorization: Bearer <token>'):\n${token}`);
    } else if (command === "revoke") {
      if (!(await revokeIngestToken(db, name as string))) {
        console.error(`name: no active token named ${name}`);
        return 1;
      }
      console.log(`revoked ${name}`);
    } else {
      for (const t of await listIngestTokens(db)) console.log(`${t.name}\tcreated ${t.createdAt.toISOString()}\t${t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active"}`);
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`ingest-token: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
