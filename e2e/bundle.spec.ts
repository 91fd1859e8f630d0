/**
 * The size gate: the JavaScript the wall makes a browser download, gzipped, within
 * the budgets in wall-js.ts. Deterministic for a given build, so it belongs in
 * `npm test`; `npm run bench -- bundle` prints the same figures beside the framework's.
 */
import { expect, test } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { JS_BUDGET_KB, kb, measurePageJs } from "./wall-js";

test("the wall's JavaScript stays within its gzipped budget, ECharts included", async ({ page }, testInfo) => {
  const wallJs = await measurePageJs(page, "/", async (p) => {
    await expect(p.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
    // The ECharts chunk arrives after the page: wait until a chart has drawn.
    await expect(p.getByTestId(testIds.chart("traffic-trend")).locator("svg")).toBeVisible();
  });
  await testInfo.attach("wall-js.json", { body: JSON.stringify(wallJs, null, 2), contentType: "application/json" });

  const echartsChunks = wallJs.files.filter((f) => f.echarts);
  expect(echartsChunks, "ECharts arrives in exactly one chunk of its own").toHaveLength(1);
  expect(wallJs.files.length, "the page, the framework and ECharts").toBeGreaterThan(2);
  expect(kb(wallJs.echartsGzipBytes), "ECharts chunk, gzipped KB").toBeLessThanOrEqual(JS_BUDGET_KB.echarts);
  expect(kb(wallJs.totalGzipBytes), "the wall route's JavaScript, gzipped KB").toBeLessThanOrEqual(JS_BUDGET_KB.route);
});
