/**
 * The pipeline's bound on what waits to be written (PERSIST_QUEUE_MAX_SAMPLES), with a
 * persist that the test holds and releases: nothing is acknowledged before its write
 * resolves, a batch that would pass the bound is refused at once and loudly, and room
 * comes back as writes complete. No database: this is the pipeline's own contract.
 */
import { describe, expect, it } from "vitest";
import { timeWindow } from "@/lib/ingest/rules";
import type { SampleRow } from "@/lib/db/samples";
import type { TSample } from "@/lib/realtime/protocol";
import { samplesPersisted, samplesRefused } from "../metrics";
import { memoryLog } from "./log-lines";
import { PersistQueueFull, createPipeline } from "../pipeline";

const NOW = Date.UTC(2026, 10, 25, 6, 0, 0);

/** `n` valid samples of the city's congestion, one a second from `from`. */
const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ metricId: "traffic.congestionIndex", entityId: "shenzhen", ts: from + i * 1_000, value: 3 }));

function harness(maxQueued: number) {
  const writes: { rows: readonly SampleRow[]; release(): void; fail(error: Error): void }[] = [];
  const { log, events: logs } = memoryLog();
  const pipeline = createPipeline({
    persist: (rows) =>
      new Promise<TSample[]>((resolve, reject) => writes.push({ rows, release: () => resolve(rows.map(({ metricId, entityId, ts, value }) => ({ metricId, entityId, ts, value }))), fail: reject })),
    onPersisted: () => undefined,
    broadcast: () => undefined,
    flushMs: 1,
    maxBatch: 10_000,
    maxQueued,
    log,
    window: () => timeWindow(NOW, 48 * 3_600_000),
  });
  return { pipeline, writes, logs };
}

/** Whether `promise` has settled, and how, after pending callbacks ran. */
async function state(promise: Promise<unknown>): Promise<"pending" | "resolved" | "rejected"> {
  let result: "pending" | "resolved" | "rejected" = "pending";
  promise.then(() => (result = "resolved"), () => (result = "rejected"));
  await new Promise((r) => setTimeout(r, 5));
  return result;
}

describe("the write queue bound", () => {
  it("Q1 holds acknowledgements until the write resolves, refuses what would pass the bound at once, and takes samples again once writes complete", async () => {
    const { pipeline, writes, logs } = harness(100);
    // /metrics counts by source kind (the registry is the process's: differences, not totals).
    const value = async (counter: typeof samplesRefused, source: string) => (await counter.get()).values.find((v) => v.labels.source === source)?.value ?? 0;
    const counted = async () => ({
      refused: { mqtt: await value(samplesRefused, "mqtt"), sim: await value(samplesRefused, "sim") },
      persistedHttp: await value(samplesPersisted, "http"),
    });
    const before = await counted();
    const a = pipeline.submit(batch(40, NOW - 300_000), "http:a");
    await new Promise((r) => setTimeout(r, 5)); // flushed: the first write is in flight, and held
    const b = pipeline.submit(batch(40, NOW - 200_000), "http:b");
    const c = pipeline.submit(batch(40, NOW - 100_000), "mqtt");
    expect([a.accepted, b.accepted, c.accepted]).toEqual([40, 40, 40]);
    expect(await state(a.persisted)).toBe("pending");
    expect(await state(b.persisted)).toBe("pending");
    // 40 + 40 waiting, 40 more would be 120 > 100: refused, with the reason, and nothing of it queued.
    await expect(c.persisted).rejects.toBeInstanceOf(PersistQueueFull);
    await expect(c.persisted).rejects.toThrow("the write queue is full (80 samples waiting for the database, bound 100)");
    expect(pipeline.stats).toMatchObject({ queued: 80, refused: 40, persisted: 0 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 50, msg: expect.stringMatching(/^REFUSING SAMPLES: /), queued: 80, bound: 100, refusedSinceLastReport: 40, sources: ["mqtt"] });
    // A second refusal within a few seconds is counted, not logged again.
    await expect(pipeline.submit(batch(30, NOW - 50_000), "sim").persisted).rejects.toBeInstanceOf(PersistQueueFull);
    expect(logs).toHaveLength(1);
    expect(pipeline.stats.refused).toBe(70);

    writes[0]!.release();
    expect(await state(a.persisted)).toBe("resolved");
    expect(await state(b.persisted)).toBe("pending"); // its own write has not resolved yet
    expect(pipeline.stats.queued).toBe(40);
    const d = pipeline.submit(batch(60, NOW - 30_000), "http:a"); // 40 + 60 = 100: fits exactly
    expect(await state(d.persisted)).toBe("pending");
    expect(logs.at(-1)).toMatchObject({ msg: "write queue has room again: accepting samples", queued: 40, bound: 100, refusedSinceLastReport: 70 });
    writes[1]!.release();
    await new Promise((r) => setTimeout(r, 5));
    writes[2]!.release();
    expect(await state(b.persisted)).toBe("resolved");
    expect(await state(d.persisted)).toBe("resolved");
    expect(pipeline.stats).toMatchObject({ queued: 0, persisted: 140 });
    expect(await counted()).toEqual({ refused: { mqtt: before.refused.mqtt + 40, sim: before.refused.sim + 30 }, persistedHttp: before.persistedHttp + 140 });
  });

  it("Q2 a failed write frees its room too, and its samples are not acknowledged", async () => {
    const { pipeline, writes } = harness(50);
    const a = pipeline.submit(batch(50, NOW - 100_000), "sim");
    await new Promise((r) => setTimeout(r, 5));
    await expect(pipeline.submit(batch(1, NOW - 10_000), "sim").persisted).rejects.toBeInstanceOf(PersistQueueFull);
    writes[0]!.fail(new Error("database gone"));
    await expect(a.persisted).rejects.toThrow("database gone");
    expect(pipeline.stats).toMatchObject({ queued: 0, persistFailures: 1 });
    const b = pipeline.submit(batch(50, NOW - 5_000), "sim");
    expect(await state(b.persisted)).toBe("pending");
  });
});
