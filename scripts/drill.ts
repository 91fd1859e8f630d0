/**
 * `npm run drill -- list | start <scenario> [minutes] | stop <id>`: drives the drill
 * API of a running side server, with the admin token from ADMIN_TOKEN or the
 * token file the server created in its state directory (beside the SQLite file, or ./data).
 */
import { existsSync } from "node:fs";
import { ZServerEnv, databaseTarget, parseEnv, stateDirectory } from "@/lib/config";
import { SCENARIO_IDS } from "@/lib/sim/scenarios";
import { resolveAdminToken } from "@/server/admin-token";

const USAGE = `usage: npm run drill -- list | start <${SCENARIO_IDS.join("|")}> [minutes] | stop <drill id>`;

async function main(): Promise<number> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = parseEnv(ZServerEnv, process.env);
  const base = `http://127.0.0.1:${env.REALTIME_PORT}`;
  const token = resolveAdminToken(env.ADMIN_TOKEN, stateDirectory(databaseTarget(env.DATABASE_URL, process.cwd()), process.cwd()), false);
  const auth = { authorization: `Bearer ${token ?? ""}` };
  const [command, arg, minutes] = process.argv.slice(2);

  let res: Response;
  if (command === "list") res = await fetch(`${base}/drills`);
  else if (command === "start" && arg) {
    const body = { scenario: arg, ...(minutes ? { minutes: Number(minutes) } : {}) };
    res = await fetch(`${base}/drills`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) });
  } else if (command === "stop" && arg) res = await fetch(`${base}/drills/${encodeURIComponent(arg)}`, { method: "DELETE", headers: auth });
  else {
    console.error(USAGE);
    return 2;
  }
  console.log(JSON.stringify(await res.json(), null, 2));
  return res.ok ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`drill: ${error instanceof Error ? error.message : String(error)} (is the side server running?)`);
    process.exit(1);
  });
