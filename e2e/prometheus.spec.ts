/**
 * A real Prometheus (Debian's `prometheus`) scrapes both servers of the running product every
 * second, and its HTTP API answers with what happened: the simulator's samples persisted, the
 * wall's socket, a wrong password, a bad history request. Without the binary the spec is a
 * recorded skip, but under CI it fails (server/test/needs.ts): .ci/run installs the package.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { testIds } from "@/lib/testids";
import { binary, lacking } from "@/server/test/needs";
import { REALTIME_URL } from "../playwright.config";
import { freePort, ownWebServer } from "./own-web-server";

const prometheusBinary = binary("Prometheus", ["/usr/bin/prometheus", "prometheus"], "apt-get install prometheus");

interface Prometheus {
  url: string;
  process: ChildProcess;
  dir: string;
  log: string[];
}

/** Starts Prometheus with its own config and storage in a temporary folder, scraping the two servers every second. */
async function startPrometheus(web: URL, side: URL): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), "onescreen-prometheus-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }",
      "scrape_configs:",
      `  - { job_name: onescreen-side, static_configs: [{ targets: ["${side.host}"] }] }`,
      `  - { job_name: onescreen-web, static_configs: [{ targets: ["${web.host}"] }] }`,
      "",
    ].join("\n"),
  );
  const args = [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"];
  const child = spawn(prometheusBinary.path ?? "prometheus", args, { stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  const prometheus = { url: `http://127.0.0.1:${port}`, process: child, dir, log };
  // Ready once its storage is open and its API answers (a second or two).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log.join("").slice(-2_000)}`);
    const ready = await fetch(`${prometheus.url}/-/ready`).then((res) => res.ok, () => false);
    if (ready) return prometheus;
    if (Date.now() > deadline) throw new Error(`prometheus not ready after 30 s: ${log.join("").slice(-2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopPrometheus(prometheus: Prometheus): Promise<void> {
  if (prometheus.process.exitCode === null) {
    const exited = new Promise((resolve) => prometheus.process.once("exit", resolve));
    prometheus.process.kill("SIGTERM");
    await exited;
  }
  rmSync(prometheus.dir, { recursive: true, force: true });
}

interface QueryAnswer {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** An instant query through the HTTP API: the sum of the vector's values, or null when it is empty. */
async function query(prometheus: Prometheus, promql: string): Promise<number | null> {
  const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  expect(res.status, `${promql}: ${await res.clone().text()}`).toBe(200);
  const answer = (await res.json()) as QueryAnswer;
  expect(answer.status).toBe("success");
  if (answer.data.result.length === 0) return null;
  return answer.data.result.reduce((sum, series) => sum + Number(series.value[1]), 0);
}

/** Polls the query until `accept` takes its value (Prometheus scrapes every second); the last value when it never does. */
async function eventually(prometheus: Prometheus, promql: string, accept: (value: number | null) => boolean, timeoutMs = 20_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  let value = await query(prometheus, promql);
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    value = await query(prometheus, promql);
  }
  return value;
}

/** The web server's own count of sign-ins with `outcome`, read from its /metrics (no token in the e2e setup). */
async function webLogins(base: string, outcome: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`^onescreen_web_logins_total\\{outcome="${outcome}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
}

test.describe("Prometheus scraping both servers", () => {
  test.skip(lacking("Prometheus scrape", prometheusBinary));
  let prometheus: Prometheus | undefined;

  test.afterAll(async () => {
    if (prometheus) await stopPrometheus(prometheus);
  });

  test("scrapes the side server and the web server, and answers with what happened on them", async ({ page, baseURL }) => {
    test.setTimeout(90_000);
    prometheus = await startPrometheus(new URL(baseURL!), new URL(REALTIME_URL));
    const started = prometheus;
    const up = await eventually(started, "sum(up)", (value) => value === 2, 30_000);
    expect(up, `both targets up; Prometheus said: ${started.log.join("").slice(-2_000)}`).toBe(2);

    // The simulator's samples, written to the database.
    expect(await eventually(started, 'sum(onescreen_samples_persisted_total{job="onescreen-side",source="sim"})', (value) => (value ?? 0) > 0)).toBeGreaterThan(0);
    // A rate needs two scrapes in its range.
    expect(await eventually(started, 'sum(rate(onescreen_samples_persisted_total{job="onescreen-side"}[10s]))', (value) => (value ?? 0) > 0)).toBeGreaterThan(0);

    // A wall open: its socket, and frames sent to it.
    await page.goto("/");
    await expect(page.getByTestId(testIds.linkState)).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
    expect(await eventually(started, 'onescreen_realtime_sockets{job="onescreen-side"}', (value) => (value ?? 0) >= 1)).toBeGreaterThanOrEqual(1);
    expect(await eventually(started, 'sum(onescreen_realtime_frames_sent_total{job="onescreen-side"})', (value) => (value ?? 0) > 0)).toBeGreaterThan(0);

    // A wrong password, from an address of its own (the e2e web server trusts X-Forwarded-For from here).
    const invalidBefore = await webLogins(baseURL!, "invalid");
    const login = await fetch(`${baseURL}/api/auth/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: baseURL!, "x-forwarded-for": "203.0.113.91" },
      body: new URLSearchParams({ name: "e2e-prometheus", password: "not-the-password-1", next: "/alerts" }),
    });
    expect(login.headers.get("location")).toContain("error=invalid");
    expect(await eventually(started, 'sum(onescreen_web_logins_total{job="onescreen-web",outcome="invalid"})', (value) => (value ?? 0) >= invalidBefore + 1)).toBeGreaterThanOrEqual(invalidBefore + 1);

    // A history request with no parameters: a 400, timed under its route.
    expect((await fetch(`${baseURL}/api/history`)).status).toBe(400);
    expect(await eventually(started, 'sum(onescreen_web_request_duration_seconds_count{job="onescreen-web",route="history",status="4xx"})', (value) => (value ?? 0) >= 1)).toBeGreaterThanOrEqual(1);

    // A CSV export read to its end: timed to its response's head, and whole.
    const now = Date.now();
    const csv = await fetch(`${baseURL}/api/history/csv?metric=traffic.congestionIndex&entity=shenzhen&from=${now - 120_000}&to=${now}`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).split("\r\n").length).toBeGreaterThan(2);
    expect(await eventually(started, 'sum(onescreen_web_request_duration_seconds_count{job="onescreen-web",route="history_csv",status="2xx"})', (value) => (value ?? 0) >= 1)).toBeGreaterThanOrEqual(1);
    expect(await eventually(started, 'sum(onescreen_web_csv_export_duration_seconds_count{job="onescreen-web",outcome="complete"})', (value) => (value ?? 0) >= 1)).toBeGreaterThanOrEqual(1);

    // Node's own, from both processes (over the last 30 s: on a busy machine one scrape may miss its 1 s timeout).
    expect(await query(started, "count(max_over_time(process_resident_memory_bytes[30s]) > 0)")).toBe(2);
    expect(await query(started, "count(max_over_time(nodejs_eventloop_lag_p99_seconds[30s]))")).toBe(2);

    // Every expression of the Grafana dashboard is PromQL this Prometheus evaluates, and most have data already.
    const dashboard = JSON.parse(readFileSync("deploy/grafana-dashboard.json", "utf8")) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    const answered = await Promise.all(exprs.map((expr) => query(started, expr)));
    expect(answered.filter((value) => value !== null).length, "dashboard expressions with data").toBeGreaterThan(exprs.length / 2);
  });
});

test("the web server's /metrics under PUBLIC_READ=false: only METRICS_TOKEN's bearer reads it (not the admin token's), and it opens nothing else", async () => {
  const token = "e2e-metrics-token-0123456789";
  const server = await ownWebServer({ DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}`, PUBLIC_READ: "false", METRICS_TOKEN: token });
  try {
    for (const authorization of [undefined, "Bearer wrong-token-0123456789abc", `Bearer ${process.env.ONESCREEN_E2E_ADMIN_TOKEN}`]) {
      const res = await fetch(`${server.base}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toContain("Authorization: Bearer <METRICS_TOKEN>");
    }
    const res = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^onescreen_web_logins_total\{outcome="invalid"\} 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    // The rest of the app is still closed to the same request.
    expect((await fetch(`${server.base}/api/history`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  } finally {
    server.stop();
  }
});
