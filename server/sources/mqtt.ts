/**
 * MQTT as a source of the pipeline (and, for SIM_OUTPUT=mqtt, as the simulator's output).
 *
 * Delivery: QoS 1 on a persistent session (clean: false, fixed client id), so the broker
 * keeps what devices send while the side server is down. A message is acknowledged
 * (PUBACK) only once its samples are on disk, so a crash before the write means the
 * broker sends it again; the primary key (ON CONFLICT DO NOTHING) makes the repeat harmless. A malformed or
 * rejected message is acknowledged too: sent again it would fail again, forever.
 *
 * mqtt.js handles one incoming packet at a time and waits for handleMessage's callback,
 * so one connection persists one message per pipeline flush (PERSIST_FLUSH_MS): a
 * publisher with many samples should batch them on city/samples.
 */
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import { BATCH_TOPIC, SUBSCRIPTIONS, parseMqttMessage } from "@/lib/ingest/mqtt-topics";
import type { RejectedSample } from "@/lib/ingest/rules";
import { type Log } from "@/lib/log";
import type { Pipeline } from "../pipeline";
import type { SampleSink } from "./simulator";

export interface MqttOptions {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  log: Log;
}

export interface MqttSourceOptions extends MqttOptions {
  /** Source-clock time, stamped on a sample sent without ts. */
  now(): number;
}

export interface MqttStats {
  /** Connected and subscribed: ready to receive. */
  connected: boolean;
  /** Messages received. */
  received: number;
  /** Samples persisted. */
  accepted: number;
  /** Messages the pipeline refused (unknown entity, out of range, bad ts…). */
  rejected: number;
  /** Messages that are not our topic scheme or not JSON of the right shape. */
  malformed: number;
}

const RECONNECT_MS = 1_000;
const LOG_LINES_PER_MINUTE = 5;

type Warn = (fields: { detail?: string; [field: string]: unknown }, message: string) => void;

/** Warnings at most `perMinute` a minute, then how many were dropped: a flood must not fill the disk. */
function rateLimited(log: Log, perMinute: number): Warn {
  let windowStart = 0;
  let lines = 0;
  let dropped = 0;
  return (fields, message) => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      if (dropped > 0) log.warn({ dropped }, "mqtt: more warnings dropped in the last minute");
      windowStart = now;
      lines = 0;
      dropped = 0;
    }
    // A device's payload may be quoted in `detail`: its length is bounded too.
    const detail = fields.detail !== undefined && fields.detail.length > 500 ? `${fields.detail.slice(0, 500)}…` : fields.detail;
    if (lines++ < perMinute) log.warn({ ...fields, detail }, message);
    else dropped++;
  };
}

/** The broker's address without credentials, for logs. */
function hostOf(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return "(unparsable MQTT_URL)";
  }
}

function describeRejection(rejected: readonly RejectedSample[]): string {
  const first = rejected[0];
  const issue = first?.issues[0];
  return `${rejected.length} bad sample(s), first [${first?.index}] ${issue?.path}: ${issue?.message}`;
}

function connectClient(options: MqttOptions, extra: IClientOptions, warn: Warn): MqttClient {
  const client = connect(options.url, {
    clientId: options.clientId,
    username: options.username,
    password: options.password,
    reconnectPeriod: RECONNECT_MS,
    ...extra,
  });
  let wasConnected = false;
  client.on("connect", () => {
    wasConnected = true;
    options.log.info({ clientId: options.clientId, broker: hostOf(options.url) }, "mqtt connected");
  });
  client.on("close", () => {
    if (wasConnected && !client.disconnecting) options.log.warn({ clientId: options.clientId, broker: hostOf(options.url), reconnectEveryMs: RECONNECT_MS }, "mqtt connection lost: reconnecting");
    wasConnected = false;
  });
  // Without a listener an 'error' event would throw and stop the process.
  client.on("error", (error) => warn({ clientId: options.clientId, detail: error.message }, "mqtt client error"));
  return client;
}

