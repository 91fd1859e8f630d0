/**
 * The wall on every geometry it is designed for: 16:9 (1920×1080, 3840×2160), 32:9
 * (3840×1080, 7680×2160), 48:9 (5760×1080), a 1080p screen at 150 % OS scaling, and a
 * window resized live. Each time: no scrollbars, panels side by side without overlap,
 * every text inside its panel and no smaller than the minimum; screenshots attached. Then
 * walls of several screens (`?tiles=`): no text or panel on a seam's bezel band; and a
 * viewing distance that raises the smallest text to what can be read from there.
 */
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { MIN_TEXT_REM, wallLayoutOf } from "@/lib/wall/layout";
import { legibleFontPx } from "@/lib/wall/geometry";
import { calmWall } from "./calm";

test.beforeAll(calmWall);

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

/** Every text and panel box that reaches into a seam's band (`bezel` page pixels centred on each seam). */
function onSeams(page: Page, across: number, down: number, bezel: number): Promise<string[]> {
  return page.evaluate(
    ({ across, down, bezel }) => {
      const seamsX = Array.from({ length: across - 1 }, (_, i) => ((i + 1) * innerWidth) / across);
      const seamsY = Array.from({ length: down - 1 }, (_, i) => ((i + 1) * innerHeight) / down);
      const hits: string[] = [];
      const boxes = [...document.querySelectorAll("body *")].filter(
        (e) => e.matches("section[data-testid^='panel-']") || [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
      );
      for (const e of boxes) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const crosses = seamsX.some((x) => r.left < x + bezel / 2 && r.right > x - bezel / 2) || seamsY.some((y) => r.top < y + bezel / 2 && r.bottom > y - bezel / 2);
        if (crosses) hits.push(`${e.tagName.toLowerCase()} "${e.textContent?.trim().slice(0, 24)}" ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
      return hits;
    },
    { across, down, bezel },
  );
}

const SCREENS = [
  { width: 3840, height: 2160, across: 2, down: 2, bezel: 30, lang: "zh", panels: 9 },
  { width: 3840, height: 2160, across: 2, down: 2, bezel: 30, lang: "en", panels: 9 },
  { width: 5760, height: 1080, across: 3, down: 1, bezel: 20, lang: "en", panels: 11 },
  { width: 7680, height: 2160, across: 4, down: 2, bezel: 24, lang: "zh", panels: 11 },
];

for (const { width, height, across, down, bezel, lang, panels } of SCREENS) {
  test(`${across}×${down} screens at ${width}×${height} (${lang}), ${bezel} px bezels: no text or panel on a seam`, async ({ browser }, testInfo) => {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`/?tiles=${across}x${down}&bezel=${bezel}&lang=${lang}`);
    await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
    await expect(page.locator("main[data-layout]")).toHaveAttribute("data-layout", "tiled");
    await expect(page.getByTestId(testIds.header)).toHaveAttribute("data-screens", String(across));
    await page.waitForTimeout(1_000);
    expect(await onSeams(page, across, down, bezel)).toEqual([]);
    await expectWellLaidOut(page, testInfo, `screens-${across}x${down}-${width}x${height}-${lang}`, panels);
    // A control with its text leaves the seams too after a language switch, which keeps the screens.
    await page.getByText(lang === "zh" ? "English" : "中文").click();
    await expect(page).toHaveURL(new RegExp(`tiles=${across}x${down}`));
    await expect(page.getByTestId(testIds.header)).toHaveAttribute("data-screens", String(across));
    expect(await onSeams(page, across, down, bezel)).toEqual([]);
    await page.close();
  });
}

test("a viewing distance raises the smallest text to what is legible there, with fewer panels, and says when the wall cannot", async ({ browser }, testInfo) => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  // One 55″ screen (0.63 mm pixels) read from 1.5 m: 16-arc-minute capitals need 15.8 px text.
  await page.goto("/?distance=1.5");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await expect(page.locator("main[data-layout]")).toHaveAttribute("data-layout", "tiled");
  const rem = (await measure(page)).rem;
  expect(rem * MIN_TEXT_REM).toBeCloseTo(legibleFontPx(1.5, 0.63, 1), 1);
  await page.waitForTimeout(1_000);
  // expectWellLaidOut holds every text to MIN_TEXT_REM of this larger rem; two domains fit.
  await expectWellLaidOut(page, testInfo, "distance-1.5m-1920x1080", 2);
  await expect(page.getByTestId(testIds.geometryProblem)).toHaveCount(0);

  // From 10 m no layout can be read: the wall says so rather than pretend.
  await page.goto("/?distance=10&lang=en");
  await expect(page.getByTestId(testIds.geometryProblem)).toContainText(`viewing distance needs text ≥ ${Math.ceil(legibleFontPx(10, 0.63, 1))} px`);
  await page.close();
});
