/**
 * What a broken or hostile ingest source can do to the side server's memory: requests sent
 * back to back by a few loops, each with a fresh Idempotency-Key, so no answer is ever a
 * replay. Used by the idempotency memory test and by `npm run bench -- idempotency`.
 */
import { readFileSync } from "node:fs";

const LOT = "lot-futian-001";

/** A batch of `count` samples that all break two rules (value out of range, time far ahead): a 422 listing them. */
export function invalidBatch(count: number, now: number): string {
  return JSON.stringify({ samples: Array.from({ length: count }, (_, i) => ({ metricId: "parking.occupancy", entityId: LOT, ts: now + 3_600_000 + i, value: 101 + i })) });
}

/** A one-sample batch that is stored: a 200 the side server remembers for retries. */
export function validBatch(ts: number): string {
  return JSON.stringify({ samples: [{ metricId: "parking.occupancy", entityId: LOT, ts, value: 50 }] });
}

export interface FloodResult {
  /** Answers by HTTP status. */
  statuses: Record<number, number>;
  /** Keys of the answers that were 200, in the order they came back. */
  storedKeys: string[];
  /** Largest answer body, in bytes. */
  largestAnswerBytes: number;
}

/**
 * `workers` loops, each sending `body(i)` (i counts requests) with key `${prefix}-${i}` to
 * POST /ingest, until `ms` have passed or `requests` were sent.
 */
export async function flood(
  port: number,
  token: string,
  options: { prefix: string; workers: number; body: (i: number) => string } & ({ ms: number } | { requests: number }),
): Promise<FloodResult> {
  const result: FloodResult = { statuses: {}, storedKeys: [], largestAnswerBytes: 0 };
  const deadline = "ms" in options ? Date.now() + options.ms : Infinity;
  const requests = "requests" in options ? options.requests : Infinity;
  let next = 0;
  const loop = async () => {
    while (Date.now() < deadline && next < requests) {
      const i = next++;
      const key = `${options.prefix}-${i}`;
      const res = await fetch(`http://127.0.0.1:${port}/ingest`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
        body: options.body(i),
      });
      const text = await res.text();
      result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
      result.largestAnswerBytes = Math.max(result.largestAnswerBytes, Buffer.byteLength(text));
      if (res.status === 200) result.storedKeys.push(key);
    }
  };
  await Promise.all(Array.from({ length: options.workers }, loop));
  return result;
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}
