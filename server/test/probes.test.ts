/**
 * The side server's probes over real HTTP: /livez and /readyz answer without a session even
 * with PUBLIC_READ=false, and every answer carries a request id (the caller's when it is
 * sane). The outage cases are in postgres-restart.test.ts, the rule itself in health.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SideServer } from "../app";
import { api, bootSideServer, tempDir } from "./helpers";

describe("side server probes", () => {
  const temp = tempDir();
  let server: SideServer;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false", PUBLIC_READ: "false", ADMIN_TOKEN: "probes-test-admin-token-0123456789" });
  });
  afterAll(async () => {
    await server?.close();
    temp.cleanup();
  });

  it("Z1 /livez and /readyz answer 200 without a session under PUBLIC_READ=false, where a read is refused", async () => {
    expect(await api(server.port, "GET", "/snapshot?domains=traffic")).toMatchObject({ status: 401 });
    const live = await api(server.port, "GET", "/livez");
    expect(live).toMatchObject({ status: 200, body: { status: "alive", uptimeSeconds: expect.any(Number), eventLoopDelayMs: { p99: expect.any(Number), max: expect.any(Number) } } });
    const ready = await api(server.port, "GET", "/readyz");
    expect(ready).toMatchObject({ status: 200, body: { status: "ready", ready: true, reasons: [], checks: { migrated: true, windowFilled: true, database: "reachable", writeQueue: { samples: 0, refusing: false } } } });
  });

  it("Z2 an answer carries the caller's X-Request-Id when it is a plain token, and a new one otherwise", async () => {
    const kept = await api(server.port, "GET", "/livez", { headers: { "x-request-id": "lb-7f3a.42" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-7f3a.42");
    const replaced = await api(server.port, "GET", "/livez", { headers: { "x-request-id": "x".repeat(200) } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const made = await api(server.port, "GET", "/snapshot?domains=traffic");
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
