/**
 * Incidents on the desk: two rules with no hold open a parking warning and a health critical in
 * 光明区 within one report; the side server makes them one incident (one district, two domains),
 * the desk shows it as a chain with its alerts' timeline, and an operator closes it with a
 * comment. SIM_SPEED 1: the rules' entities report every 10 s.
 */
import { expect, test } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";
import { createUser, signIn } from "./people";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const RULES = {
  "e2e-guangming-lots": { name: { zh: "光明停车场（测试）", en: "Guangming car parks (test)" }, metricId: "parking.occupancy", scope: "guangming", kind: "lot", direction: "above", threshold: 1, clearAt: 0, forSeconds: 0, severity: "warning" },
  "e2e-guangming-hospitals": { name: { zh: "光明医院在线（测试）", en: "Guangming hospitals online (test)" }, metricId: "health.connected", scope: "guangming", kind: "hospital", direction: "below", threshold: 2, clearAt: 3, forSeconds: 0, severity: "critical" },
};
type Incident = { id: string; placeId: string; domains: string[]; alertIds: string[]; closed: unknown };
type Listed = { id: string; ruleId: string; incidentId?: string };

test("alerts in one district across two domains are one incident on the desk, and an operator closes it with a comment", async ({ page, request }) => {
  test.setTimeout(120_000);
  createUser("e2e-incident-op", "operator", "incident-operator-password-e2e");
  for (const [id, rule] of Object.entries(RULES)) expect((await request.put(`${REALTIME_URL}/alerts/rules/${id}`, { headers: auth, data: rule })).status()).toBe(200);
  try {
    let incident: Incident | undefined;
    await expect
      .poll(async () => {
        const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
        const ours = alerts.filter((a) => a.ruleId in RULES);
        const { incidents } = (await (await request.get(`${REALTIME_URL}/incidents`)).json()) as { incidents: Incident[] };
        incident = incidents.find((i) => i.closed === null && ours.some((a) => a.ruleId === "e2e-guangming-lots" && i.alertIds.includes(a.id)) && ours.some((a) => a.ruleId === "e2e-guangming-hospitals" && i.alertIds.includes(a.id)));
        return incident?.placeId;
      }, { timeout: 45_000 })
      .toBe("guangming");

    // The wall: the event is one row, as bad as its worst alert, naming the place and the domains it reached.
    const wallRow = page.getByTestId(testIds.alertItem(`incident|${incident!.id}`));
    for (const [width, height] of [[1920, 1080], [3840, 2160]] as const) {
      await page.setViewportSize({ width, height });
      await page.goto("/");
      await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
      await expect(wallRow).toBeVisible();
      await expect(wallRow).toHaveAttribute("data-severity", "critical");
      await expect(wallRow).toContainText(/◆ 事件光明区 · (智慧停车 → 健康信息网|健康信息网 → 智慧停车)/);
      await expect(wallRow).toContainText(/\d+ 条告警/);
      await page.screenshot({ path: test.info().outputPath(`wall-incident-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });

    await signIn(page, "e2e-incident-op", "incident-operator-password-e2e");
    const row = page.getByTestId(`incident-${incident!.id}`);
    await expect(row).toContainText("光明区");
    await expect(row).toContainText("智慧停车");
    await expect(row).toContainText("健康信息网");
    await expect(row).toContainText("光明医院在线（测试）");
    await row.screenshot({ path: test.info().outputPath("desk-incident-1920x1080.png") });
    await row.getByRole("textbox").fill("已通知光明区处置");
    await row.getByRole("button", { name: "关闭事件" }).click();
    await expect(page).toHaveURL(/\/alerts$/);
    await expect(page.getByTestId(`incident-${incident!.id}`)).toHaveAttribute("data-closed", "true");
    await expect(page.getByTestId(`incident-${incident!.id}`)).toContainText("已关闭 · e2e-incident-op");
    await expect(page.getByTestId(`incident-${incident!.id}`)).toContainText("“已通知光明区处置”");
    await page.getByTestId(`incident-${incident!.id}`).screenshot({ path: test.info().outputPath("desk-incident-closed-1920x1080.png") });
    // The wall gets the closed incident's alerts one by one again.
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
    expect(alerts.filter((a) => incident!.alertIds.includes(a.id)).every((a) => a.incidentId === undefined)).toBe(true);
    await page.goto("/");
    await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
    // (Alerts opening after the close are another event: they may make an incident of their own.)
    await expect(page.getByTestId(testIds.alertFeed).locator("[data-severity='critical']").first()).toBeVisible();
    await expect(wallRow).toHaveCount(0);
  } finally {
    for (const id of Object.keys(RULES)) await request.delete(`${REALTIME_URL}/alerts/rules/${id}`, { headers: auth });
  }
});
