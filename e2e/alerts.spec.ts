/**
 * People and acknowledgement: a viewer signs in and can only read (a direct POST is a
 * 403), an operator signs in, acknowledges from the alert page with a comment, and the
 * page says who did. Users are made with `npm run user` against the e2e database. The
 * side server runs at SIM_SPEED 1, so a rule with no hold on 大鹏's 7 car parks opens
 * alerts within one report (10 s) instead of a drill's five minutes.
 */
import { expect, test } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";
import { createUser, signIn } from "./people";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const RULE = "e2e-dapeng-lots";
const PASSWORD = { viewer: "viewer-password-e2e", operator: "operator-password-e2e" } as const;

type Listed = { id: string; ruleId: string; resolved: unknown; acknowledged: { by: string; comment: string | null } | null };

test("login, a viewer cannot acknowledge, an operator acknowledges from the alert page, logout", async ({ page, request, baseURL }) => {
  test.setTimeout(90_000);
  createUser("e2e-viewer", "viewer", PASSWORD.viewer);
  createUser("e2e-operator", "operator", PASSWORD.operator);

  const rule = { name: { zh: "大鹏停车场（测试）", en: "Dapeng car parks (test)" }, metricId: "parking.occupancy", scope: "dapeng", kind: "lot", direction: "above", threshold: 1, clearAt: 0, forSeconds: 0, severity: "warning" };
  expect((await request.put(`${REALTIME_URL}/alerts/rules/${RULE}`, { headers: auth, data: rule })).status()).toBe(200);
  try {
    let alertId = "";
    await expect
      .poll(async () => {
        const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
        alertId = alerts.find((a) => a.ruleId === RULE)?.id ?? "";
        return alertId;
      }, { timeout: 30_000 })
      .not.toBe("");

    // Reading needs no login; there is nothing to press.
    await page.goto("/alerts");
    const row = page.getByTestId(`alert-row-${alertId}`);
    await expect(row).toContainText("大鹏停车场（测试）");
    await expect(row).toContainText("未确认");
    await expect(page.getByRole("button", { name: "确认 Acknowledge" })).toHaveCount(0);

    // Wrong password: back to the form, told so.
    await page.goto("/login");
    await page.getByLabel("用户名").fill("e2e-operator");
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByText("✕ 用户名或密码错误")).toBeVisible();

    // A viewer reads only: no buttons, and the server refuses a direct POST.
    await signIn(page, "e2e-viewer", PASSWORD.viewer);
    await expect(page.getByTestId(`alert-row-${alertId}`)).toBeVisible();
    await expect(page.getByRole("button", { name: "确认 Acknowledge" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "解除 Resolve" })).toHaveCount(0);
    const byViewer = await page.request.post(`/api/alerts/${alertId}/ack`, { headers: { origin: baseURL! }, data: { comment: "viewer tries" } });
    expect(byViewer.status()).toBe(403);
    expect(await byViewer.json()).toEqual({ error: "role: acknowledging needs an operator" });
    // Without a session, and from another site, it is refused too.
    expect((await request.post(`/api/alerts/${alertId}/ack`, { headers: { origin: baseURL! }, data: {} })).status()).toBe(401);
    const crossSite = await page.request.post(`/api/alerts/${alertId}/ack`, { headers: { origin: "https://evil.example" }, data: {} });
    expect(crossSite.status()).toBe(403);
    expect(((await crossSite.json()) as { error: string }).error).toMatch(/^origin: /);
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByRole("link", { name: "值班员登录 ›" })).toBeVisible();

    // An operator acknowledges with a comment; the page and the side server say who.
    await signIn(page, "e2e-operator", PASSWORD.operator);
    const mine = page.getByTestId(`alert-row-${alertId}`);
    await mine.getByLabel("备注（可选）").fill("已派人到现场 on site");
    await mine.getByRole("button", { name: "确认 Acknowledge" }).click();
    await expect(mine).toHaveAttribute("data-state", "acknowledged");
    await expect(mine.getByTestId("ack-state")).toContainText("已确认");
    await expect(mine.getByTestId("ack-state")).toContainText("e2e-operator");
    await expect(mine.getByTestId("ack-state")).toContainText("已派人到现场 on site");
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
    expect(alerts.find((a) => a.id === alertId)?.acknowledged).toMatchObject({ by: "e2e-operator", comment: "已派人到现场 on site" });

    const cookie = (await page.context().cookies()).find((c) => c.name === "onescreen_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByRole("link", { name: "值班员登录 ›" })).toBeVisible();
    // The old cookie is dead on the server, not only in this browser.
    const replayed = await request.post(`/api/alerts/${alertId}/resolve`, { headers: { origin: baseURL!, cookie: `onescreen_session=${cookie!.value}` }, data: {} });
    expect(replayed.status()).toBe(401);
  } finally {
    // Leave no open alert behind for the other specs: drop the rule, then resolve what it opened.
    await request.delete(`${REALTIME_URL}/alerts/rules/${RULE}`, { headers: auth });
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: Listed[] };
    for (const a of alerts.filter((x) => x.ruleId === RULE)) await request.post(`${REALTIME_URL}/alerts/${a.id}/resolve`, { headers: auth, data: { by: "e2e" } });
  }
});

