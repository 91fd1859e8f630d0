/**
 * The short soak: the wall served by this suite's servers (simulator at the suite's
 * speed, ×1 unless SIM_SPEED is set — `npm run soak` is the long one, at ×60), 45 s of
 * warm-up, then a sample every 15 s for 75 s: forced GC, JS heap, DOM nodes and event
 * listeners through CDP, judged by lib/soak.ts. The second test proves the probe and
 * the judgement see a real leak: the same sampling on a page into which a leak of DOM
 * nodes, heap and listeners is injected must fail.
 */
import { expect, test, type Page } from "@playwright/test";
import { judgeSoak } from "@/lib/soak";
import { testIds } from "@/lib/testids";
import { enableProbe, liveProblems, sample, type ProbeSample } from "../bench/soak-probe";

const WARMUP_MS = 45_000;
const INTERVAL_MS = 15_000;
const SAMPLES = 6;

async function sampleEvery(page: Page, intervalMs: number, count: number): Promise<ProbeSample[]> {
  const cdp = await page.context().newCDPSession(page);
  await enableProbe(cdp);
  const out: ProbeSample[] = [];
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + i * intervalMs;
    await page.waitForTimeout(Math.max(0, due - Date.now()));
    out.push(await sample(page, cdp, due));
  }
  await cdp.detach();
  return out;
}

const table = (samples: readonly ProbeSample[]) =>
  samples.map((s) => `${((s.tMs - (samples[0]?.tMs ?? 0)) / 1000).toFixed(0).padStart(4)} s  ${s.heapMB.toFixed(2).padStart(7)} MB  ${String(s.nodes).padStart(6)} nodes  ${String(s.listeners).padStart(5)} listeners`).join("\n");

test("the live wall does not grow after warm-up: heap, DOM nodes and listeners stay within bounds", async ({ page }, testInfo) => {
  test.setTimeout(WARMUP_MS + SAMPLES * INTERVAL_MS + 60_000);
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await page.waitForTimeout(WARMUP_MS);

  const samples = await sampleEvery(page, INTERVAL_MS, SAMPLES);
  const judgement = judgeSoak(samples);
  await testInfo.attach("soak-curve.txt", { body: `${table(samples)}\n${judgement.verdict}\n`, contentType: "text/plain" });
  console.log(`${table(samples)}\n${judgement.verdict}`);

  // Still live throughout: connected, the clock and the KPI figures moving between samples.
  const problems = samples.flatMap((s, i) => liveProblems(samples[i - 1]?.wall ?? null, s.wall).map((p) => `sample ${i}: ${p}`));
  expect(problems).toEqual([]);
  expect(judgement.pass, judgement.verdict).toBe(true);
});

test("the same probe and judgement fail a page that leaks DOM nodes, heap and listeners", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/");
  await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await page.waitForTimeout(5_000);
  // Every 250 ms: 25 more <div>s in the document, 256 KB more retained, one more listener.
  await page.evaluate(() => {
    const kept: unknown[] = [];
    const sink = document.createElement("div");
    sink.hidden = true;
    document.body.append(sink);
    setInterval(() => {
      for (let i = 0; i < 25; i++) sink.append(document.createElement("div"));
      kept.push(new Array<number>(32_768).fill(Math.random()));
      window.addEventListener("resize", () => kept.length);
    }, 250);
  });

  const samples = await sampleEvery(page, 3_000, 6);
  const judgement = judgeSoak(samples);
  console.log(`${table(samples)}\n${judgement.verdict}`);
  expect(judgement.pass, judgement.verdict).toBe(false);
  expect({ heap: judgement.heap.pass, nodes: judgement.nodes.pass, listeners: judgement.listeners.pass }).toEqual({ heap: false, nodes: false, listeners: false });
});
