import { expect, test, type APIRequestContext } from "@playwright/test";
import { testIds } from "../lib/testids";
import { REALTIME_URL } from "../playwright.config";

interface WallEntry {
  wallId: string;
  path: string;
  status: string;
  lastHeartbeatAgeSeconds: number;
  fps: number;
  viewport: { width: number; height: number };
  connected: boolean;
}

/** What an operator sees at GET /walls: this page, by the id the side server gave it. */
async function wallOf(request: APIRequestContext, wallId: string): Promise<WallEntry | undefined> {
  const res = await request.get(`${REALTIME_URL}/walls`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { walls: WallEntry[] }).walls.find((w) => w.wallId === wallId);
}

test("a wall reports its heartbeat: the side server names it, lists it as rendering, as disconnected once closed, and a reload is the same wall", async ({ browser, request }) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto("/?lang=en");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  // The first heartbeat comes 10 s after load; its answer names the wall and gives the page its token.
  const token = () => page.evaluate(() => sessionStorage.getItem("onescreen.wall"));
  await expect.poll(token, { timeout: 15_000 }).toMatch(/^[0-9a-f]{12}\.[\w-]{22}$/);
  const wallId = (await token())!.split(".")[0]!;
  await expect.poll(async () => (await wallOf(request, wallId))?.status, { timeout: 5_000 }).toBe("ok");
  const entry = await wallOf(request, wallId);
  expect(entry).toMatchObject({ path: "/?lang=en", connected: true, viewport: { width: 1920, height: 1080 } });
  expect(entry?.fps).toBeGreaterThan(0);

  // A reload keeps the token (sessionStorage) and reports as the same wall.
  await page.reload();
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  // The old page's socket closed; 10 s later the new page's first heartbeat brings the same wall back.
  await expect.poll(async () => (await wallOf(request, wallId))?.status, { timeout: 5_000 }).toBe("disconnected");
  await expect.poll(async () => (await wallOf(request, wallId))?.status, { timeout: 15_000 }).toBe("ok");
  expect((await token())!.split(".")[0]).toBe(wallId);

  await page.close();
  await expect.poll(async () => (await wallOf(request, wallId))?.status, { timeout: 5_000 }).toBe("disconnected");
  await context.close();
});
