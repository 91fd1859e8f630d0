/**
 * The live desk (/alerts): two rules with no hold open alerts on every car park of 盐田
 * (9, critical) and 坪山 (24, warning) within one report. One desk stays open while another
 * session acknowledges: it updates over its socket within 2 s, without a reload. The filter
 * is in the URL, severity sorts first, a page stays within two screens, and an operator
 * acknowledges a selection at once with one comment.
 */
import { expect, test, type Page } from "@playwright/test";
import { REALTIME_URL } from "../playwright.config";
import { createUser, signIn } from "./people";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const OPERATOR = { name: "e2e-desk-op", password: "desk-operator-password-e2e" };
const OTHER = { name: "e2e-desk-other", password: "desk-other-password-e2e" };
const lots = (district: string, zh: string, severity: string) => ({
  name: { zh: `${zh}停车场（台测试）`, en: `${district} car parks (desk test)` },
  metricId: "parking.occupancy",
  scope: district,
  kind: "lot",
  direction: "above",
  threshold: 1,
  clearAt: 0,
  forSeconds: 0,
  severity,
});
const RULES = { "e2e-desk-yantian": lots("yantian", "盐田", "critical"), "e2e-desk-pingshan": lots("pingshan", "坪山", "warning") };

type Listed = { id: string; ruleId: string; entityId: string; acknowledged: { by: string; comment: string | null } | null };
type Marked = Window & { deskNeverReloaded?: boolean };

const RANK = { critical: 0, warning: 1, info: 2 } as const;

