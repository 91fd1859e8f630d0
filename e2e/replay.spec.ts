/**
 * Replay and the chart range control in a real browser, checked against the
 * database file the side server writes (the e2e run's own, see playwright.config.ts).
 */
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { CITY_ID } from "@/lib/catalog";
import { CSV_HEADER } from "@/lib/history/csv";
import { shenzhenIso } from "@/lib/shenzhen-time";
import { testIds } from "@/lib/testids";

const FREE_SPACES = "parking.freeSpaces";

function storedCity(metricId: string): { ts: number; value: number }[] {
  const db = new Database(process.env.ONESCREEN_E2E_DB!, { readonly: true });
  try {
    return db.prepare(`SELECT "ts", "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? ORDER BY "ts"`).all(metricId, CITY_ID) as { ts: number; value: number }[];
  } finally {
    db.close();
  }
}

async function waitForStoredSeconds(seconds: number): Promise<{ ts: number; value: number }[]> {
  let rows: { ts: number; value: number }[] = [];
  await expect.poll(() => (rows = storedCity(FREE_SPACES)).length, { timeout: 60_000, intervals: [1_000] }).toBeGreaterThanOrEqual(seconds);
  return rows;
}

/** The replayed time and the free-spaces KPI as drawn in the same frame. */
async function replayedView(page: Page): Promise<{ ts: number; freeSpaces: string }> {
  return page.evaluate(
    ({ clock, kpi }) => ({
      ts: Number(document.querySelector(`[data-testid="${clock}"]`)?.getAttribute("data-ts")),
      freeSpaces: document.querySelector(`[data-testid="${kpi}"] [data-value]`)?.textContent ?? "",
    }),
    { clock: testIds.replayClock, kpi: testIds.kpi(FREE_SPACES) },
  );
}

test("a replay plays the wall through stored data under an unmistakable marker, and leaving it returns to live", async ({ page }, testInfo) => {
  const stored = await waitForStoredSeconds(40);
  const from = stored[stored.length - 35]!.ts;
  const to = stored[stored.length - 5]!.ts;
  await page.goto(`/?replay=${encodeURIComponent(shenzhenIso(from))}&until=${encodeURIComponent(shenzhenIso(to))}&speed=1`);

  const marker = page.getByTestId(testIds.replayMarker);
  await expect(marker).toHaveAttribute("data-status", "playing");
  await expect(marker).toContainText("回放 REPLAY");
  await expect(page.getByTestId(testIds.clock)).toHaveCount(0);
  await expect(page.locator("[data-replay]")).toHaveAttribute("data-replay", "true");

  // The replayed clock runs at 1× from the window's start.
  const first = await replayedView(page);
  expect(first.ts).toBeGreaterThanOrEqual(from);
  expect(first.ts).toBeLessThan(from + 10_000);
  await page.waitForTimeout(3_000);
  const later = await replayedView(page);
  expect(later.ts - first.ts).toBeGreaterThan(2_000);
  expect(later.ts - first.ts).toBeLessThan(4_500);

  // The KPI shows what was stored at the replayed time, not the live figure.
  for (const view of [first, later]) {
    const atThatTime = stored.filter((r) => r.ts <= view.ts).at(-1)!;
    expect(view.freeSpaces.replaceAll(",", "")).toBe(String(Math.round(atThatTime.value)));
  }
  await page.screenshot({ path: testInfo.outputPath("replay-1920x1080.png") });

  await page.getByTestId(testIds.replayExit).click();
  await expect(marker).toHaveCount(0);
  await expect(page.getByTestId(testIds.clock)).toBeVisible();
  await expect(page.locator("[data-replay]")).toHaveAttribute("data-replay", "false");
  expect(new URL(page.url()).searchParams.has("replay")).toBe(false);
  const newest = storedCity(FREE_SPACES).at(-1)!;
  const liveText = await page.getByTestId(testIds.kpi(FREE_SPACES)).locator("[data-value]").textContent();
  // Live again: the figure is one of the newest stored (it moves every second).
  const recent = storedCity(FREE_SPACES).filter((r) => r.ts >= newest.ts - 5_000).map((r) => String(Math.round(r.value)));
  expect(recent).toContain(liveText?.replaceAll(",", ""));
});

test("the replay form starts a 10× replay of the past hour, and the back button returns to live", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await page.getByTestId(testIds.replayOpen).click();
  const form = page.getByTestId(testIds.replayForm);
  await expect(form).toBeVisible();
  await form.getByRole("radio", { name: "10×" }).click();
  await page.getByTestId(testIds.replayStart).click();

  const marker = page.getByTestId(testIds.replayMarker);
  await expect(marker).toBeVisible();
  await expect(marker).toContainText("×10");
  expect(new URL(page.url()).searchParams.get("speed")).toBe("10");
  await expect(marker).toHaveAttribute("data-status", /playing|ended/);
  // The replayed time moves at the wall's 1 s tick: about 30 s of it in 3 s.
  const replayed = async () => Number(await page.getByTestId(testIds.replayClock).getAttribute("data-ts"));
  const atStart = await replayed();
  await expect.poll(replayed).not.toBe(atStart);
  const t0 = await replayed();
  await page.waitForTimeout(3_000);
  const t1 = await replayed();
  expect(t1 - t0).toBeGreaterThanOrEqual(20_000);
  expect(t1 - t0).toBeLessThanOrEqual(40_000);

  await page.goBack();
  await expect(marker).toHaveCount(0);
  await expect(page.getByTestId(testIds.clock)).toBeVisible();
});

