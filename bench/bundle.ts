/**
 * Bundle: the gzipped JavaScript a browser downloads for the wall ("/"), the ECharts
 * chunk picked out, measured in Chromium on a fresh production build (e2e/wall-js.ts,
 * the same measurement as the size gate in `npm test`).
 *
 * Baseline, same run: the 404 page of the same build — React and Next's runtime plus
 * our small not-found page (about 7 KB) — so "ours" is the wall minus the framework.
 * Only the web server runs: the page's JavaScript does not depend on live data.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { JS_BUDGET_KB, kb, measurePageJs, type PageJs } from "../e2e/wall-js";
import { waitForUrl } from "../server/test/child-server";
import { testIds } from "../lib/testids";
import { fmt, type Benchmark, type Row } from "./lib";
import { ROOT, freePort, launchChromium, startServer, stopServer } from "./processes";

const ISSUE_BUDGET_KB = { echarts: 150, route: 300 } as const;
const PORTS = { web: [3870, 3879], realtime: [4870, 4879] } as const;

function row(page: string, js: PageJs): Row {
  return { page, scripts: String(js.files.length), "gzip KB": fmt(kb(js.totalGzipBytes), 1), "ECharts KB": fmt(kb(js.echartsGzipBytes), 1) };
}

async function run() {
  const next = path.join(ROOT, "node_modules", ".bin", "next");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  const build = spawnSync(next, ["build"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stderr.toString()}`);

  const webPort = await freePort(PORTS.web);
  // Nothing listens there: the page renders its empty wall, as it does while the side server is away.
  env.REALTIME_PORT = String(await freePort(PORTS.realtime));
  delete env.REALTIME_PUBLIC_URL;
  delete env.REALTIME_INTERNAL_URL;
  const web = startServer("web server", next, ["start", "-p", String(webPort), "-H", "127.0.0.1"], env);
  const browser = await launchChromium().catch((error) => {
    stopServer(web);
    throw error;
  });
  try {
    const baseUrl = `http://127.0.0.1:${webPort}`;
    await waitForUrl(`${baseUrl}/`, web, 60_000);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const wall = await measurePageJs(page, `${baseUrl}/`, async (p) => {
      await p.getByTestId(testIds.chart("traffic-trend")).locator("svg").waitFor({ timeout: 30_000 });
    });
    const framework = await measurePageJs(page, `${baseUrl}/bench-baseline-not-found`, async (p) => {
      await p.waitForLoadState("networkidle");
    });
    const ours = wall.totalGzipBytes - framework.totalGzipBytes;
    const wallKb = kb(wall.totalGzipBytes);
    const echartsKb = kb(wall.echartsGzipBytes);
    return {
      rows: [row("404 page (baseline: framework + not-found page)", framework), row("wall /", wall)],
      notes: [
        `ours (wall minus framework): ${fmt(kb(ours), 1)} KB, of which ECharts ${fmt(echartsKb, 1)} KB and the page's own code ${fmt(kb(ours - wall.echartsGzipBytes), 1)} KB; wall = ${fmt(wall.totalGzipBytes / framework.totalGzipBytes, 2)}× the framework`,
        `largest: ${[...wall.files].sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, 4).map((f) => `${f.name} ${fmt(kb(f.gzipBytes), 1)} KB${f.echarts ? " (ECharts)" : ""}`).join(", ")}`,
        `npm test gates the ratchet budgets (e2e/bundle.spec.ts); the issue's budgets are printed as verdicts.`,
      ],
      verdicts: [
        { target: `ECharts chunk ≤ ${ISSUE_BUDGET_KB.echarts} KB gzipped (issue)`, figure: `${fmt(echartsKb, 1)} KB`, pass: echartsKb <= ISSUE_BUDGET_KB.echarts },
        { target: `wall route ≤ ${ISSUE_BUDGET_KB.route} KB gzipped (issue)`, figure: `${fmt(wallKb, 1)} KB`, pass: wallKb <= ISSUE_BUDGET_KB.route },
        { target: `ECharts chunk ≤ ${JS_BUDGET_KB.echarts} KB (npm test gate)`, figure: `${fmt(echartsKb, 1)} KB`, pass: echartsKb <= JS_BUDGET_KB.echarts },
        { target: `wall route ≤ ${JS_BUDGET_KB.route} KB (npm test gate)`, figure: `${fmt(wallKb, 1)} KB`, pass: wallKb <= JS_BUDGET_KB.route },
      ],
      data: { wall, framework, budgets: { issue: ISSUE_BUDGET_KB, gate: JS_BUDGET_KB } },
    };
  } finally {
    await browser.close();
    stopServer(web);
  }
}

export const bundleBenchmark: Benchmark = {
  name: "bundle",
  summary: "gzipped JavaScript of the wall route and its ECharts chunk, against Next's bare 404 page",
  run,
};