test("an operator edits the alert rules on /alerts/rules; a bad rule is refused naming its field", async ({ page, request }) => {
  createUser("e2e-editor", "operator", PASSWORD.operator);
  // Anyone may read the rules; the fields are locked until an operator signs in.
  await page.goto("/alerts/rules");
  await expect(page.getByTestId("rule-road-gridlock")).toContainText("道路严重拥堵");
  await expect(page.getByTestId("rule-road-gridlock").locator("input[name='threshold']")).toBeDisabled();
  await expect(page.getByTestId("rule-new")).toHaveCount(0);

  await signIn(page, "e2e-editor", PASSWORD.operator);
  await page.goto("/alerts/rules");
  // A counting rule shows what it counts.
  await expect(page.getByTestId("rule-district-lots-full").locator("input[name='atLeastPercent']")).toHaveValue("60");
  const fill = async (clearAt: string) => {
    const form = page.getByTestId("rule-new");
    await form.getByLabel("编号", { exact: true }).fill("e2e-futian-lots");
    await form.getByLabel("名称（中文）").fill("福田停车场将满（测试）");
    await form.getByLabel("名称（英文）").fill("Futian car parks nearly full (test)");
    await form.getByLabel("指标").selectOption("parking.occupancy");
    await form.getByLabel("范围（全市、区或对象编号）").fill("futian");
    await form.getByLabel("范围内每个（可选）").selectOption("lot");
    await form.getByLabel("触发值").fill("97");
    await form.getByLabel("恢复值").fill(clearAt);
    await form.getByLabel("持续秒数").fill("120");
    await form.getByLabel("按区计数：至少占比 %（可选）").fill("30");
    await form.getByRole("button", { name: "保存" }).click();
  };
  try {
    await fill("99");
    await expect(page.locator("main p[role='alert']")).toHaveText("✕ e2e-futian-lots: clearAt: must be below the threshold (97), or the alert would flap");
    await fill("93");
    await expect(page.locator("main p[role='status']")).toHaveText("✓ 已保存: e2e-futian-lots");
    const { rules } = (await (await request.get(`${REALTIME_URL}/alerts/rules`)).json()) as { rules: { id: string; threshold: number; clearAt: number; scope: string; kind: string }[] };
    expect(rules.find((r) => r.id === "e2e-futian-lots")).toMatchObject({ threshold: 97, clearAt: 93, scope: "futian", kind: "lot", atLeastPercent: 30 });
    expect(rules.find((r) => r.id === "e2e-futian-lots")).not.toHaveProperty("atLeast");
    await expect(page.getByTestId("rule-e2e-futian-lots").locator("input[name='atLeastPercent']")).toHaveValue("30");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: test.info().outputPath("rules-1920x1080.png"), fullPage: true });
    await page.getByTestId("rule-e2e-futian-lots").getByRole("button", { name: "删除" }).click();
    await expect(page.getByTestId("rule-e2e-futian-lots")).toHaveCount(0);
  } finally {
    await request.delete(`${REALTIME_URL}/alerts/rules/e2e-futian-lots`, { headers: auth });
  }
});

