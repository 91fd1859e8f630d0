/**
 * Outages, as the wall lives through them: the browser cut off from a running side
 * server (the wall must refill every second it missed), and the side server itself
 * stopped (the chart must show the hole as a hole). Each chart is read back through
 * its own CSV export and compared with the database the side server writes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { CITY_ID } from "@/lib/catalog";
import { palette } from "@/lib/charts/theme";
import { testIds } from "@/lib/testids";

const METRIC = "traffic.congestionIndex";
const CHART = "traffic-trend";
const OUTAGE_MS = 30_000;

interface Row {
  ts: number;
  value: number;
}

function stored(dbFile: string): Row[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(`SELECT "ts", "value" FROM "MetricSample" WHERE "metricId" = ? AND "entityId" = ? ORDER BY "ts"`).all(METRIC, CITY_ID) as Row[];
  } finally {
    db.close();
  }
}

/** A CSS hex colour as getComputedStyle writes it. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** What the chart draws, as its CSV export gives it: [epoch ms, value, samples] per row. */
async function chartCsv(page: Page): Promise<{ ts: number; value: number; samples: number }[]> {
  await page.getByTestId(testIds.chartExportMenu(CHART)).click();
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.getByTestId(testIds.chartExport(CHART)).click()]);
  const lines = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n").slice(1);
  return lines.map((line) => {
    const [, epoch, value, , , samples] = line.split(",");
    return { ts: Number(epoch), value: Number(value), samples: Number(samples) };
  });
}

test("a browser cut off for 30 s while the server keeps producing gets every second of it back", async ({ page, context }, testInfo) => {
  test.setTimeout(120_000);
  const dbFile = process.env.ONESCREEN_E2E_DB!;
  let cut = false;
  const sockets: { close(): Promise<void> }[] = [];
  // Every WebSocket goes through here: passed through while connected, refused while cut.
  await page.routeWebSocket(/socket\.io/, (ws) => {
    if (cut) return void ws.close();
    ws.connectToServer();
    sockets.push(ws);
  });
  await page.route(/socket\.io/, (route) => (cut ? route.abort("internetdisconnected") : route.continue()));

  await page.goto("/");
  const link = page.getByTestId(testIds.linkState);
  await expect(link).toHaveAttribute("data-state", "connected");
  await page.waitForTimeout(3_000);

  cut = true;
  const cutAt = Date.now();
  await context.setOffline(true);
  await Promise.all(sockets.splice(0).map((ws) => ws.close()));
  await expect(link).not.toHaveAttribute("data-state", "connected");
  await page.waitForTimeout(OUTAGE_MS);
  cut = false;
  const backAt = Date.now();
  await context.setOffline(false);
  await expect(link).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
  await page.waitForTimeout(2_000);
  await page.screenshot({ path: testInfo.outputPath("after-cut-1920x1080.png") });

  const drawn = new Map((await chartCsv(page)).map((r) => [r.ts, r.value]));
  const missed = stored(dbFile).filter((r) => r.ts >= cutAt && r.ts <= backAt);
  expect(missed.length).toBeGreaterThanOrEqual(OUTAGE_MS / 1_000 - 2);
  const absent = missed.filter((r) => drawn.get(r.ts) === undefined || Math.abs(drawn.get(r.ts)! - r.value) > 1e-9);
  expect({ storedDuringTheCut: missed.length, notDrawnAsStored: absent.map((r) => new Date(r.ts).toISOString()) }).toEqual({
    storedDuringTheCut: missed.length,
    notDrawnAsStored: [],
  });
});

