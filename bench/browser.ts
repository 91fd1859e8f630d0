/**
 * The wall in a real Chromium: how long from a sample's creation on the server until
 * the chart showing it has drawn it, and what one 1 Hz update of the whole wall costs
 * the browser's main thread.
 *
 * Product: the built app (.next, never rebuilt here) started as `next start` and the
 * side server (`server/main.ts`, simulator at ×1, so a sample's `ts` is the wall-clock
 * instant it was simulated for) on a fresh SQLite file, both on 127.0.0.1. Browser:
 * /usr/bin/chromium through playwright-core, headless, --no-sandbox --disable-gpu,
 * device scale factor 1, one page per resolution (1920×1080, then 3840×2160).
 *
 * Probes, all outside the product (nothing in app/, components/ or lib/ is changed):
 * - an init script wraps `window.WebSocket` before the bundle loads and listens for
 *   messages ahead of engine.io's `onmessage`: every Socket.IO `frame` packet is timed
 *   on arrival (Date.now()) with its domain and its samples' `ts` (regex, no JSON.parse);
 *   when told to, it stops the packet there (`stopImmediatePropagation`), which is the
 *   idle baseline: the same page, connected, its 1 Hz clock ticking, no frames arriving;
 * - a PerformanceObserver for `longtask` entries;
 * - after warm-up, each chart's ECharts instance is reached through React's fiber of
 *   echarts-for-react's element (`stateNode.getEchartsInstance()`); its `setOption` is
 *   wrapped and its real `finished` event subscribed. A frame of domain D counts for a
 *   chart of D at the first `setOption` after the frame arrived (that option holds the
 *   frame's samples: the store is updated on arrival) and is drawn at the next `finished`.
 * - CDP `Performance.getMetrics` every second: TaskDuration (all main-thread tasks),
 *   ScriptDuration, LayoutDuration, RecalcStyleDuration deltas per real second, i.e.
 *   per 1 Hz update of the whole wall (4 domain frames + the wall's own 1 s ticker).
 *
 * Figures: sample → frame arrival (baseline: the socket delivery alone, ts of the
 * oldest sample in the frame to the message event) and sample → `finished` (ts of the
 * oldest sample of the frame to the chart's finished), per resolution; main-thread ms
 * per second live and idle. Finally a short CPU profile of the 4K wall, live, grouped by
 * script (ECharts/zrender, React, app) and function, to say where the time goes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { fmt, type Benchmark, type Row, type Verdict } from "./lib";
import { CHROMIUM, freePort, launchChromium, sleep, startWall, wallEnv } from "./processes";

const RESOLUTIONS = [
  { label: "1920×1080", width: 1920, height: 1080 },
  { label: "3840×2160", width: 3840, height: 2160 },
] as const;
/** After the page is connected: charts mounted, ECharts' initial double init done, JIT warm. */
const WARMUP_MS = 6_000;
/** Each measured case (live, idle) per resolution; BENCH_BROWSER_MEASURE_MS shortens it for a smoke run. */
const MEASURE_MS = Number(process.env.BENCH_BROWSER_MEASURE_MS ?? 30_000);
/** Between live and idle: frames in flight drain. */
const SETTLE_MS = 2_000;
const PROFILE_MS = 8_000;
const SAMPLE_TO_PIXEL_P99_MS = 100;
const TICK_P99_MS = 16;
const LONG_TASK_MS = 50;
const PORTS = { web: [3800, 3899], realtime: [4800, 4899] } as const;

// ---------------------------------------------------------------- page-side probes
// Plain JavaScript strings: functions compiled by tsx would carry helpers the page lacks.

const INIT_SCRIPT = `(() => {
  const B = { drop: false, recording: false, dropped: 0, unrendered: 0, frames: [], latencies: [], longTasks: [], charts: [] };
  window.__oneScreenBench = B;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {}
  const TS = /"ts":(\\d+)/g;
  const DOMAIN = /"domain":"([a-z]+)"/;
  const Native = window.WebSocket;
  class Probed extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const data = event.data;
        if (typeof data !== "string" || !data.startsWith('42["frame"')) return;
        const at = Date.now();
        const domain = (DOMAIN.exec(data) || [])[1] || "?";
        let min = Infinity, max = -Infinity, n = 0;
        for (const m of data.matchAll(TS)) { const ts = Number(m[1]); if (ts < min) min = ts; if (ts > max) max = ts; n++; }
        if (B.drop) { event.stopImmediatePropagation(); B.dropped++; return; }
        if (!B.recording) return;
        B.frames.push({ domain, at, min, max, n, bytes: data.length });
        for (const c of B.charts) if (c.domain === domain) { if (c.pending) B.unrendered++; c.pending = { at, min }; }
      });
    }
  }
  window.WebSocket = Probed;
})();`;

