/**
 * From one screen to one road, one lot, one hospital: the drill-down pages against the
 * real side server, with the socket traffic inspected for what each page is sent.
 */
import { expect, test, type Page } from "@playwright/test";
import { entityById, inScope } from "@/lib/catalog";
import { palette } from "@/lib/charts/theme";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };

/** Every Socket.IO frame event the page receives: its entity ids and its size on the wire. */
function watchFrames(page: Page): { entityIds: Set<string>; frames: number; bytes: number } {
  const seen = { entityIds: new Set<string>(), frames: 0, bytes: 0 };
  page.on("websocket", (ws) =>
    ws.on("framereceived", ({ payload }) => {
      const text = typeof payload === "string" ? payload : payload.toString();
      if (!text.startsWith('42["frame"')) return;
      const [, frame] = JSON.parse(text.slice(2)) as [string, { samples: { entityId: string }[] }];
      seen.frames++;
      seen.bytes += Buffer.byteLength(text);
      for (const s of frame.samples) seen.entityIds.add(s.entityId);
    }),
  );
  return seen;
}

async function connected(page: Page) {
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
}

test("wall panel → domain page → district → entity, then back and up with Escape", async ({ page }) => {
  await page.goto("/");
  await connected(page);
  await page.getByTestId(testIds.panelLink("parking")).click();
  await expect(page).toHaveURL(/\/parking$/);
  await expect(page.getByTestId(testIds.trail)).toContainText("智慧停车");
  const fullest = page.getByTestId(testIds.rankTable("parking")).locator("tbody tr[data-entity]");
  await expect(fullest).toHaveCount(10);

  await page.getByTestId(testIds.compareTable("parking")).locator("tr[data-entity='futian'] a").click();
  await expect(page).toHaveURL(/\/district\/futian$/);
  await expect(page.getByTestId(testIds.trail)).toContainText("福田区");
  const lots = page.getByTestId(testIds.rankTable("parking")).locator("tbody tr[data-entity]");
  await expect(lots).toHaveCount(5);
  const lotId = await lots.first().getAttribute("data-entity");
  expect(lotId).toMatch(/^lot-futian-\d{3}$/);

  await lots.first().locator("a").click();
  await expect(page).toHaveURL(new RegExp(`/entity/${lotId}$`));
  await expect(page.getByTestId(testIds.entityFacts)).toContainText(lotId ?? "");
  await expect(page.getByTestId(testIds.entityFacts)).toContainText("个泊位");
  await expect(page.getByTestId(testIds.kpi("parking.occupancy")).locator("[data-value]")).not.toHaveText("—");
  // A lot reports every 10 s: on a server up for only seconds its line needs the second report.
  await expect(page.getByTestId(testIds.chart("parking.occupancy-entity")).locator(`svg path[stroke="${palette.accent}"]`).first()).toHaveAttribute("d", /L/, { timeout: 15_000 });

  await page.goBack();
  await expect(page).toHaveURL(/\/district\/futian$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/parking$/);
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`/entity/${lotId}$`));
  // Escape climbs the trail: the entity's district, then the wall (each once its page has rendered).
  await expect(page.getByTestId(testIds.entityFacts)).toBeVisible();
  await page.locator("body").press("Escape");
  await expect(page).toHaveURL(/\/district\/futian$/);
  await expect(page.getByTestId(testIds.trail)).toContainText("福田区");
  await page.locator("body").press("Escape");
  await expect(page).toHaveURL(/\/$/);
});

