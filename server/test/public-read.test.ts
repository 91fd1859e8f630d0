/**
 * PUBLIC_READ=false on the side server, with real socket.io clients and HTTP: a socket and
 * every read but /healthz need the web app's session cookie (a person's, or a kiosk's device
 * credential) or, for the web server's own reads, the admin token. A device's enrolment token
 * works once; a revoked device is refused from its next connection, and its open socket is
 * dropped at its next hello. With the default PUBLIC_READ=true everything reads openly
 * (every other test of the side server runs so).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "@/lib/auth/roles";
import { PROTOCOL_VERSION } from "@/lib/realtime/protocol";
import { authenticate, createDevice, createUser, openSession, renewDeviceSession, revokeDevice } from "@/lib/db/users";
import type { SideServer } from "../app";
import { READER_REFUSAL } from "../realtime";
import { api, bootSideServer, connect, hello, sleep, tempDir, type TestClient } from "./helpers";

const ADMIN_TOKEN = "public-read-admin-token-0123456789";
const READS = ["/walls", "/snapshot?domains=traffic", "/alerts", "/alerts/rules", "/drills", "/openapi.json"];

/** The connect error's message, or null when the socket connected (it is then closed at the end of the file). */
async function connectWith(port: number, token: string | null, opened: TestClient[]): Promise<string | null> {
  try {
    opened.push(await connect(port, token === null ? {} : { extraHeaders: { cookie: `theme=dark; ${SESSION_COOKIE}=${token}` } }));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("PUBLIC_READ=false on the side server", () => {
  const temp = tempDir();
  let server: SideServer;
  const opened: TestClient[] = [];
  const cookie = (token: string) => ({ headers: { cookie: `${SESSION_COOKIE}=${token}` } });

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false", PUBLIC_READ: "false", ADMIN_TOKEN });
  });
  afterAll(async () => {
    for (const socket of opened) socket.close();
    await server.close();
    temp.cleanup();
  });

  it("P1 without a session, no socket and no read but the health probe; the admin token reads", async () => {
    expect(await connectWith(server.port, null, opened)).toBe(READER_REFUSAL);
    expect(await connectWith(server.port, "made-up-token", opened)).toBe(READER_REFUSAL);
    for (const path of READS) {
      expect(await api(server.port, "GET", path), path).toMatchObject({ status: 401, body: { error: "session: reading needs a signed-in session or the admin token (PUBLIC_READ=false)" } });
      expect((await api(server.port, "GET", path, { token: ADMIN_TOKEN })).status, path).toBe(200);
    }
    expect((await api(server.port, "GET", "/healthz")).status).toBe(200);
  });

  it("P2 a viewer's session cookie opens the socket and the reads", async () => {
    await createUser(server.db, "desk-viewer", "viewer", "lantern-harbour-quiet-7");
    const token = await openSession(server.db, "desk-viewer");
    expect(await connectWith(server.port, token, opened)).toBeNull();
    expect(await hello(opened.at(-1)!)).toMatchObject({ ok: true });
    for (const path of READS) expect((await api(server.port, "GET", path, cookie(token))).status, path).toBe(200);
  });

  it("P3 a device's enrolment token is spent by its exchange, and a revoked device is refused at its next connection and dropped at its next hello", async () => {
    const enrolment = await createDevice(server.db, "wall-lobby");
    const renewed = await renewDeviceSession(server.db, enrolment);
    expect(renewed?.device).toEqual({ name: "wall-lobby", role: "device" });
    // The token that was in the URL opens nothing any more, and cannot be exchanged twice.
    expect(await connectWith(server.port, enrolment, opened)).toBe(READER_REFUSAL);
    expect(await renewDeviceSession(server.db, enrolment)).toBeNull();

    expect(await connectWith(server.port, renewed!.token, opened)).toBeNull();
    const wall = opened.at(-1)!;
    expect(await hello(wall)).toMatchObject({ ok: true });
    expect((await api(server.port, "GET", "/walls", cookie(renewed!.token))).status).toBe(200);

    expect(await revokeDevice(server.db, "wall-lobby")).toBe(true);
    expect((await api(server.port, "GET", "/walls", cookie(renewed!.token))).status).toBe(401);
    expect(await connectWith(server.port, renewed!.token, opened)).toBe(READER_REFUSAL);
    // The socket it had open: its next hello finds the session gone.
    const disconnected = new Promise<string>((resolve) => wall.once("disconnect", resolve));
    wall.emit("hello", { protocolVersion: PROTOCOL_VERSION, domains: ["traffic"] }, () => undefined);
    expect(await Promise.race([disconnected, sleep(5_000).then(() => "still connected")])).toBe("io server disconnect");
  });

  it("P4 a device cannot sign in with a password, nor a person be made a device by `create`", async () => {
    await createDevice(server.db, "wall-atrium");
    expect(await authenticate(server.db, "wall-atrium", "!device")).toBeNull();
    await expect(createUser(server.db, "wall-x", "device", "lantern-harbour-quiet-7")).rejects.toThrow(/^role: must be viewer, operator or admin/);
  });
});
