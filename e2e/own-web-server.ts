/** The product's web server alone on a free port (scripts/web-server.ts, as npm start runs it), for specs that need other settings than the shared e2e stack's. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { expect } from "@playwright/test";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The product's web server, alone, on a free port, with `env` over the e2e environment. */
export async function ownWebServer(env: Record<string, string>): Promise<{ base: string; child: ChildProcess; stop: () => void; rssMb: () => number; output: () => string[] }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.ts"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), REALTIME_PORT: process.env.E2E_REALTIME_PORT ?? "4210", TRUSTED_PROXIES: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean).slice(-20));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // ESRCH: gone already.
    }
  };
  try {
    await expect
      .poll(async () => (child.exitCode !== null ? `exited: ${output.join("\n")}` : await fetch(`${base}/api/version`).then((r) => r.status, () => "starting")), { timeout: 60_000, intervals: [200] })
      .toBe(200);
  } catch (error) {
    stop();
    throw error;
  }
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
  return { base, child, stop, rssMb, output: () => [...output] };
}

