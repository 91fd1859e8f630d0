/**
 * Replay of data recorded one sample per minute (what a simulator at SIM_SPEED=60 stores,
 * or a field feed reporting every minute), played back at 10×: the trend charts draw the
 * recording as lines, not as "no data". The minute-spaced hour is sent through the real
 * ingest door of the e2e run's side server into its database, a day before its live data.
 */
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { DOMAINS, isSummaryEntity } from "@/lib/catalog";
import { palette } from "@/lib/charts/theme";
import { shenzhenIso } from "@/lib/shenzhen-time";
import { simulateCity } from "@/lib/sim/simulator";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";
import { drawnChart } from "./chart-svg";

const MINUTE = 60_000;
/** A day and a bit back: inside raw retention, before anything the run's simulator wrote. */
const START = Math.floor((Date.now() - 30 * 3_600_000) / MINUTE) * MINUTE;
const MINUTES = 90;

function ingestToken(name: string): string {
  const out = execFileSync("npx", ["tsx", "scripts/ingest-token.ts", "create", name], { env: { ...process.env, DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}` }, encoding: "utf8" });
  return out.trim().split("\n").at(-1)!.trim();
}

test("a 10× replay of minute-spaced data draws every trend as a line", async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  // The city and its districts at every minute, as a simulator at 60× reports them.
  const samples = Array.from({ length: MINUTES }, (_, i) => simulateCity(20_201, START + i * MINUTE).filter((s) => isSummaryEntity(s.entityId))).flat();
  const token = ingestToken(`e2e-minutes-${Date.now()}`);
  for (let i = 0; i < samples.length; i += 5_000) {
    const res = await request.post(`${REALTIME_URL}/ingest`, { headers: { authorization: `Bearer ${token}` }, data: { samples: samples.slice(i, i + 5_000) } });
    expect(res.status(), await res.text()).toBe(200);
  }

  // Eight minutes into the recording: the 15-minute trend holds eight minutes of it, after seven with nothing stored.
  const from = START + 8 * MINUTE;
  await page.goto(`/?replay=${encodeURIComponent(shenzhenIso(from))}&until=${encodeURIComponent(shenzhenIso(START + (MINUTES - 1) * MINUTE))}&speed=10`);
  await expect(page.getByTestId(testIds.replayMarker)).toHaveAttribute("data-status", "playing");
  await expect(page.getByTestId(testIds.replayMarker)).toContainText("×10");

  for (const domain of DOMAINS) {
    const chart = page.getByTestId(testIds.chart(`${domain}-trend`));
    await expect.poll(async () => (await drawnChart(chart, palette.accent)).runs.length, { message: `${domain}: a line is drawn` }).toBe(1);
    const drawn = await drawnChart(chart, palette.accent);
    // One unbroken line through every stored minute since the recording began…
    expect(drawn.runs[0]!.length, `${domain}: a vertex per stored minute`).toBeGreaterThanOrEqual(8);
    expect(drawn.lineShare, `${domain}: share of the chart drawn as a line`).toBeGreaterThan(0.3);
    // …and "no data" only where nothing was stored: the minutes before it began.
    expect(drawn.greyShare, `${domain}: share shaded as no data`).toBeGreaterThan(0.2);
    expect(drawn.greyShare + drawn.lineShare, `${domain}: line and shading side by side, not on top of each other`).toBeLessThan(1);
  }
  // At 10× a minute of the recording passes in 6 s: no panel is "stale" between two of its minutes.
  const staleSeen = new Set<string>();
  for (const until = Date.now() + 13_000; Date.now() < until; await page.waitForTimeout(250)) {
    for (const id of await page.locator('[data-stale="true"]').evaluateAll((panels) => panels.map((p) => p.getAttribute("data-testid") ?? ""))) staleSeen.add(id);
  }
  expect([...staleSeen], "panels that went stale during the replay").toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("replay-minutes-10x-1920x1080.png") });
});
