/**
 * A wall PC's own clock is not the source clock: set back ten minutes (NTP, a VM resuming,
 * an operator), the wall keeps the side server's time, its data stays "seconds ago" and
 * its charts go on. The page's clock is Playwright's, the side server's the real one.
 */
import { expect, test, type Page } from "@playwright/test";
import { testIds } from "@/lib/testids";

const clockTs = async (page: Page) => Number(await page.getByTestId(testIds.clock).getAttribute("data-ts"));

test("a wall PC's clock set back ten minutes: the header keeps the side server's time, data stays seconds old and charts keep moving", async ({ page }, testInfo) => {
  await page.clock.install();
  await page.goto("/");
  const link = page.getByTestId(testIds.linkState);
  await expect(link).toHaveAttribute("data-state", "connected");
  await page.waitForTimeout(2_000);
  expect(Math.abs((await clockTs(page)) - Date.now())).toBeLessThan(3_000);

  await page.clock.setSystemTime(Date.now() - 10 * 60_000);
  const chart = page.locator(`[data-newest]`).first();
  const newestBefore = Number(await chart.getAttribute("data-newest"));
  await page.waitForTimeout(4_000);

  // The side server runs on this machine's clock, which did not move.
  expect(Math.abs((await clockTs(page)) - Date.now())).toBeLessThan(3_000);
  await expect(page.getByTestId(testIds.newestAge)).toHaveText(/^最新数据: [0-4] 秒前$/);
  await expect(link).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-stale", "false");
  expect(Number(await chart.getAttribute("data-newest"))).toBeGreaterThan(newestBefore + 2_000);
  await page.screenshot({ path: testInfo.outputPath("clock-set-back-1920x1080.png") });
});
