/**
 * `npm start`: the whole product on one machine. Validates the configuration,
 * builds the web app when the build is missing or older than the sources, starts
 * the side server (which migrates the database), waits until it is ready (/readyz), then
 * starts the web server. Both are restarted if they die; a signal stops both.
 *
 * The same supervisor runs three ways (docs/deployment.md):
 * - `npm start` (this file under tsx): the servers from source, the web app built when needed;
 * - `npm run start:prod` (dist/start.js, compiled by `npm run build`): the compiled servers with
 *   plain node; it never builds, and without a build it says so and stops;
 * - `npm run dev` (`--dev`): `next dev` behind our web server and the side server under
 *   `tsx watch`, each reloading on change; nothing is built. `tsx watch` is a wrapper process
 *   around the side server, the one exception to the rule below; its group is killed whole all the same.
 *
 * Each server is one node process (no tsx or npm wrapper between it and us, whose death
 * would leave it running on its port), in a process group of its own that is killed
 * whole before a restart, and it leaves by itself when this process dies, even by
 * SIGKILL (scripts/supervised.cjs).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ZServerEnv, ZWebEnv, parseEnv } from "@/lib/config";
import { createLogger, startFailure, type Log } from "@/lib/log";
import { compiledFile } from "./compiled";
import { checkNodeVersion } from "./node-version.mjs";

checkNodeVersion("start");

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

/** Compiled into dist/ by `npm run build`, this module's own URL ends in .js. */
const compiled = !import.meta.url.endsWith(".ts");
const dev = process.argv.includes("--dev");

/** What the production start needs: the web app's build and the compiled servers. */
function missingBuild(): string[] {
  const needed = [join(".next", "BUILD_ID"), compiledFile("realtime"), compiledFile("web-server"), compiledFile("sample-writer-worker")];
  return needed.filter((file) => !existsSync(join(root, file)));
}

/** Each server's `node` arguments: the compiled bundle, the TypeScript source, or the source reloaded on change. */
function serverArgs(): { realtime: string[]; web: string[] } {
  if (compiled) return { realtime: ["--enable-source-maps", compiledFile("realtime")], web: ["--enable-source-maps", compiledFile("web-server")] };
  if (dev) {
    const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
    return { realtime: [tsxCli, "watch", "--clear-screen=false", "server/main.ts"], web: ["--import", "tsx", "scripts/web-server.ts", "--dev"] };
  }
  return { realtime: ["--import", "tsx", "server/main.ts"], web: ["--import", "tsx", "scripts/web-server.ts"] };
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

  if (compiled) {
    if (dev) throw new Error("npm run dev runs from source (node --import tsx scripts/start.ts --dev), not from dist/");
    const missing = missingBuild();
    if (missing.length > 0) throw new Error(`no build to start (${missing.join(", ")} missing): run npm run build first, with the dev dependencies installed`);
  } else if (!dev && !buildIsCurrent()) {
    log.info("building the web app (first start or sources changed) …");
    const build = spawnSync(process.execPath, [NEXT, "build"], { stdio: "inherit", env });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const args = serverArgs();
  const realtime = supervise("side server", args.realtime, env, log);
  await waitForReady(serverEnv.REALTIME_PORT, realtime.current(), 60_000);
  realtime.markHealthy();
  // Next's app behind our own HTTP server, which tells the app each request's client (scripts/web-server.ts).
  const web = supervise("web server", args.web, env, log);
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
