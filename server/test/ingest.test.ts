/**
 * POST /ingest against the real side server: a real database of each provider (a SQLite
 * file, a PostgreSQL database and its writer), real HTTP, a real socket.io-client watching
 * what the wall would receive.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "@/lib/config";
import { createIngestToken, revokeIngestToken } from "@/lib/db/ingest-tokens";
import { PROVIDERS, unavailable } from "@/lib/db/test-databases";
import type { TSample } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { api, bootSideServer, connect, hello, queryRows, record, sideServerDatabase, tempDir, waitFor, type TestClient } from "./helpers";

const LOT = "lot-futian-001";

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`HTTP ingest on ${provider}`, () => ingestContract(provider));

function ingestContract(provider: Provider): void {
  const temp = tempDir();
  let database: Awaited<ReturnType<typeof sideServerDatabase>>;
  let server: SideServer;
  let token: string;
  let t0: number;

  const rowsOf = (entityId: string, metricId = "parking.occupancy") =>
    queryRows<{ ts: number; value: number; source: string }>(server.db, () => `SELECT "ts", "value", "source" FROM "MetricSample" WHERE "entityId" = ? AND "metricId" = ? ORDER BY "ts"`, entityId, metricId);
  const totalRows = async () => (await queryRows<{ n: number }>(server.db, () => `SELECT count(*) AS n FROM "MetricSample"`))[0]!.n;
  const occupancy = (ts: number, value: number, entityId = LOT): TSample => ({ metricId: "parking.occupancy", entityId, ts, value });
  const ingest = (body: unknown, headers: Record<string, string> = {}) => api(server.port, "POST", "/ingest", { token, body, headers });

  beforeAll(async () => {
    database = await sideServerDatabase(provider, "ingest");
    server = await bootSideServer(temp.dir, { ...database.env, SIM_ENABLED: "false", INGEST_RATE_PER_SECOND: "1000", INGEST_BURST: "1000" });
    token = await createIngestToken(server.db, "futian-parking");
    t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    temp.cleanup();
  });

  it("stores a batch, answers once it is on disk, and the wall's socket receives it with the source recorded", async () => {
    const client: TestClient = await connect(server.port);
    try {
      await hello(client, ["parking"], undefined, "entities", LOT);
      const seen = record(client);
      const res = await ingest({ samples: [occupancy(t0, 91.5), occupancy(t0 + 1_000, 92), { metricId: "parking.freeSpaces", entityId: LOT, ts: t0, value: 12 }] });
      expect(res).toMatchObject({ status: 200, body: { accepted: 3 } });
      // 200 means on disk: read right after the answer.
      expect(await rowsOf(LOT)).toEqual([
        { ts: t0, value: 91.5, source: "http:futian-parking" },
        { ts: t0 + 1_000, value: 92, source: "http:futian-parking" },
      ]);
      const frame = await waitFor("the ingested frame", () => seen.frames.find((f) => f.samples.some((s) => s.entityId === LOT && s.value === 92)));
      expect(frame.samples).toContainEqual(occupancy(t0 + 1_000, 92));
    } finally {
      client.close();
    }
  });

  it("rejects the whole batch when one sample is bad, naming the sample and the field; nothing is stored", async () => {
    const before = await totalRows();
    const res = await ingest({ samples: [occupancy(t0 + 2_000, 50), occupancy(t0 + 3_000, 101), occupancy(t0 + 4_000, 60)] });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("samples.1.value: must be between 0 and 100 for parking.occupancy; nothing of this batch was stored");
    expect(res.body.rejected).toEqual([{ index: 1, issues: [{ path: "value", message: "must be between 0 and 100 for parking.occupancy" }] }]);
    expect(await totalRows()).toBe(before);
  });

  it.each([
    ["unknown metric", "metricId", "unknown metric", { metricId: "parking.rainfall", entityId: LOT, value: 1 }],
    ["unknown entity", "entityId", "unknown entity", { metricId: "parking.occupancy", entityId: "lot-atlantis-001", value: 1 }],
    ["metric not measured on that kind", "entityId", "traffic.avgSpeed is not measured on a lot", { metricId: "traffic.avgSpeed", entityId: LOT, value: 30 }],
    ["value of the wrong type", "value", "expected number", { metricId: "parking.occupancy", entityId: LOT, value: "90" }],
    ["value below the physical range", "value", "must be between 0 and 400000", { metricId: "parking.freeSpaces", entityId: LOT, value: -1 }],
    ["timestamp far in the future", "ts", "past the latest accepted time", { metricId: "parking.occupancy", entityId: LOT, value: 1, ts: Date.now() + 3_600_000 }],
    ["timestamp before retention", "ts", "before the raw retention horizon", { metricId: "parking.occupancy", entityId: LOT, value: 1, ts: Date.now() - 49 * 3_600_000 }],
    ["timestamp that is not epoch ms", "ts", "expected number", { metricId: "parking.occupancy", entityId: LOT, value: 1, ts: "2026-11-25T08:00:00Z" }],
  ])("rejects a %s with 422 naming the field %s", async (_what, path, message, sample) => {
    const before = await totalRows();
    const res = await ingest({ samples: [{ ts: t0 + 5_000, ...sample }] });
    expect(res.status).toBe(422);
    const rejected = res.body.rejected as { index: number; issues: { path: string; message: string }[] }[];
    expect(rejected[0]?.issues.find((i) => i.path === path)?.message).toContain(message);
    expect(await totalRows()).toBe(before);
  });

  it("answers malformed requests with the right 4xx and a message naming what is wrong", async () => {
    const before = await totalRows();
    const raw = (body: string, contentType = "application/json") => api(server.port, "POST", "/ingest", { token, body, contentType });
    expect(await raw("{not json")).toMatchObject({ status: 400, body: { error: "body: not valid JSON" } });
    // JSON has no NaN; 1e999 parses to Infinity, which is not a finite measurement.
    expect(await raw(`{"samples":[{"metricId":"parking.occupancy","entityId":"${LOT}","ts":${t0},"value":NaN}]}`)).toMatchObject({ status: 400 });
    const infinite = await raw(`{"samples":[{"metricId":"parking.occupancy","entityId":"${LOT}","ts":${t0},"value":1e999}]}`);
    expect(infinite.status).toBe(422);
    expect(String(infinite.body.error)).toMatch(/^samples\.0\.value: /);
    expect(await raw(JSON.stringify({ samples: [occupancy(t0, 1)] }), "text/plain")).toMatchObject({ status: 415, body: { error: "content-type: must be application/json" } });
    expect(await ingest([occupancy(t0, 1)])).toMatchObject({ status: 400, body: { error: 'body: must be an object like {"samples": [...]}' } });
    expect(await ingest({ samples: [] })).toMatchObject({ status: 400, body: { error: "samples: must hold at least one sample" } });
    expect(await ingest({ samples: Array.from({ length: 5_001 }, (_, i) => occupancy(t0 + i, 1)) })).toMatchObject({ status: 400, body: { error: "samples: must hold at most 5000 samples (split the batch)" } });
    const huge = await raw(JSON.stringify({ samples: [occupancy(t0, 1)], padding: "x".repeat(1024 * 1024) }));
    expect(huge).toMatchObject({ status: 413, body: { error: "body: larger than 1048576 bytes" } });
    expect(await api(server.port, "GET", "/ingest", { token })).toMatchObject({ status: 405, body: { error: "method: use POST" } });
    expect(await totalRows()).toBe(before);
    expect((await api(server.port, "GET", "/healthz")).status).toBe(200);
  });

  it("refuses a missing, unknown or revoked token", async () => {
    const body = { samples: [occupancy(t0 + 6_000, 1)] };
    expect((await api(server.port, "POST", "/ingest", { body })).status).toBe(401);
    expect(await api(server.port, "POST", "/ingest", { body, token: "osi_guess" })).toMatchObject({ status: 401, body: { error: "authorization: unknown ingest token" } });
    const other = await createIngestToken(server.db, "revoked-feed");
    expect((await api(server.port, "POST", "/ingest", { body, token: other })).status).toBe(200);
    await revokeIngestToken(server.db, "revoked-feed");
    expect(await api(server.port, "POST", "/ingest", { body: { samples: [occupancy(t0 + 7_000, 1)] }, token: other })).toMatchObject({
      status: 401,
      body: { error: "authorization: the ingest token of revoked-feed was revoked" },
    });
    expect((await rowsOf(LOT)).filter((r) => r.ts === t0 + 7_000)).toEqual([]);
  });

  it("stores a retried batch once: the same Idempotency-Key replays the first answer, the same samples are not stored twice", async () => {
    const batch = { samples: [occupancy(t0 + 8_000, 70), occupancy(t0 + 9_000, 71)] };
    const first = await ingest(batch, { "idempotency-key": "batch-42" });
    const retry = await ingest(batch, { "idempotency-key": "batch-42" });
    expect(first).toMatchObject({ status: 200, body: { accepted: 2 } });
    expect(retry).toMatchObject({ status: 200, body: { accepted: 2 } });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    // Sent twice at once: one is answered, the other shares (or replays) that answer.
    const twice = await Promise.all([0, 1].map(() => ingest({ samples: [occupancy(t0 + 10_000, 72)] }, { "idempotency-key": "batch-43" })));
    expect(twice.map((r) => [r.status, r.headers.get("idempotent-replayed")]).sort()).toEqual([
      [200, null],
      [200, "true"],
    ]);
    // Without a key, the (metric, entity, ts) key keeps the first value.
    expect((await ingest({ samples: [occupancy(t0 + 8_000, 99)] })).status).toBe(200);
    expect((await rowsOf(LOT)).filter((r) => r.ts === t0 + 8_000 || r.ts === t0 + 9_000).map((r) => r.value)).toEqual([70, 71]);
  });

  it("shows and counts only what is stored: a sample sent again with another value is a duplicate, not framed; the same key twice in a batch stores the first", async () => {
    const client: TestClient = await connect(server.port);
    try {
      await hello(client, ["parking"], undefined, "entities", LOT);
      const seen = record(client);
      expect(await ingest({ samples: [occupancy(t0 + 20_000, 40)] })).toMatchObject({ status: 200, body: { accepted: 1, inserted: 1, duplicates: 0 } });
      // Same metric, entity and instant, another value: the answer says it was not stored.
      expect(await ingest({ samples: [occupancy(t0 + 20_000, 99), occupancy(t0 + 21_000, 41)] })).toMatchObject({
        status: 200,
        body: { accepted: 2, inserted: 1, duplicates: 1 },
      });
      // The same key twice in one batch: the first is stored, the second counted as a duplicate.
      expect(await ingest({ samples: [occupancy(t0 + 22_000, 42), occupancy(t0 + 22_000, 77)] })).toMatchObject({
        status: 200,
        body: { accepted: 2, inserted: 1, duplicates: 1 },
      });
      await waitFor("the last frame", () => seen.frames.find((f) => f.samples.some((s) => s.ts === t0 + 22_000)));
      await new Promise((r) => setTimeout(r, 200)); // any frame of the duplicates would have come by now
      const framed = seen.frames.flatMap((f) => f.samples).filter((s) => s.entityId === LOT && s.ts >= t0 + 20_000);
      const stored = (await rowsOf(LOT)).filter((r) => r.ts >= t0 + 20_000 && r.ts <= t0 + 22_000);
      expect(stored.map((r) => [r.ts, r.value])).toEqual([
        [t0 + 20_000, 40],
        [t0 + 21_000, 41],
        [t0 + 22_000, 42],
      ]);
      // What the wall was sent is exactly what is on disk: 99 and 77 never appear.
      expect(framed.map((s) => [s.ts, s.value])).toEqual(stored.map((r) => [r.ts, r.value]));
    } finally {
      client.close();
    }
  });

  it("takes an NGSI-LD notification (normalized and keyValues, ld+json) into the same pipeline, recording its source", async () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const notification = {
      id: "urn:ngsi-ld:Notification:1",
      type: "Notification",
      subscriptionId: "urn:ngsi-ld:Subscription:onescreen",
      notifiedAt: at(t0 + 20_000),
      data: [
        { id: "urn:ngsi-ld:OffStreetParking:lot-futian-002", type: "OffStreetParking", availableSpotNumber: { type: "Property", value: 120, observedAt: at(t0 + 10_000) }, totalSpotNumber: { type: "Property", value: 400 } },
        { id: "urn:ngsi-ld:TrafficFlowObserved:road-shennan", type: "TrafficFlowObserved", dateObservedFrom: at(t0 + 15_000 - 300_000), dateObservedTo: at(t0 + 15_000), intensity: 100, averageVehicleSpeed: 42.5, occupancy: 0.63 },
      ],
    };
    const res = await api(server.port, "POST", "/ngsi-ld/notify", { token, body: notification, contentType: "application/ld+json" });
    expect(res).toMatchObject({ status: 200, body: { accepted: 5 } });
    const stored = await queryRows(server.db, () => `SELECT "metricId", "entityId", "ts", "value", "source" FROM "MetricSample" WHERE "source" = 'ngsi-ld:futian-parking' ORDER BY "metricId"`);
    expect(stored).toEqual([
      { metricId: "parking.freeSpaces", entityId: "lot-futian-002", ts: t0 + 10_000, value: 120, source: "ngsi-ld:futian-parking" },
      { metricId: "parking.occupancy", entityId: "lot-futian-002", ts: t0 + 10_000, value: 70, source: "ngsi-ld:futian-parking" },
      { metricId: "traffic.avgSpeed", entityId: "road-shennan", ts: t0 + 15_000, value: 42.5, source: "ngsi-ld:futian-parking" },
      { metricId: "traffic.congestionIndex", entityId: "road-shennan", ts: t0 + 15_000, value: 6.3, source: "ngsi-ld:futian-parking" },
      { metricId: "traffic.flow", entityId: "road-shennan", ts: t0 + 15_000, value: 1_200, source: "ngsi-ld:futian-parking" },
    ]);
  });

  it("rejects a whole NGSI-LD notification when one entity does not map, naming its path", async () => {
    const before = await totalRows();
    const res = await api(server.port, "POST", "/ngsi-ld/notify", {
      token,
      body: {
        id: "urn:ngsi-ld:Notification:2",
        type: "Notification",
        subscriptionId: "urn:ngsi-ld:Subscription:onescreen",
        notifiedAt: new Date(t0 + 30_000).toISOString(),
        data: [
          { id: "urn:ngsi-ld:OffStreetParking:lot-futian-003", type: "OffStreetParking", availableSpotNumber: 10 },
          { id: "urn:ngsi-ld:OffStreetParking:lot-atlantis-001", type: "OffStreetParking", availableSpotNumber: 10 },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(String(res.body.error)).toMatch(/^data\.1\.id: .*names no OneScreen lot.*; nothing of this notification was stored$/);
    // Mapped, but out of the catalog's range: the same rules as every source.
    const tooMany = await api(server.port, "POST", "/ngsi-ld/notify", {
      token,
      body: { id: "n3", type: "Notification", subscriptionId: "s", notifiedAt: new Date(t0).toISOString(), data: [{ id: "urn:ngsi-ld:OffStreetParking:lot-futian-003", type: "OffStreetParking", availableSpotNumber: 500_000 }] },
    });
    expect(tooMany.status).toBe(422);
    expect(String(tooMany.body.error)).toMatch(/^samples\.0\.value: must be between 0 and 400000/);
    // The index points into the mapped samples: the rejection carries its sample.
    expect((tooMany.body.rejected as { sample: unknown }[])[0]?.sample).toMatchObject({ metricId: "parking.freeSpaces", entityId: "lot-futian-003", value: 500_000 });
    // 150 entities that do not map: the first 100 are listed, all are counted.
    const unmapped = await api(server.port, "POST", "/ngsi-ld/notify", {
      token,
      body: {
        id: "n4",
        type: "Notification",
        subscriptionId: "s",
        notifiedAt: new Date(t0).toISOString(),
        data: Array.from({ length: 150 }, (_, i) => ({ id: `urn:ngsi-ld:OffStreetParking:lot-atlantis-${i}`, type: "OffStreetParking", availableSpotNumber: 1 })),
      },
    });
    expect(unmapped.status).toBe(422);
    expect(String(unmapped.body.error)).toMatch(/^data\.0\.id: .* \(and 149 more, the first 100 listed\); nothing of this notification was stored$/);
    expect([unmapped.body.issueCount, (unmapped.body.issues as unknown[]).length]).toEqual([150, 100]);
    expect(await totalRows()).toBe(before);
  });

  it("serves an OpenAPI description of the ingest doors", async () => {
    const res = await api(server.port, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const paths = res.body.paths as Record<string, { post: { requestBody: { content: Record<string, { schema: { properties?: { samples?: { maxItems?: number } } } }> } } }>;
    expect(Object.keys(paths)).toEqual(["/ingest", "/ngsi-ld/notify"]);
    expect(paths["/ingest"]?.post.requestBody.content["application/json"]?.schema.properties?.samples?.maxItems).toBe(5_000);
  });
}

describe("HTTP ingest rate limit", () => {
  const temp = tempDir();
  let server: SideServer;

  beforeAll(async () => {
    server = await bootSideServer(temp.dir, { SIM_ENABLED: "false", INGEST_RATE_PER_SECOND: "1", INGEST_BURST: "2" });
  });

  afterAll(async () => {
    await server?.close();
    temp.cleanup();
  });

  it("answers 429 with Retry-After past the token's burst, per token", async () => {
    const [a, b] = [await createIngestToken(server.db, "feed-a"), await createIngestToken(server.db, "feed-b")];
    const body = (value: number) => ({ samples: [{ metricId: "parking.occupancy", entityId: LOT, ts: Date.now() - 1_000, value }] });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await api(server.port, "POST", "/ingest", { token: a, body: body(i) }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(answers[2]?.headers.get("retry-after")).toBe("1");
    expect(String(answers[2]?.body.error)).toMatch(/^rate: more than 1 requests per second for feed-a/);
    // Another source has its own bucket.
    expect((await api(server.port, "POST", "/ingest", { token: b, body: body(10) })).status).toBe(200);
  });
});
