/**
 * Kiosk mode: a wall nobody touches. No chrome, no selection, the cursor gone once the
 * mouse rests, a rotation through its views at their own durations, and a new deploy
 * picked up by a full load at the next view change.
 */
import { expect, test, type Page } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";
import { calmWall } from "./calm";

test.beforeAll(calmWall);

const ROTATION = "views=wall:5,parking:4";

/** Marks this document: a client-side view change keeps the mark, a full page load loses it. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { documentMark?: number }).documentMark = 1));
}
const documentMarked = (page: Page) => page.evaluate(() => (window as unknown as { documentMark?: number }).documentMark === 1);

test("a kiosk wall shows no controls and no cursor, and rotates through its views at their own pace", async ({ page }) => {
  await page.goto(`/?kiosk=1&${ROTATION}`);
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await expect(page.locator("html")).toHaveAttribute("data-kiosk", "1");
  // The controls are there for desks, hidden here: 详情 links, range buttons, replay, language, map layers.
  // 5 详情 links (the domains and the alerts), 4 range controls, the header controls and the map layer switch.
  expect(await page.locator("[data-chrome]").count()).toBe(11);
  await expect(page.locator("[data-chrome]:visible")).toHaveCount(0);
  await expect(page.getByTestId(testIds.panelLink("traffic"))).toBeHidden();
  expect(await page.evaluate(() => getComputedStyle(document.body).userSelect)).toBe("none");

  await page.mouse.move(600, 400);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector("main") as Element).cursor)).not.toBe("none");
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.querySelector("main") as Element).cursor), { timeout: 5_000 }).toBe("none");

  await markDocument(page);
  const start = Date.now();
  await expect(page).toHaveURL(/\/parking\?kiosk=1&views=wall%3A5%2Cparking%3A4$/, { timeout: 10_000 });
  const onWall = Date.now() - start;
  await expect(page.getByTestId(testIds.rankTable("parking")).locator("tbody tr[data-entity]")).toHaveCount(10);
  await expect(page.locator("[data-chrome]:visible")).toHaveCount(0);
  await expect(page).toHaveURL(/\/\?kiosk=1&views=/, { timeout: 10_000 });
  const onParking = Date.now() - start - onWall;
  // The wall's 5 s (counted from the mark, a little after it appeared), then parking's 4 s.
  expect(onWall).toBeLessThan(6_000);
  expect(onParking).toBeGreaterThan(3_500);
  expect(onParking).toBeLessThan(6_000);
  // Same build on the server: every change was a client-side navigation of one document.
  expect(await documentMarked(page)).toBe(true);
});

test("after a deploy, the kiosk loads the new build at its next view change", async ({ page }) => {
  await page.goto(`/?kiosk=1&${ROTATION}`);
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await markDocument(page);
  // The web server now answers with another build id, as it does after `npm run build` and a restart.
  await page.route("**/api/version", (route) => route.fulfill({ json: { buildId: "a-newer-build" } }));
  await expect(page).toHaveURL(/\/parking\?kiosk=1/, { timeout: 10_000 });
  await expect(page.getByTestId(testIds.rankTable("parking"))).toBeVisible();
  expect(await documentMarked(page)).toBe(false);
});

test("the web server's build id is the one the page was built with", async ({ request }) => {
  const { buildId } = (await (await request.get("/api/version")).json()) as { buildId: string };
  expect(buildId).toMatch(/^\d{14}-[a-z0-9]+$/);
});

test("a critical alert nobody has acknowledged holds the rotation on the wall; acknowledged, it goes on", async ({ page, request }) => {
  const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
  const rule = `${REALTIME_URL}/alerts/rules/e2e-kiosk-hold`;
  // Breached by the city's congestion index at once.
  const breached = { name: { zh: "轮播暂停（测试）", en: "Rotation hold (test)" }, metricId: "traffic.congestionIndex", scope: "shenzhen", direction: "above", threshold: 0.1, clearAt: 0, forSeconds: 0, severity: "critical" };
  await page.goto(`/?kiosk=1&views=wall:3,parking:3`);
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  expect((await request.put(rule, { headers: auth, data: breached })).status()).toBe(200);
  try {
    await expect(page.getByTestId(testIds.panel("alerts"))).toHaveAttribute("data-attention", "true");
    // Three of the wall's 3 s turns pass without leaving it.
    await page.waitForTimeout(10_000);
    await expect(page).toHaveURL(/\/\?kiosk=1/);
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: { id: string; ruleId: string }[] };
    for (const a of alerts.filter((x) => x.ruleId === "e2e-kiosk-hold")) {
      expect((await request.post(`${REALTIME_URL}/alerts/${a.id}/ack`, { headers: auth, data: { by: "duty-officer" } })).status()).toBe(200);
    }
    await expect(page).toHaveURL(/\/parking\?kiosk=1/, { timeout: 10_000 });
  } finally {
    await request.put(rule, { headers: auth, data: { ...breached, threshold: 10, clearAt: 9.9 } });
    await request.delete(rule, { headers: auth });
  }
});
