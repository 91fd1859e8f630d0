/**
 * A critical alert on the wall: the feed shows it by mark, word and colour, the panel of
 * its domain, the map and the feed are framed in red (the map also outlines an alert's district).
 * Acknowledged at a desk, every wall lets go of it; when the condition clears it resolves.
 */
import { expect, test, type Page } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const RULE = `${REALTIME_URL}/alerts/rules/e2e-city-congestion`;
// Breached by any city congestion index at once: the alert opens on the next tick.
const breached = { name: { zh: "全市拥堵（测试）", en: "City congestion (test)" }, metricId: "traffic.congestionIndex", scope: "shenzhen", direction: "above", threshold: 0.1, clearAt: 0, forSeconds: 0, severity: "critical" };

/** Counts the tones the page starts, through the real Web Audio API. */
const countTones = () => {
  const w = window as unknown as { tones: number };
  w.tones = 0;
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    w.tones++;
    return create.call(this);
  };
};
const tones = (page: Page) => page.evaluate(() => (window as unknown as { tones: number }).tones);

test("a critical alert draws the wall's attention to its panel, the map and the feed; acknowledging lets go on every wall; it resolves when the condition clears", async ({ page, browser, request }) => {
  await page.addInitScript(countTones);
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-attention", "false");
  expect((await request.put(RULE, { headers: auth, data: breached })).status()).toBe(200);
  try {
    const item = page.getByTestId(testIds.alertFeed).locator("li[data-severity='critical']").first();
    await expect(item).toContainText("◆ 严重");
    await expect(item).toContainText("全市拥堵（测试） · 深圳市");
    await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-attention", "true");
    await expect(page.getByTestId(testIds.panel("map"))).toHaveAttribute("data-attention", "true");
    await expect(page.getByTestId(testIds.panel("alerts"))).toHaveAttribute("data-attention", "true");
    await expect(page.getByTestId(testIds.panel("parking"))).toHaveAttribute("data-attention", "false");
    // The city's congestion chart shades the open alert's period in the critical colour.
    await expect(page.getByTestId(testIds.chart("traffic-trend")).locator("path[fill='rgb(248,113,113)']").first()).toBeAttached();
    // The frame is drawn, not only flagged.
    expect(await page.getByTestId(testIds.panel("traffic")).evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
    await page.screenshot({ path: test.info().outputPath("attention-1920x1080.png") });
    // Silent unless asked for: ?chime=1 plays two tones for a new critical alert.
    expect(await tones(page)).toBe(0);
    const chiming = await browser.newPage();
    await chiming.addInitScript(countTones);
    await chiming.goto("/?chime=1");
    await expect.poll(() => tones(chiming)).toBe(2);
    await chiming.close();

    // Acknowledged at a desk (what /alerts does for an operator): every wall lets go, the feed keeps it, marked with who.
    const id = await item.getAttribute("data-testid");
    const ack = await request.post(`${REALTIME_URL}/alerts/${id?.replace(/^alert-/, "")}/ack`, { headers: auth, data: { by: "duty-officer", comment: "已派员处置" } });
    expect(ack.status()).toBe(200);
    await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-attention", "false");
    await expect(page.getByTestId(testIds.panel("alerts"))).toHaveAttribute("data-attention", "false");
    await expect(page.getByTestId(testIds.alertFeed).locator(`li[data-testid='${id}']`)).toContainText("✓ duty-officer");
  } finally {
    // A threshold no city reaches: the open alert clears at once and resolves by itself.
    expect((await request.put(RULE, { headers: auth, data: { ...breached, threshold: 10, clearAt: 9.9 } })).status()).toBe(200);
  }
  await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-attention", "false", { timeout: 10_000 });
  await expect(page.getByTestId(testIds.alertFeed).locator("li", { hasText: "全市拥堵（测试）" })).toHaveCount(0);
  // Resolved, it stays in the record: the last hour, read from stored history, still shades when it was open.
  const trend = page.getByTestId(testIds.chart("traffic-trend"));
  await expect(trend.locator("path[fill='rgb(248,113,113)']")).toHaveCount(0);
  await page.getByTestId(testIds.chartRange("traffic-trend", "1h")).click();
  await expect(trend.locator("path[fill='rgb(248,113,113)']").first()).toBeAttached();
  expect((await request.delete(RULE, { headers: auth })).status()).toBe(200);
});
