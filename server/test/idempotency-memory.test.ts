/**
 * The idempotency memory of POST /ingest under a flood, on the side server as its own
 * process (so its resident memory is its own): one token sends 500 stored one-sample batches,
 * 500 requests that are not batches and 300 invalid 5,000-sample batches, every request with
 * a fresh Idempotency-Key. Its memory stays bounded, the answers another token was given
 * stay replayable, and a 422 lists the first 100 rejections, not all of them.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTarget } from "@/lib/config";
import { openDatabase, type Database } from "@/lib/db/client";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import { healthz, waitForUrl, healthzUrl, type ChildServer } from "./child-server";
import { api, tempDir } from "./helpers";
import { flood, invalidBatch, rssMiB, validBatch } from "./ingest-flood";
import { freePort } from "./mqtt-broker";

/** Small bounds, so the flood reaches them (≈ 230 answers); a token may take all of it, so only the eviction policy protects the other. */
const MAX_BYTES = 64 * 1024;
/**
 * The side server's resident memory may grow by at most this much during the flood. The
 * unbounded cache grew by 730 MiB in this test; bounded, the growth is garbage V8 has not
 * handed back yet (11–76 MiB seen here, the more the busier the machine).
 */
const RSS_GROWTH_MIB = 150;

describe("ingest idempotency memory under a flood of fresh keys", () => {
  const temp = tempDir();
  const databaseFile = join(temp.dir, "flood.db");
  let server: ChildServer;
  let port: number;
  let db: Database;

  beforeAll(async () => {
    port = await freePort();
    const env = {
      ...process.env,
      REALTIME_HOST: "127.0.0.1",
      REALTIME_PORT: String(port),
      DATABASE_URL: `file:${databaseFile}`,
      SIM_ENABLED: "false",
      INGEST_RATE_PER_SECOND: "10000",
      INGEST_BURST: "10000",
      INGEST_IDEMPOTENCY_MAX_BYTES: String(MAX_BYTES),
      INGEST_IDEMPOTENCY_TOKEN_MAX_BYTES: String(MAX_BYTES),
    };
    // Node runs server/main.ts itself (tsx as a loader): the pid is the server's.
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    server = { name: "side server", child, output: () => output };
    await waitForUrl(healthzUrl(port), server, 30_000);
    db = await openDatabase(databaseTarget(`file:${databaseFile}`, temp.dir));
  }, 40_000);

  afterAll(async () => {
    server?.child.kill("SIGKILL");
    await db?.$disconnect();
    temp.cleanup();
  });

  it("stays within its bytes and keeps another token's stored answer, the flooder's newest, and short 422s", { timeout: 180_000 }, async () => {
    const [quiet, noisy] = [await createIngestToken(db, "quiet-feed"), await createIngestToken(db, "noisy-feed")];
    const now = Date.now();
    const quietBatch = validBatch(now - 120_000);
    const first = await api(port, "POST", "/ingest", { token: quiet, body: quietBatch, headers: { "idempotency-key": "quiet-0800" } });
    expect(first).toMatchObject({ status: 200, body: { accepted: 1 } });

    const invalid = invalidBatch(5_000, now);
    let ts = now - 100_000;
    // A warm-up of the same mix, so what the flood adds is measured, not the first allocations.
    await flood(port, noisy, { prefix: "warm", ms: 1_500, workers: 4, body: (i) => (i % 2 === 0 ? invalid : validBatch(ts++)) });
    const pid = server.child.pid!;
    const rssBefore = rssMiB(pid);

    let maxInFlight = 0;
    const watch = setInterval(() => {
      void healthz(port).then((h) => (maxInFlight = Math.max(maxInFlight, (h?.idempotency as { inFlight: number } | undefined)?.inFlight ?? 0)));
    }, 200);
    // Stored batches until the memory is full, every other request not even a batch (a 400,
    // thrown before it is checked: no key of it may stay in flight); then the invalid batches.
    const result = await flood(port, noisy, { prefix: "flood", requests: 1_000, workers: 4, body: (i) => (i % 2 === 0 ? validBatch(ts++) : `{"samples": "all of them"}`) });
    const refusals = await flood(port, noisy, { prefix: "invalid", requests: 300, workers: 4, body: () => invalid }).finally(() => clearInterval(watch));
    const rssAfter = rssMiB(pid);
    console.log(
      `idempotency flood: ${JSON.stringify(result.statuses)}, then ${JSON.stringify(refusals.statuses)}; RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MiB; largest 422 ${refusals.largestAnswerBytes} bytes`,
    );

    expect(refusals.statuses).toEqual({ 422: 300 });
    expect(result.statuses).toEqual({ 200: 500, 400: 500 });
    expect(rssAfter - rssBefore).toBeLessThan(RSS_GROWTH_MIB);
    const health = await healthz(port);
    expect(health?.idempotency).toMatchObject({ maxBytes: MAX_BYTES, inFlight: 0, tokens: 2 });
    const held = health?.idempotency as { answers: number; bytes: number };
    expect(held.bytes).toBeLessThanOrEqual(MAX_BYTES);
    // Full: the flood's stored answers took what the quiet token left.
    expect(held.bytes).toBeGreaterThan(MAX_BYTES - 1_000);
    expect(maxInFlight).toBeLessThanOrEqual(6);

    // The quiet token's retry is still a replay: the same answer, nothing stored twice.
    const retry = await api(port, "POST", "/ingest", { token: quiet, body: quietBatch, headers: { "idempotency-key": "quiet-0800" } });
    expect(retry).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    // The flooder keeps its newest answers; its oldest were forgotten (checked and stored again, not replayed).
    const newest = result.storedKeys.at(-1)!;
    const newestIndex = Number(newest.split("-")[1]);
    const replay = await api(port, "POST", "/ingest", { token: noisy, body: validBatch(0), headers: { "idempotency-key": newest } });
    expect(replay.headers.get("idempotent-replayed"), `replay of ${newestIndex}`).toBe("true");
    const oldest = await api(port, "POST", "/ingest", { token: noisy, body: validBatch(now - 1_000), headers: { "idempotency-key": result.storedKeys[0]! } });
    expect(oldest.status).toBe(200);
    expect(oldest.headers.get("idempotent-replayed")).toBeNull();

    // A 422 is not remembered (nothing was stored; a retry is checked again) and lists the first 100 rejections of 5,000.
    const refused = await api(port, "POST", "/ingest", { token: noisy, body: invalid, headers: { "idempotency-key": "invalid-0" } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("idempotent-replayed")).toBeNull();
    expect(refused.body.error).toBe("samples.0.value: must be between 0 and 100 for parking.occupancy (and 4999 more rejected samples, the first 100 listed); nothing of this batch was stored");
    expect(refused.body.rejectedCount).toBe(5_000);
    expect((refused.body.rejected as { index: number }[]).map((r) => r.index)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(refusals.largestAnswerBytes).toBeLessThan(invalid.length / 10);
  });
});
