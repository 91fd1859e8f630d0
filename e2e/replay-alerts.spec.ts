/**
 * A replay shows the alerts as they were at the replayed instant, from the stored alert
 * history, and nothing live: the feed, the red frames, the chime and a kiosk's hold follow
 * the replayed alerts only, while a small notice apart from them says what is open now.
 * Both alerts are made by the real engine of the e2e run's side server with rules of this
 * spec: A opens and is resolved (the past to replay), then B opens and stays open (live).
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { shenzhenIso } from "@/lib/shenzhen-time";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";
import { calmWall } from "./calm";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };
const rule = (id: string) => `${REALTIME_URL}/alerts/rules/${id}`;
const PAST = "e2e-replay-past";
const NOW = "e2e-replay-now";
// Breached by the city's figures at once, so each opens on the next tick.
const pastRule = { name: { zh: "回放期间告警（测试）", en: "Alert in the replay (test)" }, metricId: "traffic.congestionIndex", scope: "shenzhen", direction: "above", threshold: 0.1, clearAt: 0, forSeconds: 0, severity: "critical" };
const nowRule = { name: { zh: "当前实时告警（测试）", en: "Live alert now (test)" }, metricId: "traffic.avgSpeed", scope: "shenzhen", direction: "below", threshold: 200, clearAt: 201, forSeconds: 0, severity: "critical" };
const cleared = { threshold: 1_000, clearAt: 999 };

interface Listed {
  id: string;
  ruleId: string;
  severity: string;
  openedTs: number;
  resolved: { at: number } | null;
}

async function alertOf(request: APIRequestContext, ruleId: string, state: (a: Listed) => boolean): Promise<Listed> {
  let found: Listed | undefined;
  await expect
    .poll(async () => {
      const { alerts } = (await (await request.get(`${REALTIME_URL}/alerts?state=all&limit=1000`)).json()) as { alerts: Listed[] };
      found = alerts.find((a) => a.ruleId === ruleId && state(a));
      return found !== undefined;
    }, { timeout: 20_000 })
    .toBe(true);
  return found!;
}

/** Counts the tones the page starts, through the real Web Audio API. */
const countTones = () => {
  const w = window as unknown as { tones: number };
  w.tones = 0;
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    w.tones++;
    return create.call(this);
  };
};
const tones = (page: Page) => page.evaluate(() => (window as unknown as { tones: number }).tones);
const replayedTs = async (page: Page) => Number(await page.getByTestId(testIds.replayClock).getAttribute("data-ts"));
const replayUrl = (from: number, to: number) => `replay=${encodeURIComponent(shenzhenIso(from))}&until=${encodeURIComponent(shenzhenIso(to))}&speed=1`;

let past: Listed;
let live: Listed;

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  // The city's own critical alerts would draw attention in the replayed window too.
  await calmWall();
  // The replayed windows start a few seconds before A: past the acknowledgements calmWall made.
  await new Promise((r) => setTimeout(r, 6_000));
  expect((await request.put(rule(PAST), { headers: auth, data: pastRule })).status()).toBe(200);
  const opened = await alertOf(request, PAST, (a) => a.resolved === null);
  // Open for a while, then resolved by the engine when its rule no longer holds.
  await new Promise((r) => setTimeout(r, 12_000));
  expect((await request.put(rule(PAST), { headers: auth, data: { ...pastRule, ...cleared } })).status()).toBe(200);
  past = await alertOf(request, PAST, (a) => a.id === opened.id && a.resolved !== null);
  await new Promise((r) => setTimeout(r, 10_000));
  expect((await request.put(rule(NOW), { headers: auth, data: nowRule })).status()).toBe(200);
  live = await alertOf(request, NOW, (a) => a.resolved === null);
});

test.afterAll(async ({ request }) => {
  for (const [id, body] of [[PAST, pastRule], [NOW, nowRule]] as const) {
    await request.put(rule(id), { headers: auth, data: { ...body, ...cleared } });
    await request.delete(rule(id), { headers: auth });
  }
});

