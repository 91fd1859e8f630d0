/** A trainer starts a drill on the side server; every wall shows 演练 / DRILL until it ends. */
import { expect, test } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { REALTIME_URL } from "../playwright.config";

const auth = { authorization: `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}` };

test("a running drill is marked on the wall, and the mark goes when it is stopped", async ({ page, request }) => {
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId(testIds.drillMarker)).toHaveCount(0);

  const refused = await request.post(`${REALTIME_URL}/drills`, { data: { scenario: "typhoon" } });
  expect(refused.status()).toBe(401);

  const started = await request.post(`${REALTIME_URL}/drills`, { headers: auth, data: { scenario: "accident-shennan", minutes: 30 } });
  expect(started.status()).toBe(201);
  const { drill } = (await started.json()) as { drill: { id: string } };

  const marker = page.getByTestId(testIds.drillMarker);
  await expect(marker).toBeVisible();
  await expect(marker).toContainText("演练");
  await expect(marker).toContainText("深南大道交通事故");

  const stopped = await request.delete(`${REALTIME_URL}/drills/${drill.id}`, { headers: auth });
  expect(stopped.status()).toBe(200);
  await expect(marker).toHaveCount(0);
});
