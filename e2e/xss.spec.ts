/**
 * A hostile name in a real ECharts tooltip renders as text. ECharts sets a tooltip
 * formatter's return value as innerHTML, so this runs our real option builders
 * (lib/charts) in the wall's real ECharts setup (components/charts/echarts.ts),
 * bundled with esbuild into a blank page: no web server, no test route in the product.
 * A control chart with an unescaped formatter proves the checks would catch an injection.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, test, type Page } from "@playwright/test";

const IMG = "<img src=x onerror=alert(1)>";
// `&amp;` bites only if `&` itself is escaped: unescaped, the browser would show "&".
const QUOTES = `"&<>' &amp;`;

type ChartKind = "trend" | "investment" | "bars" | "unescaped-control";

declare global {
  interface Window {
    /** Set by alert(), which the hostile label's onerror calls. */
    __xss?: boolean;
    /** Every <img> ever added to the page. */
    __imgs?: number;
    showChart?: (kind: ChartKind, text: string) => void;
  }
}

/** Runs in the page: builds one chart with `text` as its names and shows its tooltip on the first point. */
const ENTRY = `
import { echarts } from "./components/charts/echarts";
import { metricById } from "./lib/catalog";
import { districtBarsOption } from "./lib/charts/district-bars";
import { investmentOption } from "./lib/charts/investment";
import { trendOption } from "./lib/charts/trend";
import { REFERENCE_FIGURES, SERIES } from "./lib/reference/figures";

window.showChart = (kind, text) => {
  const base = metricById("traffic.congestionIndex");
  const metric = { ...base, label: { zh: text, en: text }, unit: { zh: text, en: text } };
  const t0 = Date.UTC(2026, 10, 25, 2);
  const option =
    kind === "trend" ? trendOption({ metric, points: [[t0, 5], [t0 + 1000, 6]], endMs: t0 + 1000, windowMs: 60_000, rem: 16 })
    : kind === "investment" ? investmentOption({ lang: "zh", rem: 16, figures: REFERENCE_FIGURES.map((f) => f.series === SERIES.globalInvestment && f.year === 2019 ? { ...f, note: text, source: text, unit: text } : f) })
    : kind === "bars" ? districtBarsOption({ metric, rem: 16, bars: [{ name: text, value: 5 }, { name: "福田", value: 7 }] })
    // What a formatter that forgot escapeHtml would do.
    : { tooltip: {}, xAxis: { type: "category", data: ["a"] }, yAxis: { type: "value" }, series: [{ type: "bar", data: [1], tooltip: { formatter: () => text } }] };
  // As EChartRenderer does: SVG renderer, the wall's registered components only.
  const chart = echarts.init(document.getElementById("chart"), null, { renderer: "svg" });
  chart.setOption(option);
  chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 0 });
};
`;

let bundle = "";
test.beforeAll(async () => {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: fileURLToPath(new URL("..", import.meta.url)), loader: "ts" },
    bundle: true,
    format: "iife",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  bundle = result.outputFiles[0]?.text ?? "";
});

async function showChart(page: Page, kind: ChartKind, text: string) {
  await page.setContent(`<div id="chart" style="width:800px;height:400px"></div>`);
  await page.evaluate(() => {
    window.alert = () => {
      window.__xss = true;
    };
    window.__imgs = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) window.__imgs! += n.matches("img") ? 1 : n.querySelectorAll("img").length;
    }).observe(document, { childList: true, subtree: true });
  });
  await page.addScriptTag({ content: bundle });
  await page.evaluate(([k, t]) => window.showChart!(k, t), [kind, text] as const);
  // ECharts appends the HTML tooltip beside its SVG root, inside the chart's container.
  return page.locator("#chart > div:not(:has(svg))");
}

const injected = (page: Page) => page.evaluate(() => ({ xss: window.__xss === true, imgsEver: window.__imgs, imgsNow: document.querySelectorAll("img").length }));

for (const kind of ["trend", "investment", "bars"] as const) {
  for (const text of [IMG, QUOTES]) {
    test(`${kind} tooltip shows ${text} as text`, async ({ page }) => {
      const tooltip = await showChart(page, kind, text);
      await expect(tooltip).toBeVisible();
      await expect(tooltip).toContainText(text);
      // Give a stray onerror the time the control below needs to fire.
      await page.waitForTimeout(200);
      expect(await injected(page)).toEqual({ xss: false, imgsEver: 0, imgsNow: 0 });
    });
  }
}

test("control: an unescaped formatter does inject, so the checks above can fail", async ({ page }) => {
  const tooltip = await showChart(page, "unescaped-control", IMG);
  await expect(tooltip).toBeVisible();
  await expect(tooltip).not.toContainText(IMG);
  await expect.poll(async () => (await injected(page)).xss).toBe(true);
  expect(await injected(page)).toMatchObject({ imgsEver: expect.any(Number), imgsNow: 1 });
  expect((await injected(page)).imgsEver).toBeGreaterThan(0);
});
