/** A real Mosquitto for tests: started on a free port per test file, killed and restarted at will. */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { expect } from "vitest";
import type { SideServer } from "../app";
import type { MqttStats } from "../sources/mqtt";
import { api, waitForAsync } from "./helpers";
import { binary } from "./needs";

/** Debian's Mosquitto, or the first on PATH (Homebrew's). */
export const mosquitto = binary("Mosquitto", ["/usr/sbin/mosquitto", "mosquitto"], "apt-get install mosquitto (macOS: brew install mosquitto)");

/** Unique per run, so parallel runs sharing a broker never take over each other's session. */
export const runId = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

/** Starts Mosquitto on `port` (anonymous, in memory) and resolves once it listens. */
export async function startBroker(port: number, dir: string): Promise<ChildProcess> {
  const config = join(dir, "mosquitto.conf");
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const broker = spawn(mosquitto.path ?? "mosquitto", ["-c", config], { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    broker.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("running")) resolve();
    });
    broker.once("exit", (code) => reject(new Error(`mosquitto exited with ${code}: ${output}`)));
  });
  return broker;
}

export async function killBroker(broker: ChildProcess | undefined): Promise<void> {
  if (!broker || broker.exitCode !== null || broker.signalCode !== null) return;
  const exited = new Promise((resolve) => broker.once("exit", resolve));
  broker.kill("SIGKILL");
  await exited;
}

/** How long a test waits for the side server to react to the broker: longer than waitForAsync's default, as the source reconnects on its own schedule and a write blocked by another SQLite writer fails only after the 5 s busy timeout. */
export const MQTT_WAIT_MS = 15_000;

export async function mqttHealth(server: SideServer): Promise<MqttStats> {
  const { status, body } = await api(server.port, "GET", "/healthz");
  expect(status).toBe(200);
  return body.mqtt as MqttStats;
}

export const ready = (server: SideServer) => waitForAsync("the MQTT source to connect and subscribe", async () => ((await mqttHealth(server)).connected ? true : undefined), MQTT_WAIT_MS);
