/**
 * Notification channels in Chromium: an admin creates a WeCom channel pointing at a local
 * WeCom-format receiver (server/test/notify-receivers.ts, which checks the vendor's shape),
 * sends a test message and sees the answer, and sees the URL's key masked after saving. Then a
 * critical alert reaches the receiver, and with the receiver down the failed delivery is shown
 * on /alerts with why, until the receiver is back. Screenshots at 1920×1080 and 3840×2160.
 */
import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { REALTIME_URL } from "../playwright.config";
import { startReceiver, type Receiver } from "../server/test/notify-receivers";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const RULE = "e2e-notify-lot";
const KEY = "e2e-wecom-key-0f9e8d7c6b5a";
const PASSWORD = "admin-password-e2e";

type Listed = { id: string; ruleId: string };

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}-1920x1080.png`), fullPage: false });
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.reload();
  await page.screenshot({ path: test.info().outputPath(`${name}-3840x2160.png`), fullPage: false });
  await page.setViewportSize({ width: 1920, height: 1080 });
}

test("an admin sets up a WeCom channel, tests it, and its notifications and failures show on /alerts", async ({ page, request }) => {
  test.setTimeout(150_000);
  execFileSync("npx", ["tsx", "scripts/user.ts", "create", "e2e-admin", "--role", "admin"], {
    env: { ...process.env, DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}`, ONESCREEN_PASSWORD: PASSWORD },
    stdio: "pipe",
  });
  const wecom: Receiver = await startReceiver("wecom", { key: KEY });
  let channelId = "";
  try {
    await page.goto("/login");
    await page.getByLabel("用户名").fill("e2e-admin");
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/alerts$/);
    await page.getByRole("link", { name: "通知渠道 ›" }).click();
    await expect(page.getByRole("heading", { name: "告警通知渠道" })).toBeVisible();

    // A new WeCom channel: criticals of every domain, on open and resolve (the form's defaults).
    const form = page.getByTestId("channel-new");
    await form.getByLabel("名称").fill("值班群 e2e");
    await form.getByLabel("类型").selectOption("wecom");
    await form.getByLabel("Webhook 地址").fill(wecom.url);
    await form.getByRole("button", { name: "保存" }).click();
    await expect(page.getByRole("status")).toContainText("已保存");
    const card = page.locator("[data-testid^='channel-ch-']").filter({ hasText: "值班群 e2e" });
    channelId = ((await card.getAttribute("data-testid")) ?? "").replace("channel-", "");
    expect(channelId).toMatch(/^ch-[a-z0-9]{8}$/);

    // Write-only: the page shows a mask of the URL, never its key.
    await expect(card.getByTestId("url-input")).toHaveValue("");
    await expect(card.getByTestId("url-mask")).toHaveText(`http://127.0.0.1:${wecom.port}/…6b5a`);
    expect(await page.content()).not.toContain(KEY);
    await expect(card.getByTestId("secret-state")).toHaveText("无签名密钥");

    // The test button: the receiver gets WeCom's markdown, the page says what came back.
    await card.getByRole("button", { name: "发送测试消息" }).click();
    await expect(page.getByTestId("test-result")).toContainText("✓ 测试消息已送达 · HTTP 200");
    expect(wecom.received).toHaveLength(1);
    expect(wecom.received[0]!.refused).toBeNull();
    expect(wecom.received[0]!.body.toString("utf8")).toMatch(/^\{"msgtype":"markdown","markdown":\{"content":"### <font color=\\"info\\">OneScreen 测试消息<\/font>\\n> 渠道：值班群 e2e/);
    expect(await page.content()).not.toContain(KEY);
    await shoot(page, "channels-tested");

    // A critical alert on one car park (no hold): it reaches the receiver.
    const rule = { name: { zh: "大鹏停车场（通知测试）", en: "Dapeng car park (notify test)" }, metricId: "parking.occupancy", scope: "lot-dapeng-001", direction: "above", threshold: 1, clearAt: 0, forSeconds: 0, severity: "critical" };
    expect((await request.put(`${REALTIME_URL}/alerts/rules/${RULE}`, { headers: auth, data: rule })).status()).toBe(200);
    let alertId = "";
    await expect
      .poll(async () => {
        const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
        alertId = alerts.find((a) => a.ruleId === RULE)?.id ?? "";
        return alertId;
      }, { timeout: 30_000 })
      .not.toBe("");
    await expect.poll(() => wecom.received.length, { timeout: 15_000 }).toBe(2);
    const opened = wecom.received[1]!.body.toString("utf8");
    expect(wecom.received[1]!.refused).toBeNull();
    expect(opened).toContain("◆ 严重 · 大鹏停车场（通知测试） · 大鹏公共停车场 001（大鹏新区）");

    await page.goto("/alerts");
    const row = page.getByTestId(`alert-row-${alertId}`);
    await expect(row.getByTestId("delivery").first()).toHaveText("✓ 值班群 e2e · 发生 · 已送达");

    // The receiver goes down; the resolution's delivery fails, is shown with why, and is retried.
    await wecom.down();
    expect((await request.post(`${REALTIME_URL}/alerts/${alertId}/resolve`, { headers: auth, data: { by: "e2e-admin" } })).status()).toBe(200);
    // The desk lists what is not resolved unless asked for the resolved too.
    await page.goto("/alerts?state=resolved&q=通知测试");
    const failed = row.locator("[data-testid='delivery'][data-event='resolve']");
    await expect(async () => {
      await page.reload();
      await expect(failed).toHaveAttribute("data-status", "pending");
      await expect(failed).toContainText(`值班群 e2e · 解除 · 失败，重试中 · 第`);
      await expect(failed).toContainText(`connect ECONNREFUSED 127.0.0.1:${wecom.port}`);
    }).toPass({ timeout: 20_000 });
    await failed.scrollIntoViewIfNeeded();
    await shoot(page, "alerts-delivery-failed");

    await wecom.up();
    await expect(async () => {
      await page.reload();
      await expect(failed).toHaveText("✓ 值班群 e2e · 解除 · 已送达");
    }).toPass({ timeout: 30_000 });
    // The rule still breaches (threshold 1, no hold), so the lot's alert opens again at the next
    // sample and its "发生" may reach the receiver after the retried resolution: look for the
    // resolution among what arrived, not at the end.
    const bodies = wecom.received.map((r) => r.body.toString("utf8"));
    expect(bodies.filter((b) => b.includes("■ 已解除") && b.includes("大鹏停车场（通知测试）"))).toHaveLength(1);
  } finally {
    await request.delete(`${REALTIME_URL}/alerts/rules/${RULE}`, { headers: auth });
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
    for (const a of alerts.filter((x) => x.ruleId === RULE)) await request.post(`${REALTIME_URL}/alerts/${a.id}/resolve`, { headers: auth, data: { by: "e2e" } });
    if (channelId) await request.delete(`${REALTIME_URL}/alerts/channels/${channelId}`, { headers: auth });
    await wecom.down();
  }
});