/** Finds every chart's ECharts instance through React's fiber and hooks setOption + finished. */
const ATTACH_SCRIPT = `(() => {
  const B = window.__oneScreenBench;
  const found = [];
  for (const wrapper of document.querySelectorAll('[data-testid^="chart-"]:not([data-testid^="chart-caption-"])')) {
    const id = wrapper.getAttribute("data-testid").slice("chart-".length);
    const el = wrapper.firstElementChild;
    const key = el && Object.keys(el).find((k) => k.startsWith("__reactFiber$"));
    let fiber = key ? el[key] : null;
    while (fiber && !(fiber.stateNode && typeof fiber.stateNode.getEchartsInstance === "function")) fiber = fiber.return;
    const chart = fiber ? fiber.stateNode.getEchartsInstance() : null;
    if (!chart) { found.push(id + ": no instance"); continue; }
    const c = { id, domain: id.split("-")[0], pending: null, inFlight: [], finished: 0, setOptions: 0 };
    const setOption = chart.setOption;
    chart.setOption = function (...args) {
      if (B.recording) {
        c.setOptions++;
        if (c.pending) { c.inFlight.push(c.pending); c.pending = null; }
      }
      return setOption.apply(this, args);
    };
    chart.on("finished", () => {
      if (!B.recording) return;
      c.finished++;
      const t = Date.now();
      for (const p of c.inFlight) B.latencies.push([id, t - p.min, t - p.at]);
      c.inFlight = [];
    });
    B.charts.push(c);
    found.push(id);
  }
  return found;
})()`;

interface PageState {
  dropped: number;
  unrendered: number;
  frames: { domain: string; at: number; min: number; max: number; n: number; bytes: number }[];
  /** [chart id, sample ts → finished ms, frame arrival → finished ms] */
  latencies: [string, number, number][];
  longTasks: [number, number][];
  charts: { id: string; finished: number; setOptions: number }[];
  perfNow: number;
}

const READ_SCRIPT = `(() => {
  const B = window.__oneScreenBench;
  return { dropped: B.dropped, unrendered: B.unrendered, frames: B.frames, latencies: B.latencies, longTasks: B.longTasks,
    charts: B.charts.map((c) => ({ id: c.id, finished: c.finished, setOptions: c.setOptions })), perfNow: performance.now() };
})()`;

const RESET_SCRIPT = (record: boolean, drop: boolean) => `(() => {
  const B = window.__oneScreenBench;
  B.recording = ${record}; B.drop = ${drop}; B.dropped = 0; B.unrendered = 0; B.frames = []; B.latencies = [];
  for (const c of B.charts) { c.pending = null; c.inFlight = []; c.finished = 0; c.setOptions = 0; }
  return performance.now();
})()`;

// ---------------------------------------------------------------- processes

// ---------------------------------------------------------------- figures

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

