/**
 * The web app's security headers in a real Chromium (issue 20, item 6): the wall, its charts
 * and socket, the drill-down pages, the desk (/alerts, sign-in), the login page, a replay,
 * a CSV download and the 404 page all work under the Content-Security-Policy, with not one
 * violation reported; a script injected into the page does not run; another site cannot
 * frame the wall; and a cross-site POST naming this site in X-Forwarded-Host is refused,
 * since no proxy is trusted here (TRUSTED_PROXIES unset).
 */
import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { palette } from "../lib/charts/theme";
import { testIds } from "../lib/testids";
import { shenzhenIso } from "../lib/shenzhen-time";
import { calmWall } from "./calm";
import { ownWebServer } from "./own-web-server";

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

declare global {
  interface Window {
    __violations: Violation[];
    __injected?: boolean;
  }
}

/** Records every CSP violation the page reports, and every console error and uncaught exception. */
async function watch(page: Page): Promise<{ problems(): Promise<string[]> }> {
  const errors: string[] = [];
  page.on("console", (message) => {
    // The 404 page is answered with its status, which Chromium logs as an error: that one is expected.
    if (message.type() === "error" && !message.location().url.endsWith("/no-such-page")) errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => window.__violations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample }));
  });
  return {
    problems: async () => [...errors, ...(await page.evaluate(() => window.__violations ?? [])).map((v) => `csp: ${v.directive} blocked ${v.blocked} ${v.sample}`)],
  };
}

const PASSWORD = "night-desk-lantern-e2e";

test.beforeAll(async () => {
  await calmWall();
});

