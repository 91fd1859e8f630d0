/**
 * `npm start`: the whole product on one machine. Validates the configuration,
 * builds the web app when the build is missing or older than the sources, starts
 * the side server (which migrates the database), waits until it is ready (/readyz), then
 * starts the web server. Both are restarted if they die; a signal stops both.
 *
 * Each server is one node process (no tsx or npm wrapper between it and us, whose death
 * would leave it running on its port), in a process group of its own that is killed
 * whole before a restart, and it leaves by itself when this process dies, even by
 * SIGKILL (scripts/supervised.cjs).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ZServerEnv, ZWebEnv, parseEnv } from "@/lib/config";
import { createLogger, startFailure, type Log } from "@/lib/log";

const root = process.cwd();
const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = ["next.config.js", "package.json", "postcss.config.mjs", "proxy.ts", "tsconfig.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => (name === "generated" ? newest : Math.max(newest, newestMtime(join(path, name)))), stat.mtimeMs);
}

function buildIsCurrent(): boolean {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return [...SOURCE_DIRS, ...SOURCE_FILES].every((p) => newestMtime(join(root, p)) <= built);
}

const NEXT = join(root, "node_modules", "next", "dist", "bin", "next");
/** Makes a child stop when its IPC channel to this process closes. */
const SUPERVISED = join(root, "scripts", "supervised.cjs");
/** A child that has not stopped this long after SIGTERM is killed. */
const STOP_TIMEOUT_MS = 15_000;

/** Until the side server's /readyz says 200: migrated, its live window filled, taking samples. */
async function waitForReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`side server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`side server not ready on port ${port} after ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  // A .env file (see .env.example) fills in what the environment does not set.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const serverEnv = parseEnv(ZServerEnv, process.env);
  const webEnv = parseEnv(ZWebEnv, process.env);
  // The servers below inherit stdout, so they see the same terminal (or pipe) and pick the same format.
  const log = createLogger({ level: serverEnv.LOG_LEVEL, format: serverEnv.LOG_FORMAT, isTTY: process.stdout.isTTY }).child({ component: "start" });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

  if (!buildIsCurrent()) {
    log.info("building the web app (first start or sources changed) …");
    const build = spawnSync(process.execPath, [NEXT, "build"], { stdio: "inherit", env });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const realtime = supervise("side server", ["--import", "tsx", "server/main.ts"], env, log);
  await waitForReady(serverEnv.REALTIME_PORT, realtime.current(), 60_000);
  realtime.markHealthy();
  // Next's app behind our own HTTP server, which tells the app each request's client (scripts/web-server.ts).
  const web = supervise("web server", ["--import", "tsx", "scripts/web-server.ts"], env, log);
  web.markHealthy();
  log.info({ url: `http://localhost:${webEnv.PORT}` }, `OneScreen: open http://localhost:${webEnv.PORT}`);

  const stop = () => {
    Promise.all([realtime.stop(), web.stop()])
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Kills whatever is left of a child's process group (SIGKILL); nothing when it is gone. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * Runs `node <args>` and restarts it when it dies, with a growing pause (1 s … 30 s), so a
 * crashed side server comes back on its own and the wall reconnects. A child that dies
 * before it was ever healthy (a bad config, a port in use) stops everything instead.
 */
function supervise(name: string, args: string[], env: NodeJS.ProcessEnv, log: Log) {
  let child: ChildProcess;
  let healthy = false;
  let stopping = false;
  let pauseMs = 1_000;
  let startedAt = 0;

  const launch = () => {
    startedAt = Date.now();
    child = spawn(process.execPath, ["--require", SUPERVISED, ...args], { stdio: ["inherit", "inherit", "inherit", "ipc"], env, detached: true });
    const own = child;
    own.once("exit", (code, signal) => {
      // Nothing it started may outlive it and hold what the next one needs (a port, a file lock).
      killGroup(own);
      if (stopping) return;
      if (!healthy) {
        log.fatal({ server: name, exit: signal ?? code }, "a server exited before it was ready; stopping");
        process.exit(1);
      }
      if (Date.now() - startedAt > 60_000) pauseMs = 1_000;
      log.error({ server: name, exit: signal ?? code, restartInMs: pauseMs }, "a server exited; restarting it");
      setTimeout(launch, pauseMs);
      pauseMs = Math.min(pauseMs * 2, 30_000);
    });
  };
  launch();

  return {
    current: () => child,
    markHealthy: () => {
      healthy = true;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const deadline = setTimeout(() => killGroup(child), STOP_TIMEOUT_MS);
        child.once("exit", () => {
          clearTimeout(deadline);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(startFailure("start", error, true));
  process.exit(1);
});