interface SecondSample {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

/** Main-thread time per real second from CDP Performance.getMetrics, polled every second. */
async function perSecondCost(cdp: CDPSession, durationMs: number): Promise<SecondSample[]> {
  const read = async () => {
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    const m = new Map(metrics.map((x) => [x.name, x.value]));
    return { at: performance.now(), task: m.get("TaskDuration") ?? 0, script: m.get("ScriptDuration") ?? 0, layout: m.get("LayoutDuration") ?? 0, style: m.get("RecalcStyleDuration") ?? 0 };
  };
  const out: SecondSample[] = [];
  let previous = await read();
  const end = previous.at + durationMs;
  let next = previous.at + 1_000;
  while (next <= end + 1) {
    await sleep(Math.max(0, next - performance.now()));
    const current = await read();
    const perSecond = 1_000 / (current.at - previous.at);
    out.push({
      taskMs: (current.task - previous.task) * 1_000 * perSecond,
      scriptMs: (current.script - previous.script) * 1_000 * perSecond,
      layoutMs: (current.layout - previous.layout) * 1_000 * perSecond,
      styleMs: (current.style - previous.style) * 1_000 * perSecond,
    });
    previous = current;
    next += 1_000;
  }
  return out;
}

interface CaseResult {
  resolution: string;
  mode: "live" | "idle";
  seconds: SecondSample[];
  longTasks: number[];
  state: PageState;
}

async function measureCase(page: Page, cdp: CDPSession, resolution: string, mode: "live" | "idle"): Promise<CaseResult> {
  if (mode === "idle") {
    await page.evaluate(RESET_SCRIPT(false, true));
    await sleep(SETTLE_MS);
  }
  const t0 = (await page.evaluate(RESET_SCRIPT(true, mode === "idle"))) as number;
  const seconds = await perSecondCost(cdp, MEASURE_MS);
  const state = (await page.evaluate(READ_SCRIPT)) as PageState;
  const longTasks = state.longTasks.filter(([start]) => start >= t0 && start <= state.perfNow).map(([, duration]) => duration);
  return { resolution, mode, seconds, longTasks, state };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Self time by script and by function over a few seconds of the live wall. */
async function profile(cdp: CDPSession, baseUrl: string): Promise<{ byScript: [string, number][]; byFunction: [string, number][]; totalMs: number }> {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  await sleep(PROFILE_MS);
  const { profile: p } = (await cdp.send("Profiler.stop")) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  await cdp.send("Profiler.disable");
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i + 1] ?? 0)));

  const kinds = new Map<string, string>();
  const kindOf = async (url: string): Promise<string> => {
    if (!url) return "(native / V8)";
    const known = kinds.get(url);
    if (known) return known;
    let kind = path.basename(new URL(url).pathname);
    try {
      const text = await (await fetch(url.startsWith("http") ? url : new URL(url, baseUrl))).text();
      if (text.includes("getInstanceByDom")) kind = `bundle with ECharts/zrender${text.includes("district-table") ? " + wall components" : ""} (${kind})`;
      else if (text.includes("__reactFiber$") || text.includes("react-dom")) kind = `React DOM (${kind})`;
      else if (text.includes("engine.io") || text.includes("socket.io")) kind = `Socket.IO client (${kind})`;
      else kind = `app/other (${kind})`;
    } catch {
      // keep the file name
    }
    kinds.set(url, kind);
    return kind;
  };

  const byScript = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    totalUs += us;
    const kind = functionName.startsWith("(") ? functionName : await kindOf(url);
    byScript.set(kind, (byScript.get(kind) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${url ? `${path.basename(url)}:${lineNumber + 1}:${columnNumber + 1}` : ""}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]): [string, number] => [name, us / 1_000]);
  return { byScript: top(byScript, 8), byFunction: top(byFunction, 12), totalMs: totalUs / 1_000 };
}

async function openWall(context: BrowserContext, baseUrl: string): Promise<{ page: Page; cdp: CDPSession; charts: string[] }> {
  const page = await context.newPage();
  await page.addInitScript(INIT_SCRIPT);
  await page.goto(`${baseUrl}/`, { waitUntil: "load", timeout: 60_000 });
  await page.locator('[data-testid="link-state"][data-state="connected"]').waitFor({ timeout: 30_000 });
  await sleep(WARMUP_MS);
  const charts = (await page.evaluate(ATTACH_SCRIPT)) as string[];
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
  return { page, cdp, charts };
}

// ---------------------------------------------------------------- the benchmark