test("a counting rule opens one alert on the district, the desk says how many car parks, and deleting the rule resolves it", async ({ page, request }) => {
  const COUNTING = "e2e-dapeng-count";
  // Every one of 大鹏's 7 car parks is above 1 %: at least 3 of them open one alert on the district.
  const rule = { name: { zh: "大鹏停车场有车（测试）", en: "Dapeng car parks in use (test)" }, metricId: "parking.occupancy", scope: "dapeng", kind: "lot", atLeast: 3, direction: "above", threshold: 1, clearAt: 0, forSeconds: 0, severity: "warning" };
  expect((await request.put(`${REALTIME_URL}/alerts/rules/${COUNTING}`, { headers: auth, data: rule })).status()).toBe(200);
  try {
    let alert: (Listed & { entityId: string; counted?: string }) | undefined;
    await expect
      .poll(async () => {
        const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts`)).json()) as { alerts: (Listed & { entityId: string; counted?: string })[] };
        alert = alerts.find((a) => a.ruleId === COUNTING);
        return alerts.filter((a) => a.ruleId === COUNTING).map((a) => `${a.entityId} ${a.counted}`);
      }, { timeout: 30_000 })
      .toEqual(["dapeng lot"]);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto("/alerts");
    await expect(page.getByTestId(`alert-row-${alert?.id}`)).toContainText(/大鹏新区 · [3-7] 个停车场/);
    await page.screenshot({ path: test.info().outputPath("desk-counting-1920x1080.png") });
    for (const [width, height] of [[1920, 1080], [3840, 2160]] as const) {
      await page.setViewportSize({ width, height });
      await page.goto("/");
      await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
      await expect(page.getByTestId(testIds.alertItem(alert?.id ?? ""))).toContainText(/大鹏新区 · [3-7] 个停车场/);
      await page.screenshot({ path: test.info().outputPath(`wall-counting-${width}x${height}.png`) });
    }
    // Nothing would ever clear an alert whose rule is gone: deleting the rule resolves it.
    expect((await request.delete(`${REALTIME_URL}/alerts/rules/${COUNTING}`, { headers: auth })).status()).toBe(200);
    const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts?state=all&limit=1000`)).json()) as { alerts: (Listed & { resolved: { by: string } | null })[] };
    expect(alerts.find((a) => a.id === alert?.id)?.resolved).toMatchObject({ by: "rule-changed" });
  } finally {
    await request.delete(`${REALTIME_URL}/alerts/rules/${COUNTING}`, { headers: auth });
  }
});

test("a guesser is slowed: after five wrong passwords for a name the next try waits, the form says how long, and other names are not slowed", async ({ page, baseURL }) => {
  // A client of its own (the e2e server trusts 127.0.0.1 as a proxy): the sign-ins of the tests before do not count against it.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "198.51.100.45" });
  const guess = async (name: string) => {
    await page.goto("/login");
    await page.getByLabel("用户名").fill(name);
    await page.getByLabel("密码").fill("wrong-password-e2e");
    await page.getByRole("button", { name: "登录" }).click();
    return page.locator("main p[role='alert']").textContent();
  };
  for (let i = 0; i < 5; i++) expect(await guess("e2e-guessed")).toBe("✕ 用户名或密码错误");
  // The sixth comes within the first second's wait, or a later one within its doubled wait.
  let said = "";
  for (let i = 0; i < 4 && !said.includes("尝试次数过多"); i++) said = (await guess("e2e-guessed")) ?? "";
  expect(said).toMatch(/^✕ 尝试次数过多，请 \d+ 秒后再试$/);
  // A script gets the wait as Retry-After. The form's wait may have lapsed by now (1 s on a
  // busy machine); a try admitted then doubles it, so the next one straight after is told.
  const tryDirect = () => page.request.post("/api/auth/login", { headers: { origin: baseURL! }, form: { name: "e2e-guessed", password: "x" }, maxRedirects: 0 });
  let direct = await tryDirect();
  if (!direct.headers()["retry-after"]) direct = await tryDirect();
  expect(direct.status()).toBe(303);
  expect(Number(direct.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await guess("e2e-someone-else")).toBe("✕ 用户名或密码错误");
});
