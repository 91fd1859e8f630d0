/**
 * The side server's HTTP door against hostile or careless clients (issue 20, item 7), over
 * real TCP: an oversized body is answered with a readable 413 even by a client that sends
 * its whole body before it reads (most do, and a connection closed under them is a broken
 * pipe, not an answer), and the bearer token is read strictly.
 */
import { connect as tcpConnect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import type { SideServer } from "../app";
import { DISCARD_MAX_BYTES } from "../http-json";
import { api, bootSideServer, tempDir } from "./helpers";

const ADMIN_TOKEN = "hostile-http-admin-token-0123456789";

interface RawExchange {
  /** Every byte the server sent, as text. */
  received: string;
  /** The socket error the client met while sending or reading (EPIPE, ECONNRESET), if any. */
  error: string | null;
}

/**
 * Sends `head` then `bodyBytes` bytes of body in 64 KiB writes, each awaited, and only then
 * reads what came back (as Python's requests or a shell script's curl --data-binary do);
 * `then` is sent on the same connection afterwards (a second request on a kept-alive connection).
 */
function writeThenRead(port: number, head: string, bodyBytes: number, chunked = false, then = ""): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, "127.0.0.1");
    let received = "";
    let error: string | null = null;
    socket.on("data", (chunk) => (received += chunk.toString("utf8")));
    socket.on("error", (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    socket.on("close", () => resolve({ received, error }));
    socket.once("connect", async () => {
      socket.write(head);
      const block = Buffer.alloc(64 * 1024, 0x20);
      for (let sent = 0; sent < bodyBytes && !socket.destroyed; sent += block.length) {
        const part = block.subarray(0, Math.min(block.length, bodyBytes - sent));
        const ok = socket.write(chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n")]) : part);
        if (!ok) await new Promise((r) => socket.once("drain", r).once("close", r));
      }
      if (chunked && !socket.destroyed) socket.write("0\r\n\r\n");
      if (then && !socket.destroyed) {
        // The first answer must be complete before the second request: wait for it.
        while (!received.includes("}") && !socket.destroyed) await new Promise((r) => setTimeout(r, 10));
        socket.write(then);
      }
      if (!socket.destroyed) socket.end();
    });
  });
}

describe("hostile HTTP", () => {
  const temp = tempDir();
  let server: SideServer;
  let token: string;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false", ADMIN_TOKEN, INGEST_RATE_PER_SECOND: "1000", INGEST_BURST: "1000" });
    token = await createIngestToken(server.db, "hostile-http");
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  const ingestHead = (extra: string) => `POST /ingest HTTP/1.1\r\nHost: side\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\n${extra}\r\n`;
  const TOO_LARGE = '{"error":"body: larger than 1048576 bytes"}';

  it.each([
    ["2 MiB, declared", 2 * 1024 * 1024, false],
    ["16 MiB, declared", 16 * 1024 * 1024, false],
    ["3 MiB, chunked (no length declared)", 3 * 1024 * 1024, true],
  ])("H1 a body over INGEST_MAX_BODY_BYTES (%s) gets a whole 413 in JSON, with no broken pipe, and the connection serves the next request", async (_, bytes, chunked) => {
    const head = ingestHead(chunked ? "Transfer-Encoding: chunked\r\n" : `Content-Length: ${bytes}\r\n`);
    const exchange = await writeThenRead(server.port, head, bytes, chunked, "GET /healthz HTTP/1.1\r\nHost: side\r\nConnection: close\r\n\r\n");
    expect(exchange.error).toBeNull();
    const [first, second] = exchange.received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(first).toContain("content-type: application/json");
    expect(first!.endsWith(TOO_LARGE)).toBe(true);
    expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it("H2 a refusal before the body is read (an unknown token) is readable too", async () => {
    const bytes = 4 * 1024 * 1024;
    const head = `POST /ingest HTTP/1.1\r\nHost: side\r\nContent-Type: application/json\r\nAuthorization: Bearer osi_unknown\r\nContent-Length: ${bytes}\r\nConnection: close\r\n\r\n`;
    const exchange = await writeThenRead(server.port, head, bytes);
    expect(exchange.error).toBeNull();
    expect(exchange.received).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n[\s\S]*\{"error":"authorization: unknown ingest token"\}$/);
  });

  it("H3 a body declared larger than the discard bound is answered at once, and its connection closed", async () => {
    // Not sent: the answer must come from the headers alone.
    const head = ingestHead(`Content-Length: ${DISCARD_MAX_BYTES + 1}\r\n`);
    const exchange = await writeThenRead(server.port, head, 0);
    expect(exchange.received).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(exchange.received).toContain("connection: close");
    expect(exchange.received.endsWith(TOO_LARGE)).toBe(true);
  });

  it("H4 the admin token counts only as exactly `Bearer <token>`: one space, nothing else", async () => {
    const drill = (authorization: string) => api(server.port, "POST", "/drills", { body: { scenario: "typhoon", minutes: 1 }, headers: { authorization } });
    // (Spaces before or after the whole value are no part of it in HTTP: every parser drops them.)
    for (const header of [`Bearer  ${ADMIN_TOKEN}`, `Bearer   ${ADMIN_TOKEN}`, `Bearer\t${ADMIN_TOKEN}`, `Bearer:${ADMIN_TOKEN}`, `Basic ${ADMIN_TOKEN}`, `Bearer ${ADMIN_TOKEN},x`, ADMIN_TOKEN]) {
      expect(await drill(header), JSON.stringify(header)).toMatchObject({ status: 401, body: { error: "authorization: a valid 'Authorization: Bearer <admin token>' header is required" } });
    }
    const started = await drill(`Bearer ${ADMIN_TOKEN}`);
    expect(started.status).toBe(201);
    // The scheme's case does not matter (RFC 7235).
    expect((await api(server.port, "DELETE", `/drills/${(started.body.drill as { id: string }).id}`, { headers: { authorization: `bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });

  it("H5 an ingest token too counts only as exactly `Bearer <token>`", async () => {
    const body = JSON.stringify({ samples: [] });
    for (const authorization of [`Bearer  ${token}`, `Bearer ${token}\u00a0`]) {
      expect(await api(server.port, "POST", "/ingest", { body, headers: { authorization } })).toMatchObject({ status: 401, body: { error: expect.stringMatching(/^authorization: an 'Authorization: Bearer <ingest token>' header is required/) } });
    }
    expect((await api(server.port, "POST", "/ingest", { body, headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
  });

  it("H6 every answer, the socket's polling transport's included, says nosniff, same-origin referrers and a policy that loads and frames nothing", async () => {
    const answers = await Promise.all(
      ["/healthz", "/walls", "/snapshot?domains=traffic", "/no-such-route", "/snapshot?domains=weather", "/socket.io/?EIO=4&transport=polling"].map((path) => fetch(`http://127.0.0.1:${server.port}${path}`)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404, 400, 200]);
    for (const answer of answers) {
      expect({ url: answer.url, nosniff: answer.headers.get("x-content-type-options"), referrer: answer.headers.get("referrer-policy"), csp: answer.headers.get("content-security-policy") }).toEqual({
        url: answer.url,
        nosniff: "nosniff",
        referrer: "same-origin",
        csp: "default-src 'none'; frame-ancestors 'none'",
      });
      await answer.arrayBuffer();
    }
  });
});
