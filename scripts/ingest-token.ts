/**
 * `npm run ingest-token -- create <name> | revoke <name> | list`: manages the tokens
 * ingest sources authenticate with, directly in the database of DATABASE_URL (the side
 * server need not run). A new token is printed once; only its hash is stored.
 */
import { createIngestToken, listIngestTokens, revokeIngestToken } from "@/lib/db/ingest-tokens";
import { runDatabaseCommand } from "./database-command";

const USAGE = "usage: npm run ingest-token -- create <name> | revoke <name> | list";

runDatabaseCommand(
  "ingest-token",
  USAGE,
  ([command, name]) => command === "list" || ((command === "create" || command === "revoke") && name !== undefined),
  async (db, [command, name]) => {
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
  },
);
