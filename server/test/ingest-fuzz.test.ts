/**
 * Fuzzing POST /ingest with fast-check against the real side server: random JSON,
 * random text, sample-shaped objects with every field possibly wrong. Whatever comes
 * in, the answer is a 2xx or a 4xx (never a 5xx), a rejected body stores nothing, an
 * accepted one stores exactly its samples, and the server keeps serving.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, METRICS } from "@/lib/catalog";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import type { SideServer } from "../app";
import { api, bootSideServer, readDb, tempDir } from "./helpers";

const RUNS = 400;

describe("ingest fuzzing", () => {
  const temp = tempDir();
  let server: SideServer;
  let token: string;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false", INGEST_RATE_PER_SECOND: "10000", INGEST_BURST: "10000", INGEST_MAX_BODY_BYTES: "65536" });
    token = await createIngestToken(server.db, "fuzzer");
  });

  afterAll(async () => {
    await server?.close();
    temp.cleanup();
  });

  const totalRows = () => readDb(server.databaseFile, (db) => (db.prepare(`SELECT count(*) AS n FROM "MetricSample"`).get() as { n: number }).n);

  const now = Date.now();
  const almostSample = fc.record(
    {
      metricId: fc.oneof(fc.constantFrom(...METRICS.map((m) => m.id)), fc.string(), fc.integer()),
      entityId: fc.oneof(fc.constantFrom(...ENTITIES.slice(0, 60).map((e) => e.id)), fc.string(), fc.constant("<img src=x onerror=alert(1)>")),
      ts: fc.oneof(fc.integer({ min: now - 3_600_000, max: now }), fc.double(), fc.string(), fc.constant(-1), fc.constant(8.64e15)),
      value: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.double(), fc.string(), fc.constant(null), fc.boolean()),
    },
    { requiredKeys: [] },
  );
  const validPairs = METRICS.flatMap((m) => ENTITIES.slice(0, 60).filter((e) => (m.entityKinds as readonly string[]).includes(e.kind)).map((e) => ({ metric: m, entityId: e.id })));
  const validSample = fc
    .record({ pair: fc.constantFrom(...validPairs), ts: fc.integer({ min: now - 3_600_000, max: now }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ pair, ts, share }) => ({ metricId: pair.metric.id, entityId: pair.entityId, ts, value: pair.metric.range.min + share * (pair.metric.range.max - pair.metric.range.min) }));
  const body = fc.oneof(
    { weight: 2, arbitrary: fc.record({ samples: fc.array(validSample, { minLength: 1, maxLength: 10 }) }).map((b) => JSON.stringify(b)) },
    { weight: 3, arbitrary: fc.record({ samples: fc.array(almostSample, { maxLength: 20 }) }).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.record({ samples: fc.array(fc.jsonValue(), { maxLength: 5 }) }).map((b) => JSON.stringify(b)) },
  );
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constant("application/json") }, { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/xml", "") });

  it(`answers ${RUNS} random bodies with a 2xx or 4xx, storing exactly what it accepts`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        const before = totalRows();
        const res = await api(server.port, "POST", "/ingest", { token, body: text, contentType: type });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status === 200 || (res.status >= 400 && res.status < 500), `status ${res.status}: ${JSON.stringify(res.body)}`).toBe(true);
        expect(typeof (res.status === 200 ? res.body.accepted : res.body.error)).toBe(res.status === 200 ? "number" : "string");
        // Accepted samples may repeat a (metric, entity, ts) already stored: at most `accepted` new rows, none if rejected.
        const added = totalRows() - before;
        if (res.status === 200) expect(added).toBeLessThanOrEqual(res.body.accepted as number);
        else expect(added).toBe(0);
      }),
      { numRuns: RUNS, seed: 20_261_125 },
    );
    console.log(`[fuzz] ${RUNS} bodies → ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    expect((await api(server.port, "GET", "/healthz")).status).toBe(200);
  }, 120_000);
});