export function startMqttSource(pipeline: Pick<Pipeline, "submit">, options: MqttSourceOptions) {
  const warn = rateLimited(options.log, LOG_LINES_PER_MINUTE);
  const counts = { received: 0, accepted: 0, rejected: 0, malformed: 0 };
  let closing = false;
  // Connected is not enough: until the subscription is granted, a message sent now is lost.
  let subscribed = false;
  let inFlight: Promise<boolean> = Promise.resolve(true);

  // Subscriptions are resent on every connect: a broker restarted without persistence has forgotten the session.
  const client = connectClient(options, { clean: false, resubscribe: false }, warn);
  client.on("connect", () => {
    client.subscribe([...SUBSCRIPTIONS], { qos: 1 }, (error, granted) => {
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (error) warn({ detail: error.message }, "mqtt subscribe failed");
      else if (refused.length > 0) warn({ topics: refused }, "mqtt broker refused the subscription");
      else subscribed = true;
    });
  });
  client.on("close", () => {
    subscribed = false;
  });

  /** True when the message may be acknowledged. */
  async function handle(packet: IPublishPacket): Promise<boolean> {
    counts.received++;
    const payload = typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
    const parsed = parseMqttMessage(packet.topic, payload, options.now());
    if ("error" in parsed) {
      counts.malformed++;
      warn({ topic: packet.topic, detail: parsed.error }, "mqtt malformed message");
      return true;
    }
    const result = pipeline.submit(parsed.samples, "mqtt");
    if (result.accepted === 0) {
      counts.rejected++;
      warn({ topic: packet.topic, detail: describeRejection(result.rejected) }, "mqtt rejected message");
      return true;
    }
    try {
      await result.persisted;
    } catch {
      // The pipeline logged the failed write. Not acknowledged: dropping the connection makes
      // the broker send this message (and every later unacknowledged one) again on reconnect.
      client.stream.destroy();
      return false;
    }
    counts.accepted += result.accepted;
    return true;
  }

  client.handleMessage = (packet, done) => {
    // While closing, leave it unacknowledged: the broker keeps it for the next start.
    if (closing) return done(new Error("closing"));
    // A bug here would fail the same way on every redelivery: log it and acknowledge.
    inFlight = handle(packet).catch((error: unknown) => {
      warn({ topic: packet.topic, detail: error instanceof Error ? error.message : String(error) }, "mqtt message failed");
      return true;
    });
    void inFlight.then((ack) => (ack ? done() : done(new Error("not persisted"))));
  };

  return {
    stats: (): MqttStats => ({ connected: client.connected && subscribed, ...counts }),
    /** Stops taking messages, waits for the one being persisted to be acknowledged, then disconnects. */
    async close(): Promise<void> {
      closing = true;
      await inFlight;
      await client.endAsync(!client.connected);
    },
  };
}

export type MqttSource = ReturnType<typeof startMqttSource>;

/**
 * The simulator's output for SIM_OUTPUT=mqtt: each tick is one QoS 1 message on city/samples,
 * which comes back through the MQTT source like any device's (source "mqtt").
 * The drill id is dropped: the batch topic carries bare samples, so drill ticks are stored unmarked.
 */
export function startMqttPublisher(options: MqttOptions): SampleSink & { close(): Promise<void> } {
  const warn = rateLimited(options.log, LOG_LINES_PER_MINUTE);
  const client = connectClient(options, { clean: true }, warn);
  return {
    submit(samples) {
      // Ticks are dropped while the broker is away rather than queued in memory without bound.
      if (!client.connected) {
        warn({ clientId: options.clientId }, "mqtt not connected: simulator tick dropped");
        return { persisted: Promise.reject(new Error("not connected")) };
      }
      return { persisted: client.publishAsync(BATCH_TOPIC, JSON.stringify(samples), { qos: 1 }).then(() => undefined) };
    },
    close: () => client.endAsync(!client.connected),
  };
}
