/**
 * What a soak reads from a running page, shared by `npm run soak` (bench/soak.ts) and
 * the short soak in `npm test` (e2e/soak.spec.ts): a forced full GC, then Chromium's
 * own counters through CDP `Performance.getMetrics` (JSHeapUsedSize, Nodes,
 * JSEventListeners), and whether the wall is still live (link connected, the header
 * clock and the KPI figures as text, to compare with the previous sample).
 *
 * Also a heap-snapshot summary (objects and self size by constructor) so that a leak
 * can be located by diffing two summaries.
 */
import type { CDPSession, Page } from "playwright-core";
import type { SoakSample } from "../lib/soak";
import { testIds } from "../lib/testids";

export interface WallState {
  link: string | null;
  clock: string;
  kpis: string;
}

export interface ProbeSample extends SoakSample {
  wall: WallState;
}

/** Call once per CDP session before sampling. */
export async function enableProbe(cdp: CDPSession): Promise<void> {
  await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
}

const WALL_STATE = `(() => {
  const text = (el) => (el ? el.textContent || "" : "");
  return {
    link: document.querySelector('[data-testid="${testIds.linkState}"]')?.getAttribute("data-state") ?? null,
    clock: text(document.querySelector('[data-testid="${testIds.clock}"]')),
    kpis: [...document.querySelectorAll('[data-testid^="kpi-"] [data-value]')].map(text).join("|"),
  };
})()`;

/** Two full GCs (the second collects what the first's finalisers freed), then the counters. */
export async function sample(page: Page, cdp: CDPSession, tMs: number): Promise<ProbeSample> {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const m = new Map(metrics.map((x) => [x.name, x.value]));
  const wall = (await page.evaluate(WALL_STATE)) as WallState;
  return { tMs, heapMB: (m.get("JSHeapUsedSize") ?? Number.NaN) / 1_048_576, nodes: m.get("Nodes") ?? Number.NaN, listeners: m.get("JSEventListeners") ?? Number.NaN, wall };
}

/** Problems with the wall between two samples: not connected, clock or KPI figures frozen. */
export function liveProblems(previous: WallState | null, current: WallState): string[] {
  const problems: string[] = [];
  if (current.link !== "connected") problems.push(`link ${current.link ?? "missing"}`);
  if (!current.kpis) problems.push("no KPI figures");
  if (previous && previous.clock === current.clock) problems.push(`clock frozen at "${current.clock}"`);
  if (previous && previous.kpis === current.kpis) problems.push("KPI figures unchanged");
  return problems;
}

// ---------------------------------------------------------------- heap snapshot summary

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** `type:name` → [count, self bytes]. */
export type HeapSummary = Map<string, [number, number]>;

export async function heapSummary(cdp: CDPSession): Promise<HeapSummary> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  try {
    await cdp.send("HeapProfiler.enable");
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  } finally {
    cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  }
  const raw = JSON.parse(chunks.join("")) as RawSnapshot;
  const fields = raw.snapshot.meta.node_fields;
  const types = raw.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf("type");
  const iName = fields.indexOf("name");
  const iSize = fields.indexOf("self_size");
  const out: HeapSummary = new Map();
  for (let i = 0; i < raw.nodes.length; i += width) {
    const type = types[raw.nodes[i + iType] as number] ?? "?";
    if (type === "hidden" || type === "synthetic") continue;
    let name = raw.strings[raw.nodes[i + iName] as number] ?? "?";
    // Strings and code are named by their contents: group them by type only.
    if (type === "string" || type === "concatenated string" || type === "sliced string" || type === "code" || type === "number" || type === "regexp") name = "";
    else if (name.length > 60) name = `${name.slice(0, 57)}…`;
    const key = `${type}:${name}`;
    const entry = out.get(key) ?? [0, 0];
    entry[0] += 1;
    entry[1] += raw.nodes[i + iSize] as number;
    out.set(key, entry);
  }
  return out;
}

/** The entries that grew most in self size from `before` to `after`. */
export function heapGrowth(before: HeapSummary, after: HeapSummary, top = 15): { key: string; count: number; bytes: number }[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .map((key) => {
      const [c0, b0] = before.get(key) ?? [0, 0];
      const [c1, b1] = after.get(key) ?? [0, 0];
      return { key, count: c1 - c0, bytes: b1 - b0 };
    })
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}
