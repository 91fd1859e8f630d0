/** Test helpers that boot the real side server and connect real socket.io clients. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import { DOMAINS, type Domain } from "@/lib/catalog";
import { ZServerEnv, parseEnv } from "@/lib/config";
import {
  Event,
  PROTOCOL_VERSION,
  ZFrame,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type TFrame,
  type THelloReply,
} from "@/lib/realtime/protocol";
import { startSideServer, type SideServer } from "../app";

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "onescreen-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function bootSideServer(dir: string, env: Record<string, string> = {}): Promise<SideServer> {
  const config = parseEnv(ZServerEnv, { REALTIME_PORT: "0", REALTIME_HOST: "127.0.0.1", DATABASE_URL: `file:${join(dir, "test.db")}`, ...env });
  return startSideServer(config, { cwd: process.cwd(), now: Date.now, log: () => undefined });
}

export async function connect(port: number): Promise<TestClient> {
  const socket: TestClient = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

export function hello(socket: TestClient, domains: readonly Domain[] = DOMAINS, protocolVersion = PROTOCOL_VERSION): Promise<THelloReply> {
  return socket.timeout(5_000).emitWithAck(Event.hello, { protocolVersion, domains: [...domains] });
}

/** Collects validated frames until `ms` have passed. */
export function collectFrames(socket: TestClient, ms: number): Promise<TFrame[]> {
  const frames: TFrame[] = [];
  const onFrame = (raw: unknown) => frames.push(ZFrame.parse(raw));
  socket.on(Event.frame, onFrame);
  return new Promise((resolve) =>
    setTimeout(() => {
      socket.off(Event.frame, onFrame);
      resolve(frames);
    }, ms),
  );
}