test("the wall, drill-down, desk, login, replay and a CSV download work under the CSP, with no violation", async ({ page, baseURL }, testInfo) => {
  test.setTimeout(150_000);
  execFileSync("npx", ["tsx", "scripts/user.ts", "create", "e2e-csp-operator", "--role", "operator"], {
    env: { ...process.env, DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}`, ONESCREEN_PASSWORD: PASSWORD },
    stdio: "pipe",
  });
  const watcher = await watch(page);

  // The wall: the socket connects (connect-src), frames arrive, the charts draw (ECharts, a chunk loaded by a nonce'd script).
  const response = await page.goto("/");
  const csp = response!.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  expect(response!.headers()).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY" });
  expect(response!.headers()).not.toHaveProperty("strict-transport-security");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId(testIds.chart("parking-trend")).locator(`svg path[stroke="${palette.accent}"]`).first()).toHaveAttribute("d", /L.*L/);
  await expect(page.getByTestId(testIds.chart("map")).locator("svg text", { hasText: "福田" }).first()).toBeVisible({ timeout: 15_000 });
  // Next's own inline scripts carry this response's nonce.
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  expect(await page.locator("script[nonce]").count()).toBeGreaterThan(0);
  expect(await page.evaluate(() => [...document.scripts].filter((s) => !s.src && !s.nonce).length)).toBe(0);
  expect(await page.evaluate(() => (document.scripts[0] as HTMLScriptElement).nonce)).toBe(nonce);

  // Looked at: styles and charts as without the policy.
  await page.screenshot({ path: testInfo.outputPath("wall-under-csp-1920x1080.png") });
  await page.setViewportSize({ width: 3840, height: 2160 });
  await expect(page.getByTestId(testIds.chart("parking-trend")).locator(`svg path[stroke="${palette.accent}"]`).first()).toHaveAttribute("d", /L.*L/);
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: testInfo.outputPath("wall-under-csp-3840x2160.png") });
  await page.setViewportSize({ width: 1920, height: 1080 });

  // A chart's longer range reads /api/history, and its CSV downloads through a blob: URL.
  await page.getByTestId(testIds.chartRange("parking-trend", "1h")).click();
  await expect(page.locator(`[data-range="1h"]`).filter({ has: page.getByTestId(testIds.chart("parking-trend")) })).toHaveAttribute("data-history", "ok");
  await page.getByTestId(testIds.chartExportMenu("parking-trend")).click();
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.getByTestId(testIds.chartExport("parking-trend")).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);

  // Drill-down pages, the reference page and an unknown page (the 404 is rendered per request too).
  for (const path of ["/parking", "/district/futian", "/entity/lot-futian-001", "/reference", "/no-such-page"]) {
    const answer = await page.goto(path);
    expect(answer!.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
    await page.waitForLoadState("networkidle");
  }

  // A replay of five stored minutes at 10×: /api/replay, the replayed clock moving.
  const now = Date.now();
  await page.goto(`/?replay=${encodeURIComponent(shenzhenIso(now - 15 * 60_000))}&until=${encodeURIComponent(shenzhenIso(now - 10 * 60_000))}&speed=10`);
  await expect(page.getByTestId(testIds.replayMarker)).toHaveAttribute("data-status", "playing", { timeout: 15_000 });
  const replayed = async () => Number(await page.getByTestId(testIds.replayClock).getAttribute("data-ts"));
  const first = await replayed();
  await expect.poll(replayed, { timeout: 10_000 }).toBeGreaterThan(first + 5_000);

  // The desk: the alert list, the login form, a sign-in (a same-origin POST: its Origin must survive the Referrer-Policy), the signed-in list.
  await page.goto("/alerts");
  await page.goto("/login");
  await page.getByLabel("用户名").fill("e2e-csp-operator");
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByTestId("user-name")).toHaveText("e2e-csp-operator");
  await page.goto("/alerts/rules");
  await page.waitForLoadState("networkidle");

  expect(await watcher.problems()).toEqual([]);
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
});

test("a script injected into the wall's HTML does not run, nor an injected event handler or javascript: link, and the browser reports each", async ({ page, baseURL }) => {
  // As if a stored XSS reached the server's HTML: the real answer, its real headers, with an attacker's markup in it.
  const watcher = await watch(page);
  await page.route((url) => url.pathname === "/" && url.port === new URL(baseURL!).port, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("</body>", `<script>window.__injected = true</script><img src="data:," onload="window.__injected = true"></body>`);
    const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding"));
    await route.fulfill({ status: response.status(), headers, body: html });
  });
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toBeVisible();
  // And markup injected later, as a client-side XSS would write it (a script written into HTML never runs; handlers and links would).
  await page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", `<img src="data:," onerror="window.__injected = true" onload="window.__injected = true"><a id="js-link" href="javascript:window.__injected = true">x</a>`);
    document.getElementById("js-link")!.click();
  });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.__injected)).toBeUndefined();
  const directives = new Set((await page.evaluate(() => window.__violations)).map((v) => v.directive));
  expect([...directives].sort()).toEqual(["script-src-attr", "script-src-elem"]);
  expect((await watcher.problems()).filter((p) => p.startsWith("csp: ")).length).toBeGreaterThanOrEqual(3);
});

test("another site cannot frame the wall (frame-ancestors 'none')", async ({ page, baseURL }) => {
  await page.setContent(`<iframe id="wall" src="${baseURL}/" width="800" height="450"></iframe>`);
  const frame = page.frame({ url: (url) => url.href.startsWith(baseURL!) });
  await page.waitForTimeout(2_000);
  // Chromium replaces a refused frame with an error page: the wall never renders in it.
  const wallRendered = frame ? await frame.getByTestId(testIds.linkState).count().catch(() => 0) : 0;
  expect(wallRendered).toBe(0);
});

test("a cross-site POST naming this site in X-Forwarded-Host is refused: no proxy is trusted", async () => {
  // A web server of its own that trusts no proxy (the shared e2e stack trusts the loopback, so specs can name their clients).
  const server = await ownWebServer({ DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}` });
  try {
    const host = new URL(server.base).host;
    const post = (origin: string) => fetch(`${server.base}/api/auth/logout`, { method: "POST", headers: { origin, "x-forwarded-host": "evil.example" }, redirect: "manual" });
    const refused = await post("https://evil.example");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "origin: https://evil.example is not this site" });
    // The same POST from this site is taken (a 303 back to the wall).
    expect((await post(`http://${host}`)).status).toBe(303);
    // API answers say nosniff too.
    const version = await fetch(`${server.base}/api/version`);
    expect({ nosniff: version.headers.get("x-content-type-options"), referrer: version.headers.get("referrer-policy") }).toEqual({ nosniff: "nosniff", referrer: "same-origin" });
  } finally {
    server.stop();
  }
});
