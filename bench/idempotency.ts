/**
 * Idempotency memory: the side server's resident memory while one ingest token, at its
 * allowed rate (defaults: 20 requests/s, burst 40), posts 5,000-sample invalid batches with a
 * fresh Idempotency-Key each time, from 4 loops, for FLOOD_MS. Every answer is a 422; before
 * the bound each one was kept for a day (10,000 of them).
 *
 * Product: `node --import tsx server/main.ts` of this tree with its defaults (simulator off,
 * so only the flood allocates), a fresh SQLite file, port 4895. Baseline, same run, when
 * IDEMPOTENCY_BASELINE_TREE names another checkout (e.g. the commit before the bound, with
 * node_modules linked): the same flood against that tree's side server.
 *
 * RSS from /proc/<pid>/status: after a 2 s warm-up of the same flood, at the end of the flood,
 * and 10 s later (what stays).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { databaseTarget } from "../lib/config";
import { openDatabase } from "../lib/db/client";
import { createIngestToken } from "../lib/db/ingest-tokens";
import { healthz, healthzUrl, waitForUrl, type ChildServer } from "../server/test/child-server";
import { flood, invalidBatch, rssMiB } from "../server/test/ingest-flood";
import { ROOT, sleep } from "./processes";
import { fmt, type Benchmark, type Row } from "./lib";

const PORT = 4895;
const FLOOD_MS = 15_000;
const WORKERS = 4;
const TARGET_GROWTH_MIB = 64;

interface Figures {
  tree: string;
  statuses: Record<number, number>;
  before: number;
  after: number;
  later: number;
  largestAnswerBytes: number;
  idempotency: unknown;
}

async function floodTree(label: string, tree: string): Promise<Figures> {
  const dir = mkdtempSync(path.join(tmpdir(), "onescreen-bench-idempotency-"));
  const databaseFile = path.join(dir, "bench.db");
  const env = { ...process.env, REALTIME_HOST: "127.0.0.1", REALTIME_PORT: String(PORT), DATABASE_URL: `file:${databaseFile}`, SIM_ENABLED: "false" };
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: tree, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const server: ChildServer = { name: `side server (${label})`, child, output: () => output };
  try {
    await waitForUrl(healthzUrl(PORT), server, 60_000);
    const db = await openDatabase(databaseTarget(`file:${databaseFile}`, dir));
    const token = await createIngestToken(db, "flood-feed");
    await db.$disconnect();
    const body = invalidBatch(5_000, Date.now());
    await flood(PORT, token, { prefix: "warm", ms: 2_000, workers: WORKERS, body: () => body });
    await sleep(2_000); // the warm-up's rate budget refills
    const before = rssMiB(child.pid!);
    const result = await flood(PORT, token, { prefix: "flood", ms: FLOOD_MS, workers: WORKERS, body: () => body });
    const after = rssMiB(child.pid!);
    await sleep(10_000);
    const later = rssMiB(child.pid!);
    const idempotency = (await healthz(PORT))?.idempotency ?? null;
    return { tree: label, statuses: result.statuses, before, after, later, largestAnswerBytes: result.largestAnswerBytes, idempotency };
  } finally {
    child.kill("SIGKILL");
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run() {
  const figures: Figures[] = [];
  const baselineTree = process.env.IDEMPOTENCY_BASELINE_TREE;
  if (baselineTree) figures.push(await floodTree(`baseline ${path.basename(baselineTree)}`, baselineTree));
  figures.push(await floodTree("this tree", ROOT));
  const rows: Row[] = figures.map((f) => ({
    tree: f.tree,
    answers: Object.entries(f.statuses)
      .map(([status, n]) => `${n} × ${status}`)
      .join(", "),
    "largest answer KB": fmt(f.largestAnswerBytes / 1024, 1),
    "RSS before MiB": fmt(f.before, 0),
    "RSS end of flood MiB": fmt(f.after, 0),
    "RSS +10 s MiB": fmt(f.later, 0),
    "growth MiB": fmt(f.after - f.before, 0),
  }));
  const ours = figures.at(-1)!;
  return {
    rows,
    verdicts: [{ target: `RSS growth over a ${FLOOD_MS / 1000} s flood of invalid batches ≤ ${TARGET_GROWTH_MIB} MiB`, figure: `${fmt(ours.after - ours.before, 0)} MiB (${fmt(ours.before, 0)} → ${fmt(ours.after, 0)})`, pass: ours.after - ours.before <= TARGET_GROWTH_MIB }],
    notes: [`One token at the default rate, ${WORKERS} loops, 5,000-sample batches (≈ ${fmt(invalidBatch(5_000, 0).length / 1024, 0)} KB each) that all fail the range rule, a fresh Idempotency-Key per request. /healthz idempotency after the flood: ${JSON.stringify(ours.idempotency)}.`],
    data: { figures },
  };
}

export const idempotencyBenchmark: Benchmark = {
  name: "idempotency",
  summary: "side server RSS under a flood of invalid ingest batches with fresh Idempotency-Keys",
  run,
};
