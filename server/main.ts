/** Entry point of the side server: validated config in, signals handled, nothing else. */
import { existsSync } from "node:fs";
import { ConfigError, ZServerEnv, parseEnv } from "@/lib/config";
import { checkNodeVersion } from "@/scripts/node-version.mjs";
import { createLogger, startFailure } from "@/lib/log";
import { adminTokenFile } from "./admin-token";
import { startSideServer } from "./app";

async function main(): Promise<void> {
  checkNodeVersion("realtime");
  // A .env file (see .env.example) fills in what the environment does not set.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = parseEnv(ZServerEnv, process.env);
  const root = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, isTTY: process.stdout.isTTY });
  const log = root.child({ component: "side-server" });
  const server = await startSideServer(env, { cwd: process.cwd(), now: Date.now, log: root });
  log.info(
    { host: env.REALTIME_HOST, port: server.port, url: `http://${env.REALTIME_HOST}:${server.port}`, database: server.databaseFile, simulator: env.SIM_ENABLED ? { seed: env.SIM_SEED, speed: env.SIM_SPEED } : null },
    "listening",
  );
  if (!env.ADMIN_TOKEN) log.info({ file: adminTokenFile(server.stateDir) }, "admin token for write endpoints (drills) is in this file");

  const stop = (signal: string) => {
    log.info({ signal }, "flushing and shutting down");
    server
      .close()
      .then(() => {
        log.info({ persisted: server.pipeline.stats.persisted }, "stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.fatal({ err: error }, "shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(startFailure("side-server", error, error instanceof ConfigError));
  process.exit(1);
});
