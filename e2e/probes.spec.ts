/**
 * The web server's probes and log, on the real product: /livez and /readyz answered before
 * Next (no session needed under PUBLIC_READ=false), /readyz telling whether the side server is
 * ready, and the web server's log lines JSON events with the request id, secrets blanked.
 */
import { expect, test } from "@playwright/test";
import { REALTIME_URL } from "../playwright.config";
import { freePort, ownWebServer } from "./own-web-server";

const E2E_DB = process.env.ONESCREEN_E2E_DB!;

test("both servers of the running product are alive and ready, and say so without a session", async ({ request }) => {
  for (const base of ["", REALTIME_URL]) {
    const live = await request.get(`${base}/livez`);
    expect([base, live.status(), (await live.json()) as unknown]).toEqual([base, 200, expect.objectContaining({ status: "alive" })]);
    const ready = await request.get(`${base}/readyz`);
    expect([base, ready.status(), (await ready.json()) as unknown]).toEqual([base, 200, expect.objectContaining({ status: "ready", ready: true, reasons: [] })]);
  }
  const web = await (await request.get("/readyz")).json();
  expect(web).toMatchObject({ checks: { next: "ready", sideServer: { url: `${REALTIME_URL}/readyz`, status: 200 } } });
});

test("the web server echoes a sane X-Request-Id and makes one otherwise", async ({ request }) => {
  expect((await request.get("/livez", { headers: { "x-request-id": "e2e-req-42" } })).headers()["x-request-id"]).toBe("e2e-req-42");
  expect((await request.get("/api/version", { headers: { "x-request-id": "not a plain token" } })).headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});

test.describe("a web server whose side server is down, under PUBLIC_READ=false", () => {
  let server: Awaited<ReturnType<typeof ownWebServer>>;
  let nobody: number;
  test.beforeAll(async () => {
    nobody = await freePort(); // nothing listens here: the side server is down
    server = await ownWebServer({ DATABASE_URL: `file:${E2E_DB}`, PUBLIC_READ: "false", REALTIME_INTERNAL_URL: `http://127.0.0.1:${nobody}`, LOG_LEVEL: "debug", LOG_FORMAT: "auto" });
  });
  test.afterAll(() => server?.stop());

  test("/livez stays 200 and /readyz is 503, naming the side server; reads still need a session", async () => {
    const live = await fetch(`${server.base}/livez`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${server.base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; reasons: string[]; checks: { sideServer: { status: number | null } } };
    expect(body).toMatchObject({ status: "not ready", checks: { sideServer: { status: null } } });
    expect(body.reasons).toEqual([expect.stringMatching(new RegExp(`^side server unreachable at http://127\\.0\\.0\\.1:${nobody}/readyz: `))]);
    expect((await fetch(`${server.base}/api/alerts/attention`)).status).toBe(401);
  });

  test("its log is JSON events: each request with its id, and no token from a query", async () => {
    const secret = "e2e-secret-token-5f0c";
    expect((await fetch(`${server.base}/api/alerts/attention?token=${secret}`, { headers: { "x-request-id": "e2e-logged-1" } })).status).toBe(401);
    await expect
      .poll(() => server.output().some((line) => line.includes("e2e-logged-1")), { timeout: 5_000 })
      .toBe(true);
    const lines = server.output();
    // Not a terminal (a pipe): JSON whatever LOG_FORMAT=auto would do on one. The one line that is
    // not ours is Next's own, printed while it loads its config (no option turns it off).
    // Next colours it when FORCE_COLOR is set (Playwright sets it).
    const ours = lines.filter((line) => !/^\s*✓ Running next\.config\.js took [\d.]+m?s$/.test(line.replace(/\x1b\[[\d;]*m/g, "")));
    expect(lines.length - ours.length).toBeLessThanOrEqual(1);
    const events = ours.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e.reqId === "e2e-logged-1")).toMatchObject({ component: "web-server", msg: "request", method: "GET", status: 401, url: "/api/alerts/attention?token=[Redacted]" });
    expect(events.find((e) => e.msg === "listening")).toMatchObject({ component: "web-server", port: expect.any(Number) });
    expect(lines.join("\n")).not.toContain(secret);
  });
});

test("a web server in front of a ready side server is ready, under PUBLIC_READ=false too", async () => {
  const server = await ownWebServer({ DATABASE_URL: `file:${E2E_DB}`, PUBLIC_READ: "false" });
  try {
    const ready = await fetch(`${server.base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, expect.objectContaining({ ready: true, checks: expect.objectContaining({ sideServer: expect.objectContaining({ status: 200 }) }) })]);
  } finally {
    server.stop();
  }
});
