/**
 * A hospital taken offline, on its entity page: "institutions online" drops 1 → 0 as a
 * step (held until the next report, never a slope between reports), and 0 is marked at
 * the hospital-offline rule's level (a warning ▲ since the alert budget; three hospitals of
 * a district offline is the district's critical) on the chart and on the figure. The hospital goes offline in the real simulator through the fibre-cut drill.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEFAULT_RULES } from "@/lib/alerts/rules";
import { ENTITIES } from "@/lib/catalog";
import { palette } from "@/lib/charts/theme";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";
import { drawnChart, filledSymbols } from "./chart-svg";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const CONNECTED = "health.connected";
const NANSHAN_HOSPITALS = new Set(ENTITIES.filter((e) => e.kind === "hospital" && e.districtId === "nanshan").map((e) => e.id));

/** A Nanshan hospital whose stored link went from 1 (three reports or more) to 0 (two or more, to now). */
async function hospitalTakenOffline(request: APIRequestContext): Promise<string> {
  let found = "";
  await expect
    .poll(
      async () => {
        const snapshot = (await (await request.get(`${REALTIME_URL}/snapshot?domains=health&level=entities&scope=nanshan`)).json()) as { latest: { metricId: string; entityId: string; value: number }[] };
        for (const s of snapshot.latest.filter((x) => x.metricId === CONNECTED && x.value === 0 && NANSHAN_HOSPITALS.has(x.entityId))) {
          const to = Date.now() + 1_000;
          const history = (await (await request.get(`/api/history?metric=${CONNECTED}&entity=${s.entityId}&from=${to - 15 * 60_000}&to=${to}&maxPoints=1000`)).json()) as { points: [number, number][] };
          const values = history.points.map((p) => p[1]);
          const firstZero = values.indexOf(0);
          if (firstZero >= 3 && values.slice(0, firstZero).every((v) => v === 1) && values.slice(firstZero).every((v) => v === 0) && values.length - firstZero >= 2) {
            found = s.entityId;
            return true;
          }
        }
        return false;
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBe(true);
  return found;
}

/** A CSS hex colour as getComputedStyle writes it. */
const rgb = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

test("an institution taken offline steps from 1 to 0, and its 0 is marked at its rule's level on the chart and the figure", async ({ page, request }, testInfo) => {
  test.setTimeout(150_000);
  // The default rule, as it ships (an earlier spec may have taken it away to calm the wall).
  const rule = DEFAULT_RULES.find((r) => r.id === "hospital-offline")!;
  expect((await request.put(`${REALTIME_URL}/alerts/rules/${rule.id}`, { headers: auth, data: rule })).status()).toBe(200);
  // Three reports online first (one every 10 s), then the cut.
  await page.waitForTimeout(35_000);
  const started = await request.post(`${REALTIME_URL}/drills`, { headers: auth, data: { scenario: "fiber-cut-nanshan", minutes: 10 } });
  expect(started.status()).toBe(201);
  const { drill } = (await started.json()) as { drill: { id: string } };
  try {
    const hospital = await hospitalTakenOffline(request);
    await page.goto(`/entity/${hospital}`);
    await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");

    // The figure: 0, at the hospital-offline rule's level (a warning: one hospital; ≥ 3 in a district is the district's critical) by mark and colour.
    const level = rule.severity === "critical" ? { mark: "◆", colour: palette.crit } : { mark: "▲", colour: palette.warn };
    const kpi = page.getByTestId(testIds.kpi(CONNECTED));
    await expect(kpi.locator("[data-value]")).toHaveText("0");
    await expect(kpi).toHaveAttribute("data-severity", rule.severity);
    await expect(kpi).toContainText(level.mark);
    expect(await kpi.locator("[data-value]").evaluate((el) => getComputedStyle(el).color)).toBe(rgb(level.colour));

    // The chart: one line of horizontal and vertical segments only, one of them the drop.
    const chart = page.getByTestId(testIds.chart(`${CONNECTED}-entity`));
    await expect.poll(async () => (await drawnChart(chart, palette.accent)).runs.length, { timeout: 15_000 }).toBe(1);
    const [run] = (await drawnChart(chart, palette.accent)).runs;
    const segments = run!.slice(1).map((p, i) => ({ dx: p[0] - run![i]![0], dy: p[1] - run![i]![1] }));
    const slopes = segments.filter((s) => Math.abs(s.dx) > 0.5 && Math.abs(s.dy) > 0.5);
    expect(slopes, "segments drawn as a slope").toEqual([]);
    const drops = segments.filter((s) => Math.abs(s.dx) <= 0.5 && s.dy > 20);
    expect(drops, "the vertical 1 → 0 step").toHaveLength(1);
    // The level's mark in its colour where it went to 0 and at its newest report, on the 0 line.
    const zeroY = run!.at(-1)![1];
    const marks = await filledSymbols(chart, level.colour);
    expect(marks.length, `${rule.severity} marks`).toBeGreaterThanOrEqual(1);
    for (const mark of marks) {
      expect(Math.abs(mark.y - zeroY), "a mark on the 0 line").toBeLessThan(2);
      expect(mark.width, "a mark big enough to see").toBeGreaterThan(8);
    }

    await page.screenshot({ path: testInfo.outputPath("entity-offline-1920x1080.png") });
    await page.setViewportSize({ width: 3840, height: 2160 });
    await expect(kpi).toHaveAttribute("data-severity", rule.severity);
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: testInfo.outputPath("entity-offline-3840x2160.png") });
  } finally {
    await request.delete(`${REALTIME_URL}/drills/${drill.id}`, { headers: auth });
  }
});
