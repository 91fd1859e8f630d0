/**
 * `npm run user -- create <name> --role admin|operator|viewer | password <name> | delete <name> | list`:
 * manages who can sign in to the web app, directly in the database of DATABASE_URL (no
 * server need run). The password is read from ONESCREEN_PASSWORD or, when that is unset,
 * from the first line of stdin; it is never a command-line argument (ps would show it).
 */
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { ROLES } from "@/lib/auth/roles";
import { ConfigError, ZServerEnv, parseEnv, sqliteFilePath } from "@/lib/config";
import { openDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { createUser, deleteUser, listUsers, setPassword } from "@/lib/db/users";

const USAGE = `usage: npm run user -- create <name> --role ${ROLES.join("|")} | password <name> | delete <name> | list
  the password comes from ONESCREEN_PASSWORD, or the first line of stdin`;

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ONESCREEN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write("password (at least 12 characters): ");
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return "";
}

async function main(): Promise<number> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = parseEnv(ZServerEnv, process.env);
  const args = process.argv.slice(2);
  const [command, name] = args;
  const roleAt = args.indexOf("--role");
  const role = roleAt >= 0 ? args[roleAt + 1] : undefined;
  const valid = command === "list" || (command === "create" && name && role) || ((command === "password" || command === "delete") && name);
  if (!valid) {
    console.error(USAGE);
    return 2;
  }
  const file = sqliteFilePath(env.DATABASE_URL, process.cwd());
  await applyMigrations(file);
  const db = await openDatabase(file);
  try {
    if (command === "create") {
      const user = await createUser(db, name as string, role as string, await readPassword());
      console.log(`created ${user.name} (${user.role})`);
    } else if (command === "password") {
      if (!(await setPassword(db, name as string, await readPassword()))) {
        console.error(`name: no user named ${name}`);
        return 1;
      }
      console.log(`new password for ${name}; their sessions are closed`);
    } else if (command === "delete") {
      if (!(await deleteUser(db, name as string))) {
        console.error(`name: no user named ${name}`);
        return 1;
      }
      console.log(`deleted ${name}`);
    } else {
      for (const u of await listUsers(db)) console.log(`${u.name}\t${u.role}\tcreated ${u.createdAt.toISOString()}`);
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`user: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
