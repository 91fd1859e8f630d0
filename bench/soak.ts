/**
 * `npm run soak`: the wall left running, as on a video wall for weeks, and watched for
 * growth. Unlike the benchmarks this one gates: it exits 1 when the page grows beyond
 * the bounds of lib/soak.ts (or stops showing live data), 0 otherwise.
 *
 * Product: the built app (.next, never rebuilt here: `npm run build` first) as
 * `next start` and the side server (`server/main.ts`) on a fresh SQLite file in a temp
 * directory, simulator at SOAK_SPEED (default ×60), both on 127.0.0.1, ports 3600–3699 /
 * 4600–4699. The side server's live window (SNAPSHOT_MINUTES) is set to the warm-up's
 * length unless SOAK_WINDOW_MINUTES says otherwise: on a fresh database the wall's
 * buffers fill for one window's worth of real time (bounded, and by design), so the
 * warm-up must cover the window for the measured part to see the steady state only.
 *
 * Browser: /usr/bin/chromium (bench/processes.ts), headless, 1920×1080, device scale 1,
 * `--enable-precise-memory-info --js-flags=--expose-gc`. Every SOAK_INTERVAL_S (30 s),
 * from the page's first connection, two CDP `HeapProfiler.collectGarbage` and then
 * `Performance.getMetrics` (JSHeapUsedSize, Nodes, JSEventListeners), plus the wall's
 * link state, header clock and KPI texts. Samples during SOAK_WARMUP_MINUTES (3) are
 * shown but not judged; those over the following SOAK_MINUTES (30) are judged by
 * judgeSoak (least-squares slope projected over the measured span). A heap snapshot is
 * summarised at the end of warm-up and at the end, and the constructors that grew most
 * are printed, to say where a leak is.
 *
 * Output: the curve as a table and the verdict on stdout, the curve as CSV in the OS
 * temp dir (or SOAK_CSV) — its path is printed.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { judgeSoak } from "../lib/soak";
import { testIds } from "../lib/testids";
import { ROOT, freePort, launchChromium, sleep, startWall, wallEnv } from "./processes";
import { enableProbe, heapGrowth, heapSummary, liveProblems, sample, type HeapSummary, type ProbeSample, type WallState } from "./soak-probe";

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

const SOAK_MINUTES = numberEnv("SOAK_MINUTES", 30);
const WARMUP_MINUTES = numberEnv("SOAK_WARMUP_MINUTES", 3);
const INTERVAL_S = numberEnv("SOAK_INTERVAL_S", 30);
const SPEED = numberEnv("SOAK_SPEED", 60);
const WINDOW_MINUTES = Math.max(1, Math.round(numberEnv("SOAK_WINDOW_MINUTES", Math.floor(WARMUP_MINUTES))));
const HEAP_SNAPSHOTS = process.env.SOAK_HEAP_SNAPSHOTS !== "0";
const PORTS = { web: [3600, 3699], realtime: [4600, 4699] } as const;

interface Row extends ProbeSample {
  phase: "warm-up" | "soak";
  problems: string[];
}

const pad = (s: string, n: number) => s.padStart(n);

function table(rows: readonly Row[], t0: number): string {
  const head = `${pad("minute", 7)}  ${pad("phase", 7)}  ${pad("heap MB", 8)}  ${pad("nodes", 6)}  ${pad("listeners", 9)}  live`;
  const lines = rows.map(
    (r) =>
      `${pad(((r.tMs - t0) / 60_000).toFixed(1), 7)}  ${pad(r.phase, 7)}  ${pad(r.heapMB.toFixed(2), 8)}  ${pad(String(r.nodes), 6)}  ${pad(String(r.listeners), 9)}  ${r.problems.length ? r.problems.join("; ") : "ok"}`,
  );
  return [head, ...lines].join("\n");
}

function csv(rows: readonly Row[], t0: number): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ["minute,phase,heap_mb,nodes,listeners,link,clock,problems", ...rows.map((r) => [((r.tMs - t0) / 60_000).toFixed(3), r.phase, r.heapMB.toFixed(3), r.nodes, r.listeners, r.wall.link ?? "", quote(r.wall.clock), quote(r.problems.join("; "))].join(","))].join("\n") + "\n";
}

function describeGrowth(before: HeapSummary, after: HeapSummary): string {
  return heapGrowth(before, after)
    .map((g) => `  ${g.bytes >= 0 ? "+" : ""}${(g.bytes / 1024).toFixed(1).padStart(9)} KB  ${g.count >= 0 ? "+" : ""}${String(g.count).padStart(7)} objects  ${g.key}`)
    .join("\n");
}

async function main(): Promise<number> {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (!existsSync(buildId)) {
    console.error("soak: no build in .next — run `npm run build` first (the soak never builds).");
    return 2;
  }
  const dir = mkdtempSync(path.join(tmpdir(), "onescreen-soak-"));
  const webPort = await freePort(PORTS.web);
  const realtimePort = await freePort(PORTS.realtime);
  const env = wallEnv(dir, { web: webPort, realtime: realtimePort }, { SIM_SPEED: String(SPEED), SNAPSHOT_MINUTES: String(WINDOW_MINUTES) });

  console.log(
    `soak: ×${SPEED} simulator, live window ${WINDOW_MINUTES} min, warm-up ${WARMUP_MINUTES} min, then ${SOAK_MINUTES} min sampled every ${INTERVAL_S} s; ` +
      `build of ${statSync(buildId).mtime.toISOString()}; web :${webPort}, side server :${realtimePort}; database ${env.DATABASE_URL}`,
  );
  let wall: Awaited<ReturnType<typeof startWall>> | null = null;
  let browser: Browser | null = null;
  try {
    wall = await startWall(env, { web: webPort, realtime: realtimePort });
    const { baseUrl, servers } = wall;

    browser = await launchChromium(["--enable-precise-memory-info", "--js-flags=--expose-gc"]);
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/`, { waitUntil: "load", timeout: 60_000 });
    await page.locator(`[data-testid="${testIds.linkState}"][data-state="connected"]`).waitFor({ timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    await enableProbe(cdp);

    const t0 = performance.now();
    const warmEnd = t0 + WARMUP_MINUTES * 60_000;
    const end = warmEnd + SOAK_MINUTES * 60_000;
    const rows: Row[] = [];
    let previous: WallState | null = null;
    let atWarmEnd: HeapSummary | null = null;
    for (let next = t0; next <= end + 1; next += INTERVAL_S * 1_000) {
      await sleep(Math.max(0, next - performance.now()));
      for (const server of servers) if (server.child.exitCode !== null) throw new Error(`${server.name} exited (${server.child.exitCode}):\n${server.output()}`);
      const phase = next < warmEnd - 1 ? "warm-up" : "soak";
      if (phase === "soak" && HEAP_SNAPSHOTS && !atWarmEnd) atWarmEnd = await heapSummary(cdp);
      const s = await sample(page, cdp, next);
      const row: Row = { ...s, phase, problems: liveProblems(previous, s.wall) };
      previous = s.wall;
      rows.push(row);
      console.log(table([row], t0).split("\n")[1]);
    }
    const atEnd = HEAP_SNAPSHOTS ? await heapSummary(cdp) : null;

    const measured = rows.filter((r) => r.phase === "soak");
    const judgement = judgeSoak(measured);
    const notLive = measured.filter((r) => r.problems.length > 0);
    const file = process.env.SOAK_CSV ?? path.join(tmpdir(), `onescreen-soak-${new Date().toISOString().replace(/[:.]/g, "-")}.csv`);
    writeFileSync(file, csv(rows, t0));

    console.log(`\n${table(rows, t0)}\n`);
    console.log(`curve written to ${file}`);
    if (atWarmEnd && atEnd) console.log(`\nheap snapshot, end of warm-up → end: largest growth by constructor (self size)\n${describeGrowth(atWarmEnd, atEnd)}`);
    if (pageErrors.length) console.log(`\npage errors (${pageErrors.length}): ${[...new Set(pageErrors)].slice(0, 5).join(" | ")}`);
    const live = notLive.length === 0;
    console.log(`\nlive data: ${live ? `connected, clock and KPIs changing at all ${measured.length} samples` : `${notLive.length} of ${measured.length} samples not live (${notLive[0]?.problems.join("; ")})`}`);
    console.log(`verdict: ${judgement.verdict}`);
    return judgement.pass && live ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    wall?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("soak failed:", error);
    process.exit(2);
  },
);