async function severities(page: Page): Promise<number[]> {
  return (await page.locator("[data-testid^='alert-row-']").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-severity")))).map((s) => RANK[s as keyof typeof RANK]);
}

test.describe.serial("the live desk", () => {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(90_000);
    createUser(OPERATOR.name, "operator", OPERATOR.password);
    createUser(OTHER.name, "operator", OTHER.password);
    for (const [id, rule] of Object.entries(RULES)) expect((await request.put(`${REALTIME_URL}/alerts/rules/${id}`, { headers: auth, data: rule })).status()).toBe(200);
    await expect
      .poll(async () => {
        const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts?limit=1000`)).json()) as { alerts: Listed[] };
        return [alerts.filter((a) => a.ruleId === "e2e-desk-yantian").length, alerts.filter((a) => a.ruleId === "e2e-desk-pingshan").length];
      }, { timeout: 60_000 })
      .toEqual([9, 24]);
  });

  test.afterAll(async ({ request }) => {
    // Deleting a rule resolves what it opened (rule-changed): nothing is left open for the other specs.
    for (const id of Object.keys(RULES)) await request.delete(`${REALTIME_URL}/alerts/rules/${id}`, { headers: auth });
  });

  test("a desk updates within 2 s when another session acknowledges, without a reload", async ({ browser }) => {
    const watching = await (await browser.newContext()).newPage();
    await watching.goto("/alerts?district=yantian");
    await expect(watching.getByTestId("desk-link")).toHaveAttribute("data-state", "live");
    await watching.evaluate(() => ((window as Marked).deskNeverReloaded = true));
    const first = watching.locator("[data-testid^='alert-row-']").first();
    const rowId = await first.getAttribute("data-testid");
    await expect(first).toHaveAttribute("data-state", "open");

    const acting = await (await browser.newContext()).newPage();
    await signIn(acting, OTHER.name, OTHER.password);
    await acting.goto("/alerts?district=yantian");
    const theirs = acting.getByTestId(rowId!);
    await theirs.getByLabel("备注（可选）").fill("另一席位已处理 other desk");
    await theirs.getByRole("button", { name: "确认 Acknowledge" }).click();
    await expect(theirs).toHaveAttribute("data-state", "acknowledged");
    const acknowledgedAt = Date.now();

    const mine = watching.getByTestId(rowId!);
    await expect(mine).toHaveAttribute("data-state", "acknowledged", { timeout: 2_000 });
    console.log(`the watching desk showed the acknowledgement ${Date.now() - acknowledgedAt} ms after the acting desk did`);
    await expect(mine.getByTestId("ack-state")).toContainText(`已确认 · ${OTHER.name}`);
    await expect(mine.getByTestId("ack-state")).toContainText("另一席位已处理 other desk");
    expect(await watching.evaluate(() => (window as Marked).deskNeverReloaded)).toBe(true);
    // Its timeline, and where to look: the entity and a replay of the minutes around it.
    await expect(mine.getByTestId("timeline")).toContainText(/越限开始 [\d:]+→ 告警 [\d:]+→ ✓ 已确认/);
    await expect(mine.getByTestId("worst")).toContainText(/至今最差 \d+\.\d %/);
    await expect(mine.getByTestId("entity-link")).toHaveAttribute("href", /^\/entity\/lot-yantian-\d+$/);
    await expect(mine.getByTestId("replay-link")).toHaveAttribute("href", /^\/\?replay=.*&until=.*&speed=10$/);
    await watching.context().close();
    await acting.context().close();
  });

  test("the filter is kept in the URL, severity sorts first, and a page stays within two screens", async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await signIn(page, OPERATOR.name, OPERATOR.password);
    const ranks = await severities(page);
    expect(ranks.length).toBe(12);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).toBe(RANK.critical);
    // 33 alerts of ours at least: three pages, each no taller than two screens with every operator control shown.
    await expect(page.getByTestId("desk-pages")).toContainText(/第 1 \/ [3-9] 页/);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(2 * 1080);
    await page.screenshot({ path: test.info().outputPath("desk-1920x1080.png") });
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.screenshot({ path: test.info().outputPath("desk-3840x2160.png") });
    await page.goto("/alerts?lang=en");
    await expect(page.getByTestId("desk-pages")).toContainText(/Page 1 of [3-9]/);
    await page.screenshot({ path: test.info().outputPath("desk-en-3840x2160.png") });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto("/alerts");
    await page.getByTestId("desk-pages").getByRole("link", { name: "下一页 ›" }).click();
    await expect(page).toHaveURL(/\/alerts\?page=2$/);

    const filters = page.getByTestId("desk-filters");
    await filters.getByText("警告").click();
    await expect(page).toHaveURL(/\/alerts\?severity=warning$/);
    await filters.getByLabel("区").selectOption("pingshan");
    await expect(page).toHaveURL(/\/alerts\?severity=warning&district=pingshan$/);
    await filters.getByLabel("搜索（规则、对象、人、备注）").fill("坪山 012");
    await expect(page).toHaveURL(/\/alerts\?severity=warning&district=pingshan&q=%E5%9D%AA%E5%B1%B1\+012$/);
    await expect(page.locator("[data-testid^='alert-row-']")).toHaveCount(1);
    await expect(page.locator("[data-testid^='alert-row-']")).toContainText("坪山公共停车场 012");
    // A reload (or a shared link) opens the same view.
    await page.reload();
    await expect(page.locator("[data-testid^='alert-row-']")).toHaveCount(1);
    await expect(filters.getByLabel("搜索（规则、对象、人、备注）")).toHaveValue("坪山 012");
    await expect(filters.getByLabel("区")).toHaveValue("pingshan");
    await filters.getByText("严重").click();
    await expect(page).toHaveURL(/severity=critical%2Cwarning/);
    await expect(page.locator("[data-testid^='alert-row-']")).toHaveCount(1);
    await filters.getByText("已解除").click();
    await expect(page).toHaveURL(/state=open%2Cacknowledged%2Cresolved/);
  });

  test("an operator acknowledges a selection at once, with one comment", async ({ page, request, baseURL }) => {
    await signIn(page, OPERATOR.name, OPERATOR.password);
    await page.goto("/alerts?district=pingshan&state=open");
    const rows = page.locator("[data-testid^='alert-row-']");
    await expect(rows).toHaveCount(12);
    const ids = await rows.evaluateAll((all) => all.slice(0, 3).map((r) => r.getAttribute("data-testid")!.replace("alert-row-", "")));
    const bar = page.getByTestId("bulk-bar");
    for (const id of ids.slice(0, 2)) await page.getByTestId(`alert-row-${id}`).getByTestId("desk-select").check();
    await expect(bar.getByTestId("bulk-count")).toHaveText("已选 2 条");
    await bar.getByLabel("批量备注（可选，随确认或解除保存）").fill("坪山统一处理 handled together");
    await bar.getByRole("button", { name: "批量确认" }).click();
    await expect(bar.getByRole("status")).toHaveText("✓ 已处理 2 条");
    // Acknowledged alerts leave a view of open ones; the third stays.
    for (const id of ids.slice(0, 2)) await expect(page.getByTestId(`alert-row-${id}`)).toHaveCount(0);
    await expect(page.getByTestId(`alert-row-${ids[2]}`)).toHaveAttribute("data-state", "open");
    await expect(bar.getByTestId("bulk-count")).toHaveText("已选 0 条");
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts?limit=1000`)).json()) as { alerts: Listed[] };
    const byId = new Map(alerts.map((a) => [a.id, a]));
    expect(ids.map((id) => byId.get(id)?.acknowledged ?? null)).toEqual([
      { by: OPERATOR.name, comment: "坪山统一处理 handled together", at: expect.any(Number) },
      { by: OPERATOR.name, comment: "坪山统一处理 handled together", at: expect.any(Number) },
      null,
    ]);
    // The bulk route is guarded as the single ones: another site is refused, and so is an unknown id, whole.
    const crossSite = await page.request.post("/api/alerts/bulk", { headers: { origin: "https://evil.example" }, data: { action: "acknowledge", ids: [ids[2]] } });
    expect(crossSite.status()).toBe(403);
    const unknown = await page.request.post("/api/alerts/bulk", { headers: { origin: baseURL! }, data: { action: "acknowledge", ids: [ids[2], "no-such-alert"] } });
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toEqual({ error: "ids: no alert no-such-alert; nothing was changed" });
    await page.reload();
    await expect(page.getByTestId(`alert-row-${ids[2]}`)).toHaveAttribute("data-state", "open");

    // Resolving a selection keeps its one comment too, shown in the resolved alert's timeline.
    await page.getByTestId(`alert-row-${ids[2]}`).getByTestId("desk-select").check();
    await bar.getByLabel("批量备注（可选，随确认或解除保存）").fill("车位恢复 spaces back");
    await bar.getByRole("button", { name: "批量解除" }).click();
    await expect(page.getByTestId(`alert-row-${ids[2]}`)).toHaveCount(0);
    await page.goto("/alerts?district=pingshan&state=resolved");
    await expect(page.getByTestId(`alert-row-${ids[2]}`).getByTestId("resolve-state")).toContainText(`已解除 · ${OPERATOR.name}`);
    await expect(page.getByTestId(`alert-row-${ids[2]}`).getByTestId("resolve-state")).toContainText("“车位恢复 spaces back”");
  });

  test("without script the filter and the bulk bar are plain forms that still work", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, OPERATOR.name, OPERATOR.password);
    const filters = page.getByTestId("desk-filters");
    await filters.getByLabel("区").selectOption("pingshan");
    await filters.getByText("已确认").click();
    await filters.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/\/alerts\?state=open&district=pingshan&q=$/);
    const rows = page.locator("[data-testid^='alert-row-']");
    await expect(rows.first()).toHaveAttribute("data-state", "open");
    const ids = await rows.evaluateAll((all) => all.slice(0, 2).map((r) => r.getAttribute("data-testid")!.replace("alert-row-", "")));
    // Nothing ticked: back on the page, told why.
    await page.getByTestId("bulk-bar").getByRole("button", { name: "批量确认" }).click();
    await expect(page.locator("main p[role='alert']")).toHaveText("✕ ids: select at least one alert");
    for (const id of ids) await page.getByTestId(`alert-row-${id}`).getByTestId("desk-select").check();
    await page.getByTestId("bulk-bar").getByLabel("批量备注（可选，随确认或解除保存）").fill("无脚本 no script");
    await page.getByTestId("bulk-bar").getByRole("button", { name: "批量确认" }).click();
    // Back on the same view (open ones only): the two are acknowledged and gone from it.
    await expect(page).toHaveURL(/\/alerts\?district=pingshan&state=open$/);
    await expect(page.locator("main p[role='alert']")).toHaveCount(0);
    for (const id of ids) await expect(page.getByTestId(`alert-row-${id}`)).toHaveCount(0);
    await page.goto(`/alerts?district=pingshan&state=acknowledged&q=${encodeURIComponent("无脚本")}`);
    await expect(rows).toHaveCount(2);
    await context.close();
  });
});
