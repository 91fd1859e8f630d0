/**
 * The wall in a real browser against the production build and the real side
 * server (started by playwright.config.ts exactly as `npm start` does).
 */
import { expect, test, type Page } from "@playwright/test";
import { DOMAINS } from "@/lib/catalog";
import { palette } from "@/lib/charts/theme";
import { testIds } from "@/lib/testids";

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

async function kpiTexts(page: Page): Promise<string[]> {
  return page.locator("[data-testid^='kpi-'] [data-value]").allTextContents();
}

test("every panel renders live data, the link is up and nothing overflows at 1920×1080", async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  for (const domain of DOMAINS) {
    const panel = page.getByTestId(testIds.panel(domain));
    await expect(panel).toBeVisible();
    await expect(panel).toHaveAttribute("data-stale", "false");
    await expect(panel.locator("[data-value]").first()).not.toHaveText("—");
    // both charts drew: the trend line (in the series colour) and ten district bars
    await expect(page.getByTestId(testIds.chart(`${domain}-trend`)).locator(`svg path[stroke="${palette.accent}"]`).first()).toHaveAttribute("d", /L.*L/);
    await expect(page.getByTestId(testIds.chart(`${domain}-districts`)).locator("svg text", { hasText: "福田" })).toBeVisible();
  }
  await expect(page.getByTestId(testIds.districtTable).locator("tbody tr")).toHaveCount(10);
  await expect(page.getByTestId(testIds.panelAge("traffic"))).toHaveText(/\d+ 秒前/);

  const overflow = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
  }));
  expect(overflow).toEqual({ x: 0, y: 0 });

  await page.waitForTimeout(1_500);
  await page.screenshot({ path: testInfo.outputPath("wall-1920x1080.png") });
  await testInfo.attach("wall-1920x1080", { path: testInfo.outputPath("wall-1920x1080.png"), contentType: "image/png" });
  expect(errors).toEqual([]);
});

test("figures move within 5 seconds, updated in place", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  const before = await kpiTexts(page);
  // ECharts arrives in its own chunk after the page: take the chart once it has drawn its line
  // (echarts-for-react may initialise twice while mounting; that is not an update).
  await expect(page.getByTestId(testIds.chart("parking-trend")).locator(`svg path[stroke="${palette.accent}"]`).first()).toHaveAttribute("d", /L.*L/);
  const chartHandle = await page.getByTestId(testIds.chart("parking-trend")).locator("svg").first().elementHandle();
  await expect.poll(async () => (await kpiTexts(page)).some((text, i) => text !== before[i]), { timeout: 5_000, intervals: [250] }).toBe(true);
  // Same SVG element: the chart was updated, not re-created.
  expect(await chartHandle?.evaluate((el) => el.isConnected)).toBe(true);
});

test("the reference page's investment chart shows 2019–2024 with reported, forecast and derived told apart", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "参考数据" }).click();
  await expect(page).toHaveURL(/\/reference$/);
  const chart = page.getByTestId(testIds.chart("investment"));
  for (const year of ["2019", "2020", "2021", "2022", "2023", "2024"]) {
    await expect(chart.locator("svg text", { hasText: new RegExp(`^${year}$`) })).toBeVisible();
  }
  await expect(chart.locator("svg text", { hasText: "预测" }).first()).toBeVisible();
  await expect(chart.locator("svg text", { hasText: "推算" }).first()).toBeVisible();
  await expect(page.getByTestId(testIds.panel("investment"))).toContainText("来源");

  const api = await page.request.get("/api/reference/investment");
  expect(api.status()).toBe(200);
  const { figures } = (await api.json()) as { figures: { year: number; kind: string; source: string; derivation: string | null }[] };
  expect(new Set(figures.map((f) => f.kind))).toEqual(new Set(["reported", "forecast", "derived"]));
  expect(figures.filter((f) => f.kind === "derived").every((f) => f.derivation)).toBe(true);
});

test("English is a switch away, and a 4K wall is filled at twice the size", async ({ page }, testInfo) => {
  await page.goto("/?lang=en");
  await expect(page.getByTestId(testIds.panel("traffic"))).toContainText("Traffic");
  await expect(page.getByTestId(testIds.panel("traffic"))).toContainText("Congestion index");

  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  const box = await page.getByTestId(testIds.panel("broadband")).boundingBox();
  // the last panel reaches the bottom-right corner: filled, not letterboxed
  expect(box && box.x + box.width).toBeGreaterThan(3840 * 0.98);
  expect(box && box.y + box.height).toBeGreaterThan(2160 * 0.97);
  const titleSize = await page.getByTestId(testIds.header).locator("h1").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  // 2 rem at 32 px; Chromium computes the viewport-based rem to within a thousandth of a pixel.
  expect(titleSize).toBeCloseTo(64, 2);
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: testInfo.outputPath("wall-3840x2160.png") });
});
