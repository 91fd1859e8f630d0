/**
 * A shift handover as an operator uses it: during the shift a trainer runs a drill and alerts
 * are acknowledged (with a comment) and resolved; at the end the operator opens /handover, reads
 * who did what, what is still open and the drill, prints it (A4) and downloads the CSV. A rule
 * with no hold on 大鹏's car parks opens alerts within one report (as in alerts.spec.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { CITY_ID } from "@/lib/catalog";
import { simulateCity } from "@/lib/sim/simulator";
import { REALTIME_URL } from "../playwright.config";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const RULE = "e2e-handover-dapeng-lots";
const OPERATOR = "e2e-handover";
const COMMENT = "交警已到场, \"处理中\"";
const SHOTS = "docs/screenshots";

function ingestToken(name: string): string {
  const out = execFileSync("npx", ["tsx", "scripts/ingest-token.ts", "create", name], { env: { ...process.env, DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}` }, encoding: "utf8" });
  return out.trim().split("\n").at(-1)!.trim();
}

type Listed = { id: string; ruleId: string; entityId: string; resolved: unknown };

test("the handover lists the shift's drill, who acknowledged and resolved which alert, what stays open; prints on A4; downloads as CSV", async ({ page, request }) => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  const rule = { name: { zh: "大鹏停车场（交接测试）", en: "Dapeng car parks (handover test)" }, metricId: "parking.occupancy", scope: "dapeng", kind: "lot", direction: "above", threshold: 1, clearAt: 0, forSeconds: 0, severity: "warning" };
  expect((await request.put(`${REALTIME_URL}/alerts/rules/${RULE}`, { headers: auth, data: rule })).status()).toBe(200);
  try {
    const started = await request.post(`${REALTIME_URL}/drills`, { headers: auth, data: { scenario: "fiber-cut-nanshan", minutes: 30 } });
    expect(started.status()).toBe(201);
    const { drill } = (await started.json()) as { drill: { id: string } };
    expect((await request.delete(`${REALTIME_URL}/drills/${drill.id}`, { headers: auth })).status()).toBe(200);

    let mine: Listed[] = [];
    await expect
      .poll(async () => {
        const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
        mine = alerts.filter((a) => a.ruleId === RULE);
        return mine.length;
      }, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    const [acked, resolved] = mine as [Listed, Listed];
    expect((await request.post(`${REALTIME_URL}/alerts/${acked.id}/ack`, { headers: auth, data: { by: OPERATOR, comment: COMMENT } })).status()).toBe(200);
    expect((await request.post(`${REALTIME_URL}/alerts/${resolved.id}/resolve`, { headers: auth, data: { by: OPERATOR } })).status()).toBe(200);

    await page.goto("/handover");
    await expect(page.getByRole("heading", { name: "交接班" })).toBeVisible();
    // The last 8 hours of the source clock (the CSV link carries the span to the millisecond).
    const csvLink = new URL((await page.getByRole("link", { name: "⤓ 导出 CSV" }).getAttribute("href"))!, "http://x");
    const from = Number(csvLink.searchParams.get("from"));
    const to = Number(csvLink.searchParams.get("to"));
    expect(to - from).toBe(8 * 3_600_000);

    const events = page.getByTestId("handover-events");
    const ackRow = events.getByTestId("handover-row-events").filter({ hasText: "确认 · 警告 · 大鹏停车场（交接测试）" });
    await expect(ackRow).toHaveCount(1);
    await expect(ackRow).toContainText(OPERATOR);
    await expect(ackRow).toContainText(COMMENT);
    const resolveRow = events.getByTestId("handover-row-events").filter({ hasText: "解除 · 警告 · 大鹏停车场（交接测试）" }).filter({ hasText: OPERATOR });
    await expect(resolveRow).toHaveCount(1);
    await expect(events.getByTestId("handover-row-events").filter({ hasText: "发生 · 警告 · 大鹏停车场（交接测试）" })).not.toHaveCount(0);

    // The acknowledged alert is handed over open, with who acknowledged it and why; the resolved one is not.
    const open = page.getByTestId("handover-open").getByTestId("handover-row-open").filter({ hasText: "大鹏停车场（交接测试）" });
    await expect(open.filter({ hasText: COMMENT })).toHaveCount(1);
    await expect(page.getByTestId("handover-open").locator(`[data-key="${acked.id}"]`)).toContainText(OPERATOR);
    await expect(page.getByTestId("handover-open").locator(`[data-key="${resolved.id}"]`)).toHaveCount(0);

    // This spec's own drill (another spec may have run the same scenario within the shift).
    const drillRow = page.getByTestId("handover-drills").locator(`[data-key="${drill.id}"]`);
    await expect(drillRow).toContainText("南山光缆中断");
    await expect(drillRow).toContainText("提前结束");
    await expect(drillRow).toContainText("admin-token");

    // Every domain's key figures. The simulated history reaches 24 h back from the stack's start: a week
    // earlier is empty, and a day earlier holds only the minutes the stack has run (after other specs: a value and its change).
    const figures = page.getByTestId("handover-figures");
    await expect(figures.getByTestId("handover-row-figures")).toHaveCount(12);
    await expect(figures.getByTestId("handover-row-figures").filter({ hasText: "泊位占用率" })).toHaveText(/^泊位占用率\d+\.\d %(—|\d+\.\d % \(本班 [+-]?\d+(\.\d)?%\))—$/);

    await page.screenshot({ path: `${SHOTS}/handover-1920x1080.png` });

    // Printing: the print button opens the dialog; the print CSS lays the page out black on white on A4.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    await page.getByRole("button", { name: "打印 / Print" }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("button", { name: "打印 / Print" })).toBeHidden();
    expect(await page.locator("main").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(0, 0, 0)");
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await page.screenshot({ path: `${SHOTS}/handover-print-a4.png`, fullPage: true });
    const pdf = await page.pdf({ path: "test-results/handover-a4.pdf", format: "A4", printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1920, height: 1080 });

    // The CSV link downloads the same rows: BOM, header, the acknowledgement with its comment.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "⤓ 导出 CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^onescreen_handover_\d{8}-\d{4}_\d{8}-\d{4}\.csv$/);
    const csv = await (await import("node:fs/promises")).readFile((await file.path())!, "utf8");
    expect(csv.startsWith("\uFEFF类别,时间（北京时间）,结束,事项,对象,处置人,备注,数值,前一日同时段,上周同时段\r\n")).toBe(true);
    const lines = csv.split("\r\n");
    expect(lines.filter((l) => l.startsWith("告警处置,") && l.includes("确认 · 警告 · 大鹏停车场（交接测试）") && l.includes(`,${OPERATOR},"交警已到场, ""处理中""",`))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("告警处置,") && l.includes("解除 · 警告 · 大鹏停车场（交接测试）") && l.includes(`,${OPERATOR},`))).toHaveLength(1);
    // This spec's drill, by the start the page showed for it (another spec's drill may share the span).
    const drillStart = (await drillRow.locator("td").first().textContent())?.trim();
    expect(drillStart).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(lines.filter((l) => l.startsWith(`演练,${drillStart},`) && l.includes("南山光缆中断") && l.includes("提前结束"))).toHaveLength(1);

    // The URL form of the issue: ?format=csv answers the CSV too; a bad span is a 400 naming the field.
    const viaPage = await request.get(`/handover?from=${from}&to=${to}&format=csv&lang=en`);
    expect(viaPage.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(await viaPage.text()).toContain("Drills,");
    const bad = await request.get("/handover?from=yesterday&format=csv");
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toEqual({ error: "from: must be an ISO 8601 date-time (e.g. 2026-11-25T08:00:00+08:00) or epoch milliseconds" });
    const tooLong = await request.get(`/api/handover?from=${to - 8 * 86_400_000}&to=${to}`);
    expect(tooLong.status()).toBe(400);
    expect(await tooLong.json()).toEqual({ error: "to: at most 7 days after from" });
    await page.goto("/handover?from=2026-12-03T10:00&to=2026-12-03T09:00");
    await expect(page.locator("main p[role='alert']")).toHaveText("✕ 时段有误: to: must be after from");

    // An hour of this shift against the same hour a day earlier, recorded through the ingest door (one sample a
    // minute). It ends 10 minutes ago: a day before that, the run's simulated history (24 h back from its start) had not begun.
    const DAY = 86_400_000;
    const hour = { from: to - 70 * 60_000, to: to - 10 * 60_000 };
    const dayBefore = Array.from({ length: 60 }, (_, i) => simulateCity(20_201, hour.from - DAY + i * 60_000).filter((x) => x.entityId === CITY_ID)).flat();
    const ingested = await request.post(`${REALTIME_URL}/ingest`, { headers: { authorization: `Bearer ${ingestToken(`e2e-handover-${Date.now()}`)}` }, data: { samples: dayBefore } });
    expect(ingested.status(), await ingested.text()).toBe(200);
    await page.goto(`/handover?from=${hour.from}&to=${hour.to}`);
    const occupancy = page.getByTestId("handover-figures").getByTestId("handover-row-figures").filter({ hasText: "泊位占用率" });
    await expect(occupancy).toHaveText(/^泊位占用率\d+\.\d %\d+\.\d % \(本班 [+-]\d+\.\d%\)—$/);

    // That hour a day earlier: the city was recorded (a sample a minute is its cadence, not an outage), its districts
    // were not: one row per domain names the ten silent districts, and not the city.
    await page.goto(`/handover?from=${hour.from - DAY}&to=${hour.to - DAY}`);
    const outages = page.getByTestId("handover-outages").getByTestId("handover-row-outages");
    await expect(outages).toHaveCount(4);
    for (const row of await outages.all()) {
      await expect(row).toContainText("福田区、罗湖区、");
      await expect(row).toContainText("1 小时 00 分");
      await expect(row).toContainText("仍中断");
      await expect(row).not.toContainText("全市");
    }
    await page.screenshot({ path: `${SHOTS}/handover-outages-1920x1080.png` });

    // English, on a 4K desk screen.
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.goto(`/handover?from=${from}&to=${to}&lang=en`);
    await expect(page.getByRole("heading", { name: "Shift handover" })).toBeVisible();
    await expect(page.getByTestId("handover-events").getByTestId("handover-row-events").filter({ hasText: "acknowledged · Warning · Dapeng car parks (handover test)" })).toContainText(COMMENT);
    await page.screenshot({ path: `${SHOTS}/handover-en-3840x2160.png` });
  } finally {
    // Leave no open alert behind for the other specs: drop the rule, then resolve what it opened.
    await request.delete(`${REALTIME_URL}/alerts/rules/${RULE}`, { headers: auth });
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
    for (const a of alerts.filter((x) => x.ruleId === RULE)) await request.post(`${REALTIME_URL}/alerts/${a.id}/resolve`, { headers: auth, data: { by: "e2e" } });
  }
});
