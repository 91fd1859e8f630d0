/**
 * The benchmark runner. `npm run bench` runs every benchmark, `npm run bench -- <name>…`
 * only those named. Each prints the machine, a table and its verdicts, and writes
 * bench/results/<name>-<timestamp>.json. Verdicts never change the exit code (0);
 * an unknown name exits 2, a benchmark that throws exits 1.
 *
 * To add a benchmark: write bench/<name>.ts exporting a `Benchmark` (see ./lib.ts)
 * and register it below; it is imported only when it runs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { machine, table, type Benchmark } from "./lib";

const REGISTRY: Record<string, () => Promise<Benchmark>> = {
  simulator: async () => (await import("./simulator")).simulatorBenchmark,
  history: async () => (await import("./history")).historyBenchmark,
  writes: async () => (await import("./writes")).writesBenchmark,
  coldstart: async () => (await import("./coldstart")).coldstartBenchmark,
  fanout: async () => (await import("./fanout")).fanoutBenchmark,
  browser: async () => (await import("./browser")).browserBenchmark,
  ingest: async () => (await import("./ingest")).ingestBenchmark,
  bundle: async () => (await import("./bundle")).bundleBenchmark,
  idempotency: async () => (await import("./idempotency")).idempotencyBenchmark,
};

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");

function usage(unknown: readonly string[]): void {
  console.error(`unknown benchmark${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`);
  console.error(`available: ${Object.keys(REGISTRY).join(", ")}`);
  console.error("usage: npm run bench [-- <name> ...]");
}

async function runOne(name: string, load: () => Promise<Benchmark>): Promise<void> {
  const bench = await load();
  const startedAt = new Date();
  const host = machine();
  console.log(`\n## ${bench.name}: ${bench.summary}`);
  console.log(`machine: ${host.cpuModel}, ${host.cores} cores (${host.availableParallelism} usable), ${host.totalMemoryGiB} GiB, ${host.platform} ${host.arch}, Node ${host.node} (V8 ${host.v8})`);
  console.log(`started: ${startedAt.toISOString()}\n`);

  const report = await bench.run();
  const elapsedMs = Date.now() - startedAt.getTime();

  console.log(table(report.rows));
  for (const note of report.notes ?? []) console.log(`\n${note}`);
  console.log("");
  for (const v of report.verdicts) console.log(`${v.pass ? "PASS" : "FAIL"}  ${v.target}: ${v.figure}`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ name, summary: bench.summary, startedAt: startedAt.toISOString(), elapsedMs, machine: host, ...report }, null, 2)}\n`);
  console.log(`\n(${(elapsedMs / 1000).toFixed(1)} s) wrote ${path.relative(process.cwd(), file)}`);
}

const requested = process.argv.slice(2).filter((a) => a !== "--");
const unknown = requested.filter((n) => !Object.hasOwn(REGISTRY, n));
if (unknown.length > 0) {
  usage(unknown);
  process.exit(2);
}

const selected = requested.length > 0 ? [...new Set(requested)] : Object.keys(REGISTRY);
for (const name of selected) {
  const load = REGISTRY[name];
  if (!load) continue;
  try {
    await runOne(name, load);
  } catch (error) {
    console.error(`benchmark ${name} failed:`, error);
    process.exitCode = 1;
  }
}
