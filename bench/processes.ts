/**
 * Servers a benchmark starts and stops: each in its own process group (so a kill takes
 * its children too), the last lines of its output kept for the error when it dies.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { healthzUrl, waitForUrl, type ChildServer } from "../server/test/child-server";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

export function startServer(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildServer {
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString().split("\n").filter(Boolean));
    if (log.length > 40) log.splice(0, log.length - 40);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { name, child, output: () => log.join("\n") };
}

export function stopServer(server: ChildServer): void {
  if (server.child.pid === undefined) return;
  try {
    process.kill(-server.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

export async function freePort([lo, hi]: readonly [number, number]): Promise<number> {
  const span = hi - lo + 1;
  const offset = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = lo + ((offset + i) % span);
    if (await portFree(port)) return port;
  }
  throw new Error(`no free port in ${lo}–${hi}`);
}

/**
 * The environment a benchmark's two servers run with: production, their own ports, a fresh
 * database in `dir`, the simulator on; `extra` on top. Anything a developer's shell sets
 * that would point them elsewhere (start time, public or internal URLs) is dropped.
 */
export function wallEnv(dir: string, ports: { web: number; realtime: number }, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(ports.web),
    REALTIME_PORT: String(ports.realtime),
    REALTIME_HOST: "127.0.0.1",
    DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
    ADMIN_TOKEN: randomBytes(24).toString("hex"),
    SIM_ENABLED: "true",
    ...extra,
  };
  delete env.SIM_START;
  delete env.REALTIME_PUBLIC_URL;
  delete env.REALTIME_INTERNAL_URL;
  return env;
}

/**
 * Starts the built wall as `npm start` runs it, side server first, and waits for both;
 * Ctrl-C stops them. `stop()` in the caller's finally.
 */
export async function startWall(env: NodeJS.ProcessEnv, ports: { web: number; realtime: number }) {
  const servers: ChildServer[] = [];
  const stop = () => servers.forEach(stopServer);
  process.once("SIGINT", () => {
    stop();
    process.exit(130);
  });
  const baseUrl = `http://127.0.0.1:${ports.web}`;
  try {
    const realtime = startServer("side server", process.execPath, ["--import", "tsx", "server/main.ts"], env);
    servers.push(realtime);
    await waitForUrl(healthzUrl(ports.realtime), realtime, 60_000);
    const web = startServer("web server", process.execPath, ["--import", "tsx", "scripts/web-server.ts"], env);
    servers.push(web);
    await waitForUrl(`${baseUrl}/`, web, 60_000);
  } catch (error) {
    stop();
    throw error;
  }
  return { servers, baseUrl, stop };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Debian's Chromium (Playwright cannot download its own here), run with no sandbox (as root) and no network chatter. */
export const CHROMIUM = "/usr/bin/chromium";

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", ...extraArgs],
  });
}
