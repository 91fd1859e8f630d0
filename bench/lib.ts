/**
 * What every benchmark shares: the machine it ran on, a bounded measuring loop
 * (wall time, process CPU, GC pauses, per-iteration latency), and the shape of a
 * report the runner prints and writes to bench/results/. Benchmarks report; they
 * never gate — a verdict is printed, the exit code stays 0.
 */
import os from "node:os";
import { PerformanceObserver, performance } from "node:perf_hooks";

export interface Machine {
  cpuModel: string;
  cores: number;
  availableParallelism: number;
  totalMemoryGiB: number;
  platform: string;
  arch: string;
  node: string;
  v8: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
    v8: process.versions.v8,
  };
}

/** One row of a benchmark's table: column name → already formatted cell. */
export type Row = Record<string, string>;

export interface Verdict {
  /** What was required, e.g. "simulate + validate ≤ 25 % of one core at 1 Hz". */
  target: string;
  /** The figure it was judged on, formatted. */
  figure: string;
  pass: boolean;
}

export interface Report {
  rows: Row[];
  verdicts: Verdict[];
  /** Short remarks printed under the table. */
  notes?: string[];
  /** Anything else worth keeping in the JSON file (raw figures, settings). */
  data?: Record<string, unknown>;
}

export interface Benchmark {
  name: string;
  /** One line: what it measures. */
  summary: string;
  run(): Promise<Report>;
}

/** Bounds of a measuring loop: it stops at whichever comes first. */
export interface Bounds {
  maxIterations: number;
  maxWallMs: number;
  /** Untimed iterations first, so the JIT has settled. */
  warmup?: number;
}

export interface Measurement {
  iterations: number;
  wallMs: number;
  /** User + system CPU of the whole process (includes GC and compiler threads). */
  cpuMs: number;
  gcMs: number;
  gcCount: number;
  /** Wall time of single iterations. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/**
 * Runs `body(i)` until a bound is reached and measures it. `body` returns a number
 * that is summed into a sink, so the work cannot be optimised away.
 */
export async function measure(bounds: Bounds, body: (i: number) => number): Promise<Measurement & { sink: number }> {
  let sink = 0;
  for (let i = 0; i < (bounds.warmup ?? 0); i++) sink += body(-1 - i);

  let gcMs = 0;
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcCount++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });

  const durations: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let now = t0;
  while (durations.length < bounds.maxIterations && now - t0 < bounds.maxWallMs) {
    const start = now;
    sink += body(durations.length);
    now = performance.now();
    durations.push(now - start);
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = now - t0;

  // GC entries are delivered asynchronously: let them arrive before counting.
  await new Promise((resolve) => setImmediate(resolve));
  for (const entry of observer.takeRecords()) {
    gcMs += entry.duration;
    gcCount++;
  }
  observer.disconnect();

  const sorted = [...durations].sort((a, b) => a - b);
  return {
    iterations: durations.length,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    gcMs,
    gcCount,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    sink,
  };
}

/** Fixed significant-ish formatting for table cells. */
export function fmt(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function pct(share: number, decimals = 1): string {
  return `${fmt(share * 100, decimals)} %`;
}

/** A Markdown table with aligned columns: readable in a terminal, pastable into BENCHMARKS.md. */
export function table(rows: readonly Row[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const numeric = columns.map((c) => rows.every((r) => /^[-+]?[\d,.]+( ?[%×x])?$|^$/.test(r[c] ?? "")));
  const cell = (text: string, i: number) => (numeric[i] ? text.padStart(width[i] ?? 0) : text.padEnd(width[i] ?? 0));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(columns.map((c, i) => cell(c, i))),
    line(width.map((w, i) => (numeric[i] ? `${"-".repeat(Math.max(0, w - 1))}:` : "-".repeat(w)))),
    ...rows.map((r) => line(columns.map((c, i) => cell(r[c] ?? "", i)))),
  ].join("\n");
}