test("a chart's range control refetches history, and its CSV holds exactly what it draws", async ({ page }) => {
  await waitForStoredSeconds(20);
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  const caption = page.getByTestId(testIds.chartCaption("parking-trend"));
  await expect(caption).toContainText("近 15分钟");

  await page.getByTestId(testIds.chartRange("parking-trend", "1h")).click();
  await expect(caption).toContainText("近 1小时");
  const container = page.locator(`[data-range="1h"]`).filter({ has: page.getByTestId(testIds.chart("parking-trend")) });
  await expect(container).toHaveAttribute("data-history", "ok");
  expect(Number(await container.getAttribute("data-points"))).toBeGreaterThan(0);

  await page.getByTestId(testIds.chartExportMenu("parking-trend")).click();
  // The menu counts exactly the points drawn; both move on with the live tail, so compare them at one moment.
  const shownLabel = page.getByTestId(testIds.chartExport("parking-trend"));
  const labelled = async () => Number((await shownLabel.textContent())?.match(/（([\d,]+) 点）/)?.[1]?.replace(/,/g, ""));
  await expect.poll(async () => (await labelled()) === Number(await container.getAttribute("data-points"))).toBe(true);
  const drawn = Number(await container.getAttribute("data-points"));
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.getByTestId(testIds.chartExport("parking-trend")).click()]);
  expect(download.suggestedFilename()).toMatch(/^onescreen_parking\.occupancy_shenzhen_\d{8}-\d{4}_\d{8}-\d{4}\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
  expect(lines[0]).toBe(CSV_HEADER);
  const rows = lines.slice(1).map((line) => line.split(","));
  // Within a point or two of what was drawn when clicked (the live tail moves on every second).
  expect(Math.abs(rows.length - drawn)).toBeLessThanOrEqual(2);
  for (const [time, epoch, value, min, max, samples] of rows) {
    expect(Date.parse(time!)).toBe(Number(epoch));
    expect(Number(min)).toBeLessThanOrEqual(Number(value));
    expect(Number(value)).toBeLessThanOrEqual(Number(max));
    expect(Number(samples)).toBeGreaterThan(0);
  }

  // Each stored bucket (all but the newest, which may still be filling) is the database's rows of its interval.
  const buckets = rows.filter((r) => Number(r[5]) > 1).map((r) => r.map(Number) as [number, number, number, number, number, number]);
  expect(buckets.length).toBeGreaterThan(2);
  const bucketMs = Math.min(...buckets.slice(1).map((b, i) => b[1] - buckets[i]![1]));
  const stored = storedCity("parking.occupancy");
  for (const [, epoch, value, min, max, samples] of buckets.slice(0, -1)) {
    const values = stored.filter((r) => r.ts >= epoch && r.ts < epoch + bucketMs).map((r) => r.value);
    expect({ at: epoch, samples, min, max }).toEqual({ at: epoch, samples: values.length, min: Math.min(...values), max: Math.max(...values) });
    expect(value).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
  }
});

test("the full-resolution CSV holds every stored sample of the range, streamed with its row count announced", async ({ page, request }) => {
  await waitForStoredSeconds(20);
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await page.getByTestId(testIds.chartRange("parking-trend", "1h")).click();
  await page.getByTestId(testIds.chartExportMenu("parking-trend")).click();
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.getByTestId(testIds.chartExportFull("parking-trend")).click()]);
  expect(download.suggestedFilename()).toMatch(/^onescreen_parking\.occupancy_shenzhen_\d{8}-\d{4}_\d{8}-\d{4}_raw\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
  expect(lines[0]).toBe(CSV_HEADER);
  const rows = lines.slice(1).map((line) => line.split(",").map((cell, i) => (i === 0 ? cell : Number(cell))) as [string, number, number, number, number, number]);
  expect(rows.length).toBeGreaterThan(20);
  // Exactly the stored rows between the first and the last exported, in order, none skipped.
  const first = rows[0]![1];
  const last = rows.at(-1)![1];
  const stored = storedCity("parking.occupancy").filter((r) => r.ts >= first && r.ts <= last);
  expect(rows.map(([, ts, value, min, max, samples]) => ({ ts, value, min, max, samples }))).toEqual(stored.map((r) => ({ ts: r.ts, value: r.value, min: r.value, max: r.value, samples: 1 })));

  // The endpoint as a script calls it: the announced count is what comes, and a bad parameter is named.
  const to = last + 1;
  const direct = await request.get(`/api/history/csv?metric=parking.occupancy&entity=shenzhen&from=${first}&to=${to}`);
  expect(direct.status()).toBe(200);
  expect(direct.headers()["x-resolution"]).toBe("raw");
  const body = (await direct.text()).trimEnd().split("\r\n");
  expect(body.length - 1).toBe(Number(direct.headers()["x-total-rows"]));
  expect(body.length - 1).toBe(rows.length);
  const bad = await request.get(`/api/history/csv?metric=parking.occupancy&entity=nowhere&from=${first}&to=${to}`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toContain("entity:");
});
