/**
 * The contract every source passes: the same samples are stored or refused alike
 * whether they come over HTTP, as an NGSI-LD notification or over MQTT (the simulator's
 * side is lib/sim/contract.test.ts). One real side server, one real Mosquitto, one
 * SQLite file; each case is sent through each door and the database is read after.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngestToken } from "@/lib/db/ingest-tokens";
import { sampleTopic } from "@/lib/ingest/mqtt-topics";
import type { TSample } from "@/lib/realtime/protocol";
import type { SideServer } from "../app";
import { api, bootSideServer, readDb, tempDir, waitForAsync } from "./helpers";
import { MQTT_WAIT_MS, freePort, killBroker, mqttHealth, mosquitto, ready, runId, startBroker } from "./mqtt-broker";
import { lacking } from "./needs";

type Door = "http" | "ngsi-ld" | "mqtt";
const HOUR = 3_600_000;

/** Expressible through every door: the NGSI-LD models carry a road's speed and a lot's free spaces. */
const CASES: { name: string; sample: (now: number) => TSample; stored: boolean }[] = [
  { name: "a road's speed", sample: (now) => ({ metricId: "traffic.avgSpeed", entityId: "road-shennan", ts: now - 1_000, value: 42 }), stored: true },
  { name: "a lot's free spaces", sample: (now) => ({ metricId: "parking.freeSpaces", entityId: "lot-futian-004", ts: now - 2_000, value: 37 }), stored: true },
  { name: "a speed above the physical range", sample: (now) => ({ metricId: "traffic.avgSpeed", entityId: "road-binhai", ts: now - 1_000, value: 500 }), stored: false },
  { name: "negative free spaces", sample: (now) => ({ metricId: "parking.freeSpaces", entityId: "lot-futian-005", ts: now - 1_000, value: -5 }), stored: false },
  { name: "an unknown lot", sample: (now) => ({ metricId: "parking.freeSpaces", entityId: "lot-atlantis-001", ts: now - 1_000, value: 5 }), stored: false },
  { name: "a speed measured on a lot", sample: (now) => ({ metricId: "traffic.avgSpeed", entityId: "lot-futian-006", ts: now - 1_000, value: 30 }), stored: false },
  { name: "a time an hour ahead", sample: (now) => ({ metricId: "traffic.avgSpeed", entityId: "road-beihuan", ts: now + HOUR, value: 30 }), stored: false },
  { name: "a time before retention", sample: (now) => ({ metricId: "parking.freeSpaces", entityId: "lot-futian-007", ts: now - 49 * HOUR, value: 5 }), stored: false },
];

function notification(sample: TSample) {
  const traffic = sample.metricId === "traffic.avgSpeed";
  const type = traffic ? "TrafficFlowObserved" : "OffStreetParking";
  const attribute = traffic ? "averageVehicleSpeed" : "availableSpotNumber";
  return {
    id: `urn:ngsi-ld:Notification:${sample.entityId}`,
    type: "Notification",
    subscriptionId: "urn:ngsi-ld:Subscription:contract",
    notifiedAt: new Date(sample.ts).toISOString(),
    data: [{ id: `urn:ngsi-ld:${type}:${sample.entityId}`, type, [attribute]: { type: "Property", value: sample.value, observedAt: new Date(sample.ts).toISOString() } }],
  };
}

describe.skipIf(lacking("the ingest contract", mosquitto))("ingest contract: every door, the same rules", () => {
  const temp = tempDir();
  let broker: ChildProcess;
  let server: SideServer;
  let device: MqttClient;
  let token: string;

  beforeAll(async () => {
    const port = await freePort();
    broker = await startBroker(port, temp.dir);
    const url = `mqtt://127.0.0.1:${port}`;
    server = await bootSideServer(join(temp.dir, "server"), { SIM_ENABLED: "false", MQTT_URL: url, MQTT_CLIENT_ID: `contract-${runId}` });
    await ready(server);
    token = await createIngestToken(server.db, "contract");
    device = await connectAsync(url, { clientId: `contract-device-${runId}` });
  });

  afterAll(async () => {
    await device?.endAsync();
    await server?.close();
    await killBroker(broker);
    temp.cleanup();
  });

  const stored = (s: TSample) =>
    readDb(server.databaseFile, (db) => db.prepare(`SELECT value, source FROM "MetricSample" WHERE metricId = ? AND entityId = ? AND ts = ?`).get(s.metricId, s.entityId, s.ts)) as
      | { value: number; source: string }
      | undefined;

  /** Sends through one door and resolves once the side server has dealt with it. */
  async function send(door: Door, sample: TSample): Promise<void> {
    if (door === "http") {
      const res = await api(server.port, "POST", "/ingest", { token, body: { samples: [sample] } });
      expect([200, 422]).toContain(res.status);
    } else if (door === "ngsi-ld") {
      const res = await api(server.port, "POST", "/ngsi-ld/notify", { token, body: notification(sample) });
      expect([200, 422]).toContain(res.status);
    } else {
      const handled = ({ accepted, rejected, malformed }: Awaited<ReturnType<typeof mqttHealth>>) => accepted + rejected + malformed;
      const before = handled(await mqttHealth(server));
      // QoS 1 resolves on the broker's ack; the side server counts a message once it is stored or refused.
      await device.publishAsync(sampleTopic(sample.metricId, sample.entityId), JSON.stringify({ ts: sample.ts, value: sample.value }), { qos: 1 });
      await waitForAsync("the side server to store or refuse the message", async () => (handled(await mqttHealth(server)) > before ? true : undefined), MQTT_WAIT_MS);
    }
  }

  const SOURCE: Record<Door, string> = { http: "http:contract", "ngsi-ld": "ngsi-ld:contract", mqtt: "mqtt" };

  for (const door of ["http", "ngsi-ld", "mqtt"] as const) {
    it.each(CASES)(`${door}: $name (stored: $stored)`, async ({ sample, stored: expected }) => {
      // Each door gets its own instant, so one door's stored row cannot answer for another's.
      const offset = { http: 0, "ngsi-ld": 100, mqtt: 200 }[door];
      const now = Math.floor(Date.now() / 1000) * 1000;
      const s = { ...sample(now), ts: sample(now).ts - offset };
      await send(door, s);
      expect(stored(s)).toEqual(expected ? { value: s.value, source: SOURCE[door] } : undefined);
    });
  }
});