async function run() {
  const dir = mkdtempSync(path.join(tmpdir(), "onescreen-bench-browser-"));
  const webPort = await freePort(PORTS.web);
  const realtimePort = await freePort(PORTS.realtime);
  const env = wallEnv(dir, { web: webPort, realtime: realtimePort }, { SIM_SPEED: "1" });

  let wall: Awaited<ReturnType<typeof startWall>> | null = null;
  let browser: Browser | null = null;
  try {
    const startedAt = performance.now();
    wall = await startWall(env, { web: webPort, realtime: realtimePort });
    const { baseUrl } = wall;
    const serversReadyMs = performance.now() - startedAt;

    browser = await launchChromium();
    const results: CaseResult[] = [];
    const chartsFound: Record<string, string[]> = {};
    let prof: Awaited<ReturnType<typeof profile>> | null = null;
    for (const res of RESOLUTIONS) {
      const context = await browser.newContext({ viewport: { width: res.width, height: res.height }, deviceScaleFactor: 1 });
      try {
        const { page, cdp, charts } = await openWall(context, baseUrl);
        chartsFound[res.label] = charts;
        results.push(await measureCase(page, cdp, res.label, "live"));
        if (res === RESOLUTIONS[RESOLUTIONS.length - 1]) {
          await page.evaluate(RESET_SCRIPT(false, false));
          prof = await profile(cdp, baseUrl);
        }
        results.push(await measureCase(page, cdp, res.label, "idle"));
      } finally {
        await context.close();
      }
    }
    return { results, chartsFound, prof, serversReadyMs, webPort, realtimePort };
  } finally {
    await browser?.close().catch(() => undefined);
    wall?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const browserBenchmark: Benchmark = {
  name: "browser",
  summary: "the wall in Chromium: sample → ECharts `finished` latency, and main-thread time per 1 Hz update at 1920×1080 and 3840×2160",
  async run() {
    const { results, chartsFound, prof, serversReadyMs, webPort, realtimePort } = await run();
    const rows: Row[] = [];
    const verdicts: Verdict[] = [];
    const notes: string[] = [];
    const data: Record<string, unknown> = {
      settings: { WARMUP_MS, MEASURE_MS, SETTLE_MS, PROFILE_MS, chromium: CHROMIUM, webPort, realtimePort, serversReadyMs: Math.round(serversReadyMs) },
      chartsFound,
    };

    for (const res of RESOLUTIONS) {
      const live = results.find((r) => r.resolution === res.label && r.mode === "live");
      const idle = results.find((r) => r.resolution === res.label && r.mode === "idle");
      if (!live || !idle) continue;

      // (3) sample → pixel, with the socket delivery as baseline.
      const socket = stats(live.state.frames.map((f) => f.at - f.min));
      const pixel = stats(live.state.latencies.map(([, ms]) => ms));
      const arrivalToFinished = stats(live.state.latencies.map(([, , ms]) => ms));
      const byKind = (kind: string) => stats(live.state.latencies.filter(([id]) => id.endsWith(kind)).map(([, ms]) => ms));
      const trend = byKind("-trend");
      const bars = byKind("-districts");
      const latencyRow = (what: string, s: Stats, unit: string): Row => ({
        resolution: res.label,
        figure: what,
        n: fmt(s.n, 0),
        unit,
        p50: fmt(s.p50, 1),
        p99: fmt(s.p99, 1),
        max: fmt(s.max, 1),
        "p99 − socket p99": what.startsWith("baseline") ? "" : fmt(s.p99 - socket.p99, 1),
      });
      rows.push(latencyRow("baseline: sample ts → socket frame event", socket, "ms (frames)"));
      rows.push(latencyRow("sample ts → ECharts finished (all charts)", pixel, "ms (chart updates)"));
      rows.push(latencyRow("  … trend charts", trend, "ms (chart updates)"));
      rows.push(latencyRow("  … district bar charts", bars, "ms (chart updates)"));
      rows.push(latencyRow("  frame event → finished", arrivalToFinished, "ms (chart updates)"));
      verdicts.push({
        target: `${res.label}: sample → ECharts finished p99 ≤ ${SAMPLE_TO_PIXEL_P99_MS} ms`,
        figure: `p99 ${fmt(pixel.p99, 1)} ms (p50 ${fmt(pixel.p50, 1)}, max ${fmt(pixel.max, 1)}, ${pixel.n} chart updates); socket delivery alone p99 ${fmt(socket.p99, 1)} ms (p50 ${fmt(socket.p50, 1)}), so rendering adds ≈ ${fmt(pixel.p50 - socket.p50, 1)} ms at p50`,
        pass: pixel.n > 0 && pixel.p99 <= SAMPLE_TO_PIXEL_P99_MS,
      });

      // (4) main-thread time per 1 Hz update, with the idle wall as baseline.
      const costRow = (r: CaseResult): Row => {
        const task = stats(r.seconds.map((s) => s.taskMs));
        const script = stats(r.seconds.map((s) => s.scriptMs));
        const layoutStyle = stats(r.seconds.map((s) => s.layoutMs + s.styleMs));
        return {
          resolution: res.label,
          figure: r.mode === "live" ? "main thread per 1 s tick, live (4 frames + ticker)" : "baseline: main thread per 1 s, idle (no frames, ticker only)",
          n: fmt(task.n, 0),
          unit: "ms/s",
          p50: fmt(task.p50, 1),
          p99: fmt(task.p99, 1),
          max: fmt(task.max, 1),
          "script p50": fmt(script.p50, 1),
          "layout+style p50": fmt(layoutStyle.p50, 1),
          "long tasks": `${r.longTasks.length}${r.longTasks.length ? ` (max ${fmt(Math.max(...r.longTasks), 0)})` : ""}`,
        };
      };
      rows.push(costRow(live), costRow(idle));
      const liveTask = stats(live.seconds.map((s) => s.taskMs));
      const idleTask = stats(idle.seconds.map((s) => s.taskMs));
      const longest = live.longTasks.length ? Math.max(...live.longTasks) : 0;
      verdicts.push({
        target: `${res.label}: main-thread time per 1 Hz update p99 ≤ ${TICK_P99_MS} ms`,
        figure: `p99 ${fmt(liveTask.p99, 1)} ms/s (p50 ${fmt(liveTask.p50, 1)}, ${liveTask.n} s) against the idle wall's p99 ${fmt(idleTask.p99, 1)} (p50 ${fmt(idleTask.p50, 1)}): the frames' share ≈ ${fmt(liveTask.p50 - idleTask.p50, 1)} ms at p50${liveTask.p99 > TICK_P99_MS ? `; ${fmt(liveTask.p99 / TICK_P99_MS, 1)}× the budget` : ""}`,
        pass: liveTask.n > 0 && liveTask.p99 <= TICK_P99_MS,
      });
      verdicts.push({
        target: `${res.label}: no long task > ${LONG_TASK_MS} ms in steady state`,
        figure: `${live.longTasks.length} long tasks in ${live.seconds.length} s live${live.longTasks.length ? `, longest ${fmt(longest, 0)} ms` : ""} (idle: ${idle.longTasks.length})`,
        pass: live.longTasks.length === 0,
      });

      const perChartSecond = (r: CaseResult) => {
        const updating = r.state.charts.filter((c) => c.setOptions > 0);
        return updating.reduce((a, c) => a + c.setOptions, 0) / Math.max(1, updating.length) / (MEASURE_MS / 1_000);
      };
      const domains = [...new Set(live.state.frames.map((f) => f.domain))].sort();
      const samplesPerFrame = stats(live.state.frames.map((f) => f.n));
      const spread = Math.max(0, ...live.state.frames.map((f) => f.max - f.min));
      notes.push(
        `${res.label}: ${live.state.frames.length} frames in ${MEASURE_MS / 1000} s (${domains.join(", ")}; ${fmt(samplesPerFrame.p50, 0)} samples/frame p50, ts spread within a frame ≤ ${spread} ms); ` +
          `charts hooked: ${chartsFound[res.label]?.join(", ")}; setOption calls per chart and second live ${fmt(perChartSecond(live), 2)} (idle ${fmt(perChartSecond(idle), 2)}), renders (finished) per chart live: ${live.state.charts.map((c) => `${c.id} ${c.finished}`).join(", ")}; ` +
          `frames superseded before their chart re-rendered: ${live.state.unrendered}; idle dropped ${idle.state.dropped} frames.`,
      );
      data[res.label] = {
        live: { seconds: live.seconds, longTasks: live.longTasks, frames: live.state.frames.length, latencies: live.state.latencies, charts: live.state.charts },
        idle: { seconds: idle.seconds, longTasks: idle.longTasks, dropped: idle.state.dropped, charts: idle.state.charts },
      };
    }

    if (prof) {
      const share = (ms: number) => `${fmt((ms / prof.totalMs) * 100, 0)} %`;
      notes.push(
        `CPU profile, ${RESOLUTIONS[RESOLUTIONS.length - 1]?.label} live, ${PROFILE_MS / 1000} s (${fmt(prof.totalMs / (PROFILE_MS / 1000), 1)} ms/s sampled, non-idle; profiling inflates it). Self time by script: ` +
          prof.byScript.map(([k, ms]) => `${k} ${share(ms)}`).join("; "),
      );
      notes.push(`Top functions (self): ${prof.byFunction.map(([k, ms]) => `${k} ${fmt(ms / (PROFILE_MS / 1000), 2)} ms/s`).join("; ")}`);
      data.profile = prof;
    }
    notes.push(
      "`finished` is ECharts' own event, hooked from outside the bundle through React's fiber (no product hook). Sample ts is the instant the simulator tick was due, so timer lateness and simulateCity are inside the figure; it is judged on the oldest sample of each frame.",
    );
    return { rows, verdicts, notes, data };
  },
};
