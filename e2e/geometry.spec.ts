/**
 * The wall on every geometry it is designed for: 16:9 (1920×1080, 3840×2160), 32:9
 * (3840×1080, 7680×2160), 48:9 (5760×1080), a 1080p screen at 150 % OS scaling, and a
 * window resized live. Each time: no scrollbars, panels side by side without overlap,
 * every text inside its panel and no smaller than the minimum; screenshots attached.
 */
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { MIN_TEXT_REM, wallLayoutOf } from "@/lib/wall/layout";

interface Problems {
  scroll: { x: number; y: number };
  overlaps: string[];
  outside: string[];
  small: string[];
  panels: number;
  rem: number;
}

/** Measures the page as laid out now: every panel's box, every text's box and size. */
function measure(page: Page): Promise<Problems> {
  return page.evaluate((minRem) => {
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
    const panels = [...document.querySelectorAll<HTMLElement>("section[data-testid^='panel-']")];
    const box = (e: Element) => e.getBoundingClientRect();
    const overlaps: string[] = [];
    panels.forEach((a, i) =>
      panels.slice(i + 1).forEach((b) => {
        const [p, q] = [box(a), box(b)];
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (w > 0.5 && h > 0.5) overlaps.push(`${a.dataset.testid} × ${b.dataset.testid}`);
      }),
    );
    const outside: string[] = [];
    const small: string[] = [];
    const texts = [...document.querySelectorAll("body *")].filter(
      (e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()) && box(e).width > 0,
    );
    for (const e of texts) {
      const label = `${e.tagName.toLowerCase()} "${e.textContent?.trim().slice(0, 24)}"`;
      const size = parseFloat(getComputedStyle(e).fontSize);
      if (size < minRem * rem - 0.05) small.push(`${label} ${size}px`);
      const panel = e.closest("section[data-testid^='panel-']");
      const r = box(e);
      const frame = panel ? box(panel) : { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
      if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1) outside.push(label);
    }
    const root = document.documentElement;
    return { scroll: { x: root.scrollWidth - root.clientWidth, y: root.scrollHeight - root.clientHeight }, overlaps, outside: outside.slice(0, 10), small: small.slice(0, 10), panels: panels.length, rem };
  }, MIN_TEXT_REM);
}

async function expectWellLaidOut(page: Page, testInfo: TestInfo, name: string, expectedPanels: number): Promise<void> {
  await expect(page.getByTestId(testIds.panel("traffic"))).toBeVisible();
  // Every chart has drawn at this size (ECharts arrives as a chunk of its own).
  const charts = page.locator("[data-testid^='chart-'][role='img']");
  await expect(charts.first()).toBeVisible();
  await expect(page.locator("[data-testid^='chart-'][role='img']:not(:has(svg path))")).toHaveCount(0);
  const problems = await measure(page);
  expect(problems.panels).toBe(expectedPanels);
  expect({ scroll: problems.scroll, overlaps: problems.overlaps, outside: problems.outside, small: problems.small }).toEqual({ scroll: { x: 0, y: 0 }, overlaps: [], outside: [], small: [] });
  const path = testInfo.outputPath(`wall-${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(`wall-${name}`, { path, contentType: "image/png" });
}

const GEOMETRIES = [
  { width: 1920, height: 1080, panels: 7 },
  { width: 3840, height: 2160, panels: 7 },
  { width: 3840, height: 1080, panels: 11 },
  { width: 5760, height: 1080, panels: 11 },
  { width: 7680, height: 2160, panels: 11 },
];

for (const { width, height, panels } of GEOMETRIES) {
  test(`${width}×${height}: the ${wallLayoutOf(width, height)} layout fills the wall, nothing overlaps or shrinks below ${MIN_TEXT_REM} rem`, async ({ browser }, testInfo) => {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto("/");
    await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
    await expect(page.locator("main[data-layout]")).toHaveAttribute("data-layout", wallLayoutOf(width, height));
    // Charts draw at the wall's own pixel size: the rem (and with it every chart) scales with the height.
    expect((await measure(page)).rem).toBeCloseTo(Math.max(12, Math.min(width / 120, height / 67.5)), 3);
    await page.waitForTimeout(1_000);
    await expectWellLaidOut(page, testInfo, `${width}x${height}`, panels);
    await page.close();
  });
}

test("a 1080p screen at 150 % OS scaling, and a window resized live from 16:9 to 48:9 and back", async ({ browser }, testInfo) => {
  const scaled = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1.5 });
  await scaled.goto("/");
  await expect(scaled.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await expectWellLaidOut(scaled, testInfo, "1280x720@1.5x", 7);
  await scaled.close();

  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await page.setViewportSize({ width: 5760, height: 1080 });
  await expect(page.locator("main[data-layout]")).toHaveAttribute("data-layout", "ultrawide");
  await page.waitForTimeout(1_000);
  await expectWellLaidOut(page, testInfo, "resized-5760x1080", 11);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(page.locator("main[data-layout]")).toHaveAttribute("data-layout", "standard");
  await page.waitForTimeout(1_000);
  await expectWellLaidOut(page, testInfo, "resized-back-1920x1080", 7);
  await page.close();
});
