/**
 * `npm run user -- create <name> --role admin|operator|viewer | password <name> | delete <name> | list`
 * and `device create <name> | device revoke <name>`: manages who can sign in to the web app,
 * and which kiosk walls may read when PUBLIC_READ=false, directly in the database of
 * DATABASE_URL (no server need run). The password is read from ONESCREEN_PASSWORD or, when that is unset,
 * from the first line of stdin; it is never a command-line argument (ps would show it).
 */
import { createInterface } from "node:readline";
import { PERSON_ROLES } from "@/lib/auth/roles";
import { createDevice, createUser, deleteUser, listUsers, revokeDevice, setPassword } from "@/lib/db/users";
import { runDatabaseCommand } from "./database-command";

const USAGE = `usage: npm run user -- create <name> --role ${PERSON_ROLES.join("|")} | password <name> | delete <name> | list
       npm run user -- device create <name> | device revoke <name>   (kiosk walls, for PUBLIC_READ=false)
  the password comes from ONESCREEN_PASSWORD, or the first line of stdin: 12+ characters,
  none of the 10,000 most common passwords, not containing the user name`;

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ONESCREEN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write("password (12+ characters, not a common one, not containing the name): ");
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return "";
}

/** The value after `--role`, if any. */
const roleOf = (args: readonly string[]) => {
  const at = args.indexOf("--role");
  return at >= 0 ? args[at + 1] : undefined;
};

runDatabaseCommand(
  "user",
  USAGE,
  (args) => {
    const [command, name] = args;
    if (command === "device") return (args[1] === "create" || args[1] === "revoke") && args[2] !== undefined;
    return command === "list" || (command === "create" && name !== undefined && roleOf(args) !== undefined) || ((command === "password" || command === "delete") && name !== undefined);
  },
  async (db, args) => {
    const [command, name] = args;
    if (command === "device") {
      const device = args[2] as string;
      if (args[1] === "create") {
        const token = await createDevice(db, device);
        console.log(`created device ${device}. Open this once on the wall (the token is then traded for a cookie and spent):\n  /?kiosk=1&device=${token}`);
        return 0;
      }
      if (!(await revokeDevice(db, device))) {
        console.error(`name: no device named ${device}`);
        return 1;
      }
      console.log(`revoked ${device}: refused from its next request on`);
      return 0;
    }
    if (command === "create") {
      const user = await createUser(db, name as string, roleOf(args) as string, await readPassword());
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
  },
);
