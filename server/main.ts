/** Entry point of the side server: validated config in, signals handled, nothing else. */
import { existsSync } from "node:fs";
import { ConfigError, ZServerEnv, parseEnv } from "@/lib/config";
import { checkNodeVersion } from "@/scripts/node-version.mjs";
import { adminTokenFile } from "./admin-token";
import { startSideServer } from "./app";

const log = (message: string) => console.log(`[realtime] ${message}`);

async function main(): Promise<void> {
  checkNodeVersion("realtime");
  // A .env file (see .env.example) fills in what the environment does not set.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = parseEnv(ZServerEnv, process.env);
  const server = await startSideServer(env, { cwd: process.cwd(), now: Date.now, log });
  log(`listening on http://${env.REALTIME_HOST}:${server.port} (database ${server.databaseFile}, simulator ${env.SIM_ENABLED ? `seed ${env.SIM_SEED} at ×${env.SIM_SPEED}` : "off"})`);
  if (!env.ADMIN_TOKEN) log(`admin token for write endpoints (drills): ${adminTokenFile(server.stateDir)}`);

  const stop = (signal: string) => {
    log(`${signal}: flushing and shutting down`);
    server
      .close()
      .then(() => {
        log(`stopped; ${server.pipeline.stats.persisted} samples persisted this run`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[realtime] ${error.message}`);
  else console.error("[realtime] failed to start:", error);
  process.exit(1);
});
