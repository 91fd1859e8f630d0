/**
 * `npm start`: the whole product on one machine. Validates the configuration,
 * builds the web app when the build is missing or older than the sources, starts
 * the side server (which migrates the database), waits until it is healthy, then
 * starts the web server. A signal stops both; if either dies, the other is stopped.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, ZServerEnv, ZWebEnv, parseEnv } from "@/lib/config";

const root = process.cwd();
const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = ["next.config.js", "package.json", "postcss.config.mjs", "tsconfig.json"];

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

function bin(name: string): string {
  return join(root, "node_modules", ".bin", name);
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`side server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`side server not healthy on port ${port} after ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  // A .env file (see .env.example) fills in what the environment does not set.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const serverEnv = parseEnv(ZServerEnv, process.env);
  const webEnv = parseEnv(ZWebEnv, process.env);
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

  if (!buildIsCurrent()) {
    console.log("[start] building the web app (first start or sources changed) …");
    const build = spawnSync(bin("next"), ["build"], { stdio: "inherit", env });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    const exitWhenDone = () => {
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code);
    };
    for (const child of children) child.once("exit", exitWhenDone);
    exitWhenDone();
  };
  process.once("SIGINT", () => stopAll(0));
  process.once("SIGTERM", () => stopAll(0));

  const realtime = spawn(bin("tsx"), ["server/main.ts"], { stdio: "inherit", env });
  children.push(realtime);
  realtime.once("exit", (code) => stopAll(code ?? 1));
  await waitForHealth(serverEnv.REALTIME_PORT, realtime, 60_000);

  const web = spawn(bin("next"), ["start", "-p", String(webEnv.PORT)], { stdio: "inherit", env });
  children.push(web);
  web.once("exit", (code) => stopAll(code ?? 1));
  console.log(`[start] OneScreen: open http://localhost:${webEnv.PORT}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `[start] ${error.message}` : `[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