test("a deep link opens the same view: language, time range and entity from the URL alone", async ({ page }) => {
  await page.goto("/entity/road-shennan?lang=en&range=1h");
  await connected(page);
  await expect(page.getByTestId(testIds.trail)).toContainText("Traffic");
  await expect(page.getByTestId(testIds.trail)).toContainText("Shennan Blvd");
  await expect(page.getByTestId(testIds.chartCaption("traffic.congestionIndex-entity"))).toContainText("Last 1 h");
  // Changing the range is kept in the URL (replacing the entry), so the link pasted now opens that range.
  await page.getByTestId(testIds.chartRange("traffic.congestionIndex-entity", "6h")).click();
  await expect(page).toHaveURL(/range=6h/);
  await page.reload();
  await expect(page.getByTestId(testIds.chartCaption("traffic.avgSpeed-entity"))).toContainText("Last 6 h");
  // The keyboard reaches the trail's first link (Tab, however many presses from wherever focus starts), with a visible focus ring.
  await expect
    .poll(async () => {
      await page.keyboard.press("Tab");
      return page.evaluate(() => document.activeElement?.textContent);
    }, { timeout: 10_000, intervals: [100] })
    .toBe("OneScreen");
  expect(await page.locator(":focus").evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
});

test("clicking a district on the wall's map opens that district; the layer switch is in the URL", async ({ page }) => {
  await page.goto("/");
  await connected(page);
  const map = page.getByTestId(testIds.map);
  await page.getByTestId(testIds.mapLayer("health")).click();
  await expect(map).toHaveAttribute("data-layer", "health");
  await expect(page).toHaveURL(/layer=health/);
  await expect(map).toContainText("平均候诊时长");
  await map.locator("svg text", { hasText: "福田" }).first().click();
  await expect(page).toHaveURL(/\/district\/futian/);
});

test("the congested-roads table re-orders live when a drill blocks 深南大道", async ({ page, request }) => {
  await page.goto("/traffic");
  await connected(page);
  const rows = page.getByTestId(testIds.rankTable("traffic")).locator("tbody tr[data-entity]");
  await expect(rows).toHaveCount(10);
  const before = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-entity")));

  const started = await request.post(`${REALTIME_URL}/drills`, { headers: auth, data: { scenario: "accident-shennan", minutes: 10 } });
  expect(started.status()).toBe(201);
  const { drill } = (await started.json()) as { drill: { id: string } };
  try {
    // Roads report every 10 s; the accident takes 深南大道 to the top.
    await expect(rows.first()).toHaveAttribute("data-entity", "road-shennan", { timeout: 30_000 });
    // Re-ordered — or, when 深南大道 already led by chance, its figure rose under the accident.
    const shennanBefore = before.indexOf("road-shennan");
    if (shennanBefore === 0) await expect(rows.first()).not.toContainText(/\b[0-2]\.\d\b/, { timeout: 30_000 });
    else expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-entity")))).not.toEqual(before);
  } finally {
    await request.delete(`${REALTIME_URL}/drills/${drill.id}`, { headers: auth });
  }
});

test("unknown districts, entities and domains are a 404 page, a mangled path a 400; the city and districts redirect to their own views", async ({ page, request }) => {
  for (const path of ["/district/atlantis", "/district/road-shennan", "/entity/lot-nowhere-001", "/weather"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByTestId(testIds.notFound)).toContainText("找不到该页面");
  }
  // A mangled link (a broken %-escape) is the client's error, said as such; never a 500.
  const mangled = await request.get("/entity/%E0%A4%A");
  expect(mangled.status()).toBe(400);
  expect(await mangled.text()).toContain("malformed %-escape");
  const district = await request.get("/entity/nanshan", { maxRedirects: 0 });
  expect(district.status()).toBe(307);
  expect(district.headers().location).toMatch(/\/district\/nanshan$/);
});

test("each page is sent only its own streams: a district page nothing of another district; frame sizes", async ({ page }, testInfo) => {
  const sizes: Record<string, { frames: number; bytesPerFrame: number; entities: number }> = {};
  for (const [name, path, scope] of [
    ["wall", "/", "shenzhen"],
    ["domain /parking", "/parking", "shenzhen"],
    ["district /district/futian", "/district/futian", "futian"],
    ["entity /entity/lot-futian-001", "/entity/lot-futian-001", "lot-futian-001"],
  ] as const) {
    const seen = watchFrames(page);
    await page.goto(path);
    await connected(page);
    await page.waitForTimeout(12_000); // more than one report of every entity (each reports every 10 s)
    page.removeAllListeners("websocket");
    expect(seen.frames, name).toBeGreaterThan(0);
    const outside = [...seen.entityIds].filter((id) => !inScope(id, scope));
    expect(outside, `${name}: samples outside ${scope}`).toEqual([]);
    if (name === "wall") expect([...seen.entityIds].every((id) => ["city", "district"].includes(entityById(id)?.kind ?? ""))).toBe(true);
    if (name.startsWith("entity")) expect([...seen.entityIds]).toEqual(["lot-futian-001"]);
    sizes[name] = { frames: seen.frames, bytesPerFrame: Math.round(seen.bytes / seen.frames), entities: seen.entityIds.size };
  }
  console.log(`frame sizes per page (12 s each): ${JSON.stringify(sizes)}`);
  await testInfo.attach("frame-sizes.json", { body: JSON.stringify(sizes, null, 2), contentType: "application/json" });
  expect(sizes["district /district/futian"]!.bytesPerFrame).toBeLessThan(sizes["domain /parking"]!.bytesPerFrame);
});
