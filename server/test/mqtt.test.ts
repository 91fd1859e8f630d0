/**
 * MQTT ingest end to end against a real Mosquitto this file starts (and kills and
 * restarts) on a free port: real side server, real SQLite file, real socket.io-client.
 */
import Database from "better-sqlite3";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { api, bootSideServer, connect, hello, readDb, record, tempDir, waitFor, waitForAsync, type TestClient } from "./helpers";
import { MQTT_WAIT_MS, freePort, killBroker, mqttHealth, mosquitto, ready, runId, startBroker } from "./mqtt-broker";
import { lacking } from "./needs";

interface Row {
  metricId: string;
  entityId: string;
  ts: number;
  value: number;
  source: string;
}

function rowsOf(server: SideServer, entityId: string): Row[] {
  return readDb(server.databaseFile, (db) => db.prepare(`SELECT "metricId", "entityId", "ts", "value", "source" FROM "MetricSample" WHERE "entityId" = ? ORDER BY "ts"`).all(entityId) as Row[]);
}

describe.skipIf(lacking("MQTT ingest", mosquitto))("MQTT ingest", () => {
  const temp = tempDir();
  let port: number;
  let url: string;
  let broker: ChildProcess | undefined;
  let server: SideServer;
  const publishers: MqttClient[] = [];
  const sockets: TestClient[] = [];

  /** A device: its own client id, QoS 1 publishes (resolving on the broker's PUBACK). */
  async function device(name: string): Promise<MqttClient> {
    const client = await connectAsync(url, { clientId: `test-device-${name}-${runId}`, reconnectPeriod: 0 });
    publishers.push(client);
    return client;
  }

  beforeAll(async () => {
    port = await freePort();
    url = `mqtt://127.0.0.1:${port}`;
    broker = await startBroker(port, temp.dir);
    server = await bootSideServer(join(temp.dir, "main"), { MQTT_URL: url, MQTT_CLIENT_ID: `test-side-${runId}`, SIM_ENABLED: "false" });
    await ready(server);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(publishers.map((p) => p.endAsync(true)));
    await server?.close();
    await killBroker(broker);
    temp.cleanup();
  });

  it("M1 stores a message on city/parking/occupancy/lot-futian-001 with source mqtt and streams it to a socket subscribed to the lot", async () => {
    const socket = await connect(server.port);
    sockets.push(socket);
    expect((await hello(socket, ["parking"], PROTOCOL_VERSION, "entities", "lot-futian-001")).ok).toBe(true);
    const seen = record(socket);
    const ts = Date.now() - 1_000;
    const lot = await device("m1");
    await lot.publishAsync("city/parking/occupancy/lot-futian-001", JSON.stringify({ value: 63.5, ts }), { qos: 1 });

    const sample = { metricId: "parking.occupancy", entityId: "lot-futian-001", ts, value: 63.5 };
    const frame = await waitFor("the frame with the lot's sample", () => seen.frames.find((f) => f.samples.some((s) => s.ts === ts)));
    expect(frame).toMatchObject({ domain: "parking", level: "entities", samples: [sample] });
    expect(rowsOf(server, "lot-futian-001")).toEqual([{ ...sample, source: "mqtt" }]);
    expect(await mqttHealth(server)).toMatchObject({ connected: true, received: 1, accepted: 1, rejected: 0, malformed: 0 });
  });

  it("M2 counts malformed and rejected messages, stores none of them and keeps taking messages", async () => {
    const before = await mqttHealth(server);
    const bad = await device("m2");
    const topic = "city/parking/occupancy/lot-futian-002";
    await bad.publishAsync(topic, `{"value":`, { qos: 1 }); // malformed: not JSON
    await bad.publishAsync("city/parking/nope/lot-futian-002", "50", { qos: 1 }); // malformed: unknown metric in the topic
    await bad.publishAsync(topic, "NaN", { qos: 1 }); // malformed: NaN is not JSON
    await bad.publishAsync(topic, JSON.stringify({ value: 1_000 }), { qos: 1 }); // rejected: occupancy is 0–100 %
    await bad.publishAsync("city/parking/occupancy/lot-nowhere-999", "50", { qos: 1 }); // rejected: unknown entity
    const after = await waitForAsync(
      "the five bad messages to be counted",
      async () => {
        const h = await mqttHealth(server);
        return h.received - before.received >= 5 ? h : undefined;
      },
      MQTT_WAIT_MS,
    );
    expect(after.malformed - before.malformed).toBe(3);
    expect(after.rejected - before.rejected).toBe(2);
    expect(after.accepted).toBe(before.accepted);
    expect(rowsOf(server, "lot-futian-002")).toEqual([]);
    expect(rowsOf(server, "lot-nowhere-999")).toEqual([]);

    // Still alive and still acknowledging: a good message after the bad ones is stored.
    const ts = Date.now();
    await bad.publishAsync(topic, JSON.stringify({ value: 12, ts }), { qos: 1 });
    await waitFor("the good message after the bad ones", () => (rowsOf(server, "lot-futian-002").length > 0 ? true : undefined));
    expect(rowsOf(server, "lot-futian-002")).toEqual([{ metricId: "parking.occupancy", entityId: "lot-futian-002", ts, value: 12, source: "mqtt" }]);
    expect((await api(server.port, "GET", "/healthz")).body.status).toBe("ok");
  });

  it("M3 reconnects and resubscribes after the broker is killed and restarted", async () => {
    await killBroker(broker);
    await waitForAsync("the source to report disconnected", async () => ((await mqttHealth(server)).connected ? undefined : true), MQTT_WAIT_MS);
    broker = await startBroker(port, temp.dir);
    await ready(server);

    const ts = Date.now();
    const lot = await device("m3");
    await lot.publishAsync("city/parking/occupancy/lot-futian-004", JSON.stringify({ value: 77, ts }), { qos: 1 });
    await waitFor("the message sent after the restart", () => (rowsOf(server, "lot-futian-004").length > 0 ? true : undefined));
    expect(rowsOf(server, "lot-futian-004")).toEqual([{ metricId: "parking.occupancy", entityId: "lot-futian-004", ts, value: 77, source: "mqtt" }]);
  });

  it("M4 does not acknowledge a message it could not write yet: health says why while another process holds the database, and it is stored once the database is writable", async () => {
    // Another writer holding the database: the side server's write fails after its 5 s busy timeout, and is retried.
    const blocker = new Database(server.databaseFile);
    blocker.exec("BEGIN EXCLUSIVE");
    try {
      const lot = await device("m4-write");
      const ts = Date.now();
      await lot.publishAsync("city/parking/occupancy/lot-futian-006", JSON.stringify({ value: 55, ts }), { qos: 1 });
      const degraded = await waitForAsync("health to report the failing writes", async () => {
        const health = await api(server.port, "GET", "/healthz");
        return health.status === 503 ? health.body : undefined;
      }, MQTT_WAIT_MS);
      expect(JSON.stringify(degraded.problems)).toMatch(/sample writes failing, retried until they succeed: SQLITE_BUSY/);
      blocker.exec("ROLLBACK");
      await waitFor("the redelivered message", () => (rowsOf(server, "lot-futian-006").length > 0 ? true : undefined));
      expect(rowsOf(server, "lot-futian-006")).toEqual([{ metricId: "parking.occupancy", entityId: "lot-futian-006", ts, value: 55, source: "mqtt" }]);
    } finally {
      if (blocker.inTransaction) blocker.exec("ROLLBACK");
      blocker.close();
    }
  });

  it("M5 keeps its session: a message sent while the side server is down is stored when it returns", async () => {
    const dir = join(temp.dir, "offline");
    const env = { MQTT_URL: url, MQTT_CLIENT_ID: `test-offline-${runId}`, SIM_ENABLED: "false" };
    const first = await bootSideServer(dir, env);
    await ready(first);
    await first.close();

    const ts = Date.now();
    const lot = await device("m5");
    // PUBACK from the broker: it holds the message for the absent, persistent session.
    await lot.publishAsync("city/parking/occupancy/lot-futian-005", JSON.stringify({ value: 41, ts }), { qos: 1 });

    const again = await bootSideServer(dir, env);
    try {
      await waitFor("the message queued while down", () => (rowsOf(again, "lot-futian-005").length > 0 ? true : undefined));
      expect(rowsOf(again, "lot-futian-005")).toEqual([{ metricId: "parking.occupancy", entityId: "lot-futian-005", ts, value: 41, source: "mqtt" }]);
    } finally {
      await again.close();
    }
  });

  it("M6 with SIM_OUTPUT=mqtt the simulator's ticks come in through MQTT and are stored with source mqtt", async () => {
    const sim = await bootSideServer(join(temp.dir, "sim"), { MQTT_URL: url, MQTT_CLIENT_ID: `test-sim-${runId}`, SIM_ENABLED: "true", SIM_OUTPUT: "mqtt" });
    try {
      const countBySource = () =>
        readDb(sim.databaseFile, (db) => db.prepare(`SELECT "source", COUNT(DISTINCT "ts") AS ticks, COUNT(*) AS n FROM "MetricSample" GROUP BY "source"`).all()) as {
          source: string;
          ticks: number;
          n: number;
        }[];
      const bySource = await waitFor("two simulator ticks stored", () => {
        const rows = countBySource();
        return (rows.find((r) => r.source === "mqtt")?.ticks ?? 0) >= 2 ? rows : undefined;
      });
      expect(bySource.map((r) => r.source)).toEqual(["mqtt"]);
      const health = await mqttHealth(sim);
      expect(health.accepted).toBeGreaterThan(100);
      expect(health).toMatchObject({ rejected: 0, malformed: 0 });
    } finally {
      await sim.close();
    }
  });
});
