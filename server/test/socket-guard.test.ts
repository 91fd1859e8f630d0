/**
 * The socket's doors: only allowed browser origins may connect, and a client flooding
 * events is throttled, then disconnected, while the server keeps serving everyone else.
 */
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Event, PROTOCOL_VERSION } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { EVENT_RATE, MAX_DROPPED } from "../realtime";
import { bootSideServer, connect, hello, sleep, tempDir, type TestClient } from "./helpers";

/** Connects as a browser page of `origin` would; resolves with the connect error, or null when connected. */
async function connectFrom(port: number, origin: string): Promise<string | null> {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { origin } });
  try {
    return await new Promise<string | null>((resolve) => {
      socket.once("connect", () => resolve(null));
      socket.once("connect_error", (error) => resolve(error.message));
    });
  } finally {
    socket.close();
  }
}

describe("socket origin allow-list", () => {
  const temp = tempDir();
  let byDefault: SideServer;
  let listed: SideServer;

  beforeAll(async () => {
    byDefault = await bootSideServer(temp.dir + "/a", { SIM_ENABLED: "false" });
    listed = await bootSideServer(temp.dir + "/b", { SIM_ENABLED: "false", ALLOWED_ORIGINS: "https://wall.ops.sz.gov.cn, http://desk-7:3000" });
  });

  afterAll(async () => {
    await byDefault?.close();
    await listed?.close();
    temp.cleanup();
  });

  it("by default lets in pages from the side server's own host (any port) and refuses other sites", async () => {
    expect(await connectFrom(byDefault.port, "http://127.0.0.1:3000")).toBeNull();
    expect(await connectFrom(byDefault.port, "https://evil.example")).not.toBeNull();
    expect(await connectFrom(byDefault.port, "http://127.0.0.1.evil.example:3000")).not.toBeNull();
    // No Origin header: not a browser page (a feed, a script), which the check is not about.
    const script = await connect(byDefault.port);
    expect(script.connected).toBe(true);
    script.close();
  });

  it("with ALLOWED_ORIGINS lets in exactly the listed origins", async () => {
    expect(await connectFrom(listed.port, "https://wall.ops.sz.gov.cn")).toBeNull();
    expect(await connectFrom(listed.port, "http://desk-7:3000")).toBeNull();
    expect(await connectFrom(listed.port, "http://127.0.0.1:3000")).not.toBeNull();
    expect(await connectFrom(listed.port, "https://wall.ops.sz.gov.cn.evil.example")).not.toBeNull();
  });
});

describe("socket flood", () => {
  const temp = tempDir();
  let server: SideServer;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false" });
  });

  afterAll(async () => {
    await server?.close();
    temp.cleanup();
  });

  it("answers a burst, drops events past the rate without disconnecting a brief burst", async () => {
    const client: TestClient = await connect(server.port);
    let answered = 0;
    for (let i = 0; i < EVENT_RATE.burst + 10; i++) client.emit(Event.hello, { protocolVersion: PROTOCOL_VERSION, domains: ["traffic"] }, () => answered++);
    await sleep(1_000);
    // The bucket refills 5 a second: a few more may slip in while the 30 arrive.
    expect(answered).toBeGreaterThanOrEqual(EVENT_RATE.burst);
    expect(answered).toBeLessThanOrEqual(EVENT_RATE.burst + 2);
    expect(client.connected).toBe(true);
    client.close();
  });

  it("disconnects a flooder and keeps serving a well-behaved client", async () => {
    const calm: TestClient = await connect(server.port);
    const flooder: TestClient = await connect(server.port);
    const disconnected = new Promise<string>((resolve) => flooder.once("disconnect", resolve));
    for (let i = 0; i < EVENT_RATE.burst + MAX_DROPPED + 100; i++) flooder.emit(Event.hello, { protocolVersion: PROTOCOL_VERSION, domains: ["traffic"] }, () => undefined);
    expect(await disconnected).toBe("io server disconnect");
    const reply = await hello(calm, ["traffic"]);
    expect(reply.ok).toBe(true);
    calm.close();
  });
});