test.describe("with a side server of its own", () => {
  const WEB_PORT = 3220;
  const REALTIME_PORT = 4220;
  const dbFile = join(tmpdir(), `onescreen-e2e-outage-${Date.now()}.db`);
  const env = {
    ...process.env,
    PORT: String(WEB_PORT),
    REALTIME_PORT: String(REALTIME_PORT),
    DATABASE_URL: `file:${dbFile}`,
    ADMIN_TOKEN: "outage-test-token-0123456789",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const children: ChildProcess[] = [];
  let sideServer: ChildProcess | null = null;

  // Each in its own process group, stopped as a group: tsx and next run the real server in a child
  // process, which would otherwise outlive the test and hold the port.
  const start = (command: string, args: string[]): ChildProcess => {
    const child = spawn(join("node_modules", ".bin", command), args, { env, stdio: "ignore", detached: true });
    children.push(child);
    return child;
  };
  const signal = (child: ChildProcess, name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // ESRCH: the whole group is gone already.
    }
  };
  const healthy = async (url: string): Promise<void> => {
    await expect.poll(() => fetch(url).then((r) => r.ok, () => false), { timeout: 60_000, intervals: [250] }).toBe(true);
  };
  const startSideServer = async (): Promise<void> => {
    sideServer = start("tsx", ["server/main.ts"]);
    await healthy(`http://127.0.0.1:${REALTIME_PORT}/healthz`);
  };
  const stopSideServer = async (): Promise<void> => {
    const child = sideServer!;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    signal(child, "SIGTERM");
    await exited;
    await expect.poll(() => fetch(`http://127.0.0.1:${REALTIME_PORT}/healthz`).then(() => "listening", () => "stopped")).toBe("stopped");
  };

  test.beforeAll(async () => {
    // A server left on these ports would answer for ours and make the test meaningless.
    for (const port of [WEB_PORT, REALTIME_PORT]) {
      expect(await fetch(`http://127.0.0.1:${port}/`).then(() => `port ${port} in use`, () => "free")).toBe("free");
    }
    await startSideServer();
    start("next", ["start", "-p", String(WEB_PORT)]);
    await healthy(`http://127.0.0.1:${WEB_PORT}/`);
  });

  test.afterAll(() => {
    for (const child of children) signal(child, "SIGKILL");
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbFile}${suffix}`, { force: true });
  });

  test("a frozen side server (SIGSTOP): the link says connected but silent within seconds, by word, colour and mark, and live again after SIGCONT", async ({ page }, testInfo) => {
    test.setTimeout(90_000);
    await page.goto(`http://127.0.0.1:${WEB_PORT}/`);
    const link = page.getByTestId(testIds.linkState);
    await expect(link).toHaveAttribute("data-state", "connected");
    await expect(link).toHaveText("●实时连接");
    signal(sideServer!, "SIGSTOP");
    const frozenAt = Date.now();
    try {
      // The socket stays open (the kernel keeps the TCP connection): only the data can tell.
      await expect(link).toHaveAttribute("data-state", "silent", { timeout: 6_000 });
      expect(Date.now() - frozenAt).toBeLessThan(6_000);
      await expect(link).toHaveText("◌已连接 · 无数据");
      expect(await link.evaluate((el) => getComputedStyle(el).color)).toBe(rgb(palette.warn));
      await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-stale", "true", { timeout: 10_000 });
      await page.screenshot({ path: testInfo.outputPath("frozen-side-server-1920x1080.png") });
    } finally {
      signal(sideServer!, "SIGCONT");
    }
    await expect(link).toHaveAttribute("data-state", "connected", { timeout: 10_000 });
    await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-stale", "false", { timeout: 10_000 });
  });

  test("a side server down for 30 s shows as an explicit gap, not a line drawn across it", async ({ page }, testInfo) => {
    test.setTimeout(150_000);
    await page.goto(`http://127.0.0.1:${WEB_PORT}/`);
    const link = page.getByTestId(testIds.linkState);
    await expect(link).toHaveAttribute("data-state", "connected");
    await page.waitForTimeout(15_000);

    await stopSideServer();
    const lastBefore = stored(dbFile).at(-1)!.ts;
    await expect(link).not.toHaveAttribute("data-state", "connected");
    await page.waitForTimeout(OUTAGE_MS);
    // Nothing old shows as current: every live panel greys out saying since when, and the header counts them
    // (four domains, the map, the districts and the alerts, whose "none open" is no longer known).
    await expect(page.getByTestId(testIds.panel("traffic"))).toHaveAttribute("data-stale", "true");
    await expect(page.getByTestId(testIds.panelAge("traffic"))).toContainText("数据中断");
    await expect(page.getByTestId(testIds.staleCount)).toHaveText("⚠ 7 个面板数据中断");
    await startSideServer();
    await expect(link).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
    await expect(page.getByTestId(testIds.staleCount)).toHaveCount(0);
    await page.waitForTimeout(5_000);

    const rows = stored(dbFile);
    const firstAfter = rows.find((r) => r.ts > lastBefore)!.ts;
    expect(firstAfter - lastBefore).toBeGreaterThanOrEqual(OUTAGE_MS);

    // The chart holds data on both sides and nothing inside the outage.
    const drawn = await chartCsv(page);
    expect(drawn.some((r) => r.ts <= lastBefore)).toBe(true);
    expect(drawn.some((r) => r.ts >= firstAfter)).toBe(true);
    expect(drawn.filter((r) => r.ts > lastBefore && r.ts < firstAfter)).toEqual([]);
    // The line is broken there: two or more separate strokes, not one.
    const line = page.getByTestId(testIds.chart(CHART)).locator(`svg path[stroke="${palette.accent}"]`);
    const strokes = await line.evaluateAll((paths) => paths.map((p) => (p.getAttribute("d")?.match(/M/g) ?? []).length));
    expect(Math.max(...strokes)).toBeGreaterThanOrEqual(2);

    // Zoomed to the outage (custom range, read from the history API), the hole is labelled.
    const minute = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
    await page.getByTestId(testIds.chartRange(CHART, "custom")).click();
    const form = page.getByTestId(testIds.customRange(CHART));
    await form.locator("input[name=from]").fill(minute(lastBefore - 60_000));
    await form.locator("input[name=to]").fill(minute(firstAfter + 120_000));
    await form.getByRole("button", { name: "应用" }).click();
    // The last labelled span is the outage (the window may also start before this stack's first sample).
    await expect(page.getByTestId(testIds.chart(CHART)).locator("svg text", { hasText: "无数据" }).last()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("outage-gap-1920x1080.png") });
  });
});