test("a replay shows the alerts of the replayed time, at their times, and a live one only in the live notice", async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  expect(live.openedTs).toBeGreaterThan(past.resolved!.at + 3_000);
  const openNow = ((await (await request.get(`${REALTIME_URL}/alerts?limit=1000`)).json()) as { alerts: Listed[] }).alerts;
  const criticalNow = openNow.filter((a) => a.severity === "critical").length;
  expect(openNow.map((a) => a.id)).toContain(live.id);

  await page.addInitScript(countTones);
  await page.goto(`/?chime=1&${replayUrl(past.openedTs - 4_000, past.resolved!.at + 3_000)}`);
  const marker = page.getByTestId(testIds.replayMarker);
  await expect(marker).toHaveAttribute("data-status", "playing");
  const feed = page.getByTestId(testIds.alertFeed);
  const notice = page.getByTestId(testIds.replayLiveAlerts);

  // Before the replayed alert opened: the feed is calm, nothing is framed, nothing chimed,
  // though a critical alert is open live; the notice says so.
  expect(await replayedTs(page)).toBeLessThan(past.openedTs);
  await expect(notice).toHaveText(`◆ 实时：${criticalNow} 条严重告警未解除`);
  await expect(notice).toHaveAttribute("data-critical", String(criticalNow));
  await expect(feed.getByTestId(testIds.alertItem(live.id))).toHaveCount(0);
  await expect(feed.getByTestId(testIds.alertItem(past.id))).toHaveCount(0);
  for (const panel of ["alerts", "traffic", "map"]) await expect(page.getByTestId(testIds.panel(panel))).toHaveAttribute("data-attention", "false");
  expect(await tones(page)).toBe(0);

  // The replayed clock reaches the alert's opening: it is in the feed, and the wall draws attention to it.
  const item = feed.getByTestId(testIds.alertItem(past.id));
  await expect(item).toBeVisible({ timeout: 10_000 });
  expect(await replayedTs(page)).toBeGreaterThanOrEqual(past.openedTs);
  await expect(item).toContainText("◆ 严重");
  await expect(item).toContainText("回放期间告警（测试） · 深圳市");
  for (const panel of ["alerts", "traffic", "map"]) await expect(page.getByTestId(testIds.panel(panel))).toHaveAttribute("data-attention", "true");
  await expect.poll(() => tones(page)).toBe(2);
  await expect(feed.getByTestId(testIds.alertItem(live.id))).toHaveCount(0);
  await expect(notice).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("replay-alerts-1920x1080.png") });
  await page.setViewportSize({ width: 3840, height: 2160 });
  await expect(item).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("replay-alerts-3840x2160.png") });

  // Resolved at its time in the replay too: gone from the feed, the frames let go.
  await expect(item).toHaveCount(0, { timeout: 20_000 });
  expect(await replayedTs(page)).toBeGreaterThanOrEqual(past.resolved!.at);
  await expect(page.getByTestId(testIds.panel("alerts"))).toHaveAttribute("data-attention", "false");
  await expect(feed.getByTestId(testIds.alertItem(live.id))).toHaveCount(0);
  await expect(notice).toBeVisible();

  // The route as a script calls it: A with its times, B not in a window before it opened, a bad parameter named.
  const answer = await request.get(`/api/replay/alerts?from=${past.openedTs - 4_000}&to=${past.resolved!.at + 3_000}`);
  expect(answer.status()).toBe(200);
  const { alerts } = (await answer.json()) as { alerts: { id: string; openedTs: number; resolvedTs: number | null }[] };
  expect(alerts.find((a) => a.id === past.id)).toMatchObject({ openedTs: past.openedTs, resolvedTs: past.resolved!.at });
  expect(alerts.map((a) => a.id)).not.toContain(live.id);
  const bad = await request.get(`/api/replay/alerts?from=noon&to=${past.openedTs}`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toMatch(/^from: /);

  // Back to live: the live alert is in the feed, the notice (a replay's) is gone.
  await page.getByTestId(testIds.replayExit).click();
  await expect(feed.getByTestId(testIds.alertItem(live.id))).toBeVisible();
  await expect(notice).toHaveCount(0);
});

test("a kiosk replaying holds on the wall for a replayed critical alert, never for a live one", async ({ page }) => {
  test.setTimeout(60_000);
  // While the replayed alert is open the rotation (3 s) holds on the wall…
  await page.goto(`/?kiosk=1&views=wall:3,parking:3&${replayUrl(past.openedTs + 1_000, past.resolved!.at - 1_000)}`);
  await expect(page.getByTestId(testIds.replayMarker)).toHaveAttribute("data-status", "playing");
  await expect(page.getByTestId(testIds.alertItem(past.id))).toBeVisible();
  await page.waitForTimeout(7_000);
  await expect(page).toHaveURL(/\/\?kiosk=1.*replay=/);

  // …but a calm replayed window (between A's end and B's start) rotates on, though B is open live now.
  await page.goto(`/?kiosk=1&views=wall:3,parking:3&${replayUrl(past.resolved!.at + 1_000, live.openedTs - 1_000)}`);
  await expect(page.getByTestId(testIds.replayMarker)).toHaveAttribute("data-status", "playing");
  await expect(page).toHaveURL(/\/parking\?kiosk=1/, { timeout: 10_000 });
});
