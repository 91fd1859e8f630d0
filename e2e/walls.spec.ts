import { expect, test, type APIRequestContext } from "@playwright/test";
import { testIds } from "../lib/testids";
import { REALTIME_URL } from "../playwright.config";

interface WallEntry {
  wallId: string;
  path: string;
  status: string;
  fps: number;
  viewport: { width: number; height: number };
  connected: boolean;
}

/** What an operator sees at GET /walls: this page, by the id its watchdog keeps in sessionStorage. */
async function wallOf(request: APIRequestContext, wallId: string): Promise<WallEntry | undefined> {
  const res = await request.get(`${REALTIME_URL}/walls`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { walls: WallEntry[] }).walls.find((w) => w.wallId === wallId);
}

test("a wall reports its heartbeat: the side server lists it as rendering, and as disconnected once closed", async ({ browser, request }) => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto("/?lang=en");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  const wallId = await page.evaluate(() => sessionStorage.getItem("onescreen.wallId"));
  expect(wallId).toMatch(/^[\w-]+$/);
  // The first heartbeat comes 10 s after load.
  await expect.poll(async () => (await wallOf(request, wallId as string))?.status, { timeout: 15_000 }).toBe("ok");
  const entry = await wallOf(request, wallId as string);
  expect(entry).toMatchObject({ path: "/?lang=en", connected: true, viewport: { width: 1920, height: 1080 } });
  expect(entry?.fps).toBeGreaterThan(0);
  await page.close();
  await expect.poll(async () => (await wallOf(request, wallId as string))?.status, { timeout: 5_000 }).toBe("disconnected");
});
