/**
 * PUBLIC_READ=false in a real Chromium, on a stack of its own (npm start's scripts/start.ts on
 * free ports, its own database): nothing reads without a session; a kiosk wall enrolled with
 * `npm run user -- device create` opens once with its token in the URL, gets a long-lived
 * cookie, streams live (the side server takes its socket by that cookie) under the CSP; the
 * token in the URL is spent; a revoked device is sent to the sign-in page at its next request;
 * a person signs in and reads the desk. The playwright.config stack checks PUBLIC_READ=true.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { palette } from "../lib/charts/theme";
import { testIds } from "../lib/testids";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const db = join(tmpdir(), `onescreen-e2e-private-${Date.now()}.db`);
const env = { ...process.env, DATABASE_URL: `file:${db}`, ADMIN_TOKEN: randomBytes(24).toString("hex"), PUBLIC_READ: "false", SIM_BACKFILL_HOURS: "1", NEXT_TELEMETRY_DISABLED: "1" };
let stack: ChildProcess;
let base = "";

function user(...args: string[]): string {
  return execFileSync("npx", ["tsx", "scripts/user.ts", ...args], { env: { ...env, ONESCREEN_PASSWORD: "harbour-lantern-desk-9" }, encoding: "utf8" });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const [web, realtime] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${web}`;
  stack = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: { ...env, PORT: String(web), REALTIME_PORT: String(realtime) }, stdio: "ignore" });
  await expect.poll(async () => (await fetch(`${base}/login`).catch(() => null))?.status, { timeout: 110_000, intervals: [500] }).toBe(200);
});

test.afterAll(async () => {
  stack.kill("SIGTERM");
  await new Promise((resolve) => stack.once("exit", resolve));
});

test("PUBLIC_READ=false: nothing reads without a session; a kiosk enrolled as a device streams live under the CSP until revoked; a person signs in", async ({ browser }) => {
  test.setTimeout(120_000);
  // Without a session: pages go to the sign-in page, read APIs are 401, the sign-in page and the build id stay open.
  for (const path of ["/", "/alerts", "/handover", "/parking", "/no-such-page"]) {
    const answer = await fetch(`${base}${path}`, { redirect: "manual" });
    expect([path, answer.status, answer.headers.get("location")]).toEqual([path, 303, `/login?next=${encodeURIComponent(path)}`]);
  }
  for (const path of ["/api/history?metric=parking.occupancy&entity=shenzhen&from=0&to=1", "/api/replay?from=0&to=1&speed=1", "/api/alerts/attention", "/api/reference/investment", "/api/handover"]) {
    const answer = await fetch(`${base}${path}`);
    expect([path, answer.status, await answer.json()]).toEqual([path, 401, { error: "session: reading needs a signed-in session or a device credential (PUBLIC_READ=false)" }]);
  }
  expect((await fetch(`${base}/api/version`)).status).toBe(200);

  const token = /device=([\w-]+)/.exec(user("device", "create", "wall-lobby"))![1]!;
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (message) => message.type() === "error" && violations.push(message.text()));
  await page.goto(`${base}/?kiosk=1&device=${token}`);
  // The token is traded for a cookie and taken out of the address.
  await expect(page).toHaveURL(`${base}/?kiosk=1`);
  const [cookie] = await context.cookies();
  expect(cookie).toMatchObject({ name: "onescreen_session", httpOnly: true, sameSite: "Strict" });
  expect(cookie!.value).not.toBe(token);
  expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(300 * 86_400);
  // The side server took the socket by that cookie: frames arrive and the charts draw.
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
  await expect(page.getByTestId(testIds.chart("parking-trend")).locator(`svg path[stroke="${palette.accent}"]`).first()).toHaveAttribute("d", /L.*L/);
  expect(violations).toEqual([]);

  // The token in the URL is spent: opened again elsewhere, it is refused.
  const stranger = await browser.newPage();
  await stranger.goto(`${base}/?kiosk=1&device=${token}`);
  await expect(stranger).toHaveURL(/\/login\?next=%2F%3Fkiosk%3D1&error=device$/);
  await expect(stranger.locator("main p[role=alert]")).toContainText("设备凭证无效");
  await stranger.close();

  // Revoked: its next request goes to the sign-in page.
  user("device", "revoke", "wall-lobby");
  await page.reload();
  await expect(page).toHaveURL(/\/login\?next=%2F%3Fkiosk%3D1$/);
  await expect(page.getByText("本中心查看大屏与告警也需登录")).toBeVisible();
  await context.close();

  // A person signs in and reads the desk.
  user("create", "desk-viewer", "--role", "viewer");
  const desk = await browser.newPage();
  await desk.goto(`${base}/alerts`);
  await expect(desk).toHaveURL(/\/login\?next=%2Falerts$/);
  await desk.getByLabel("用户名").fill("desk-viewer");
  await desk.getByLabel("密码").fill("harbour-lantern-desk-9");
  await desk.getByRole("button", { name: "登录" }).click();
  await expect(desk).toHaveURL(`${base}/alerts`);
  await expect(desk.getByTestId("user-name")).toHaveText("desk-viewer");
  // The shift handover reads like /alerts: its page and its CSV (history read in the same process as the session check).
  await desk.goto(`${base}/handover`);
  await expect(desk.getByRole("heading", { name: "交接班" })).toBeVisible();
  await expect(desk.getByTestId("handover-figures").getByTestId("handover-row-figures")).toHaveCount(12);
  const csv = await desk.request.get(`${base}/api/handover`);
  expect([csv.status(), csv.headers()["content-type"]]).toEqual([200, "text/csv; charset=utf-8"]);
  await desk.close();
});
