/**
 * The processes of a cluster test: a Redis of the test's own (so it can be killed and
 * restarted on its port) and side servers as real `server/main.ts` children.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { healthzUrl, waitForUrl, type ChildServer } from "./child-server";
import { freePort } from "./mqtt-broker";
import { binary } from "./needs";

/** Debian's redis-server, or the first on PATH (Homebrew's). */
export const redisServer = binary("Redis", ["/usr/bin/redis-server", "redis-server"], "apt-get install redis-server (macOS: brew install redis)");

export interface Instance extends ChildServer {
  port: number;
}

/** A redis-server on `port` that keeps nothing on disk, once it accepts connections. */
export function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn(redisServer.path ?? "redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    redis.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve(redis);
    });
    redis.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
}

/** A side server on a free local port with `env` over this process's, once /healthz answers; killed if it never does. */
export async function startSideServerProcess(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, REALTIME_HOST: "127.0.0.1", REALTIME_PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const instance = { name, port, child, output: () => output };
  try {
    await waitForUrl(healthzUrl(port), instance, 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return instance;
}
