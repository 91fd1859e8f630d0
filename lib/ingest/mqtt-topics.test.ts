import { describe, expect, it } from "vitest";
import { BATCH_TOPIC, MAX_PAYLOAD_BYTES, SUBSCRIPTIONS, parseMqttMessage, sampleTopic } from "./mqtt-topics";

const NOW = 1_764_050_000_000;
const bytes = (text: string) => Buffer.from(text, "utf8");
const parse = (topic: string, payload: string | Uint8Array) => parseMqttMessage(topic, typeof payload === "string" ? bytes(payload) : payload, NOW);
const errorOf = (result: ReturnType<typeof parse>) => ("error" in result ? result.error : `no error: ${JSON.stringify(result)}`);

describe("MQTT topic scheme", () => {
  it("subscribes to the per-sample topics and the batch topic", () => {
    expect(SUBSCRIPTIONS).toEqual(["city/+/+/+", "city/samples"]);
    expect(sampleTopic("traffic.congestionIndex", "road-shennan")).toBe("city/traffic/congestionIndex/road-shennan");
  });

  it("reads {value, ts} on a sample topic as one sample of that metric and entity", () => {
    expect(parse("city/traffic/congestionIndex/road-shennan", `{"value": 7.2, "ts": 1764049999000}`)).toEqual({
      samples: [{ metricId: "traffic.congestionIndex", entityId: "road-shennan", ts: 1_764_049_999_000, value: 7.2 }],
    });
  });

  it("stamps a sample sent without ts, or as a bare number, with now", () => {
    const expected = { samples: [{ metricId: "parking.occupancy", entityId: "lot-futian-001", ts: NOW, value: 63 }] };
    expect(parse("city/parking/occupancy/lot-futian-001", `{"value": 63}`)).toEqual(expected);
    expect(parse("city/parking/occupancy/lot-futian-001", "63")).toEqual(expected);
  });

  it("passes the batch topic's array through for the pipeline to check", () => {
    const batch = [
      { metricId: "parking.occupancy", entityId: "lot-futian-001", ts: NOW, value: 63 },
      { metricId: "nope", entityId: "x", ts: -1, value: "y" },
    ];
    expect(parse(BATCH_TOPIC, JSON.stringify(batch))).toEqual({ samples: batch });
  });

  it("leaves range, entity and type checks to the pipeline", () => {
    expect(parse("city/parking/occupancy/no-such-lot", `{"value": 1000, "ts": "soon"}`)).toEqual({
      samples: [{ metricId: "parking.occupancy", entityId: "no-such-lot", ts: "soon", value: 1000 }],
    });
  });

  it.each([
    ["city/weather/rain/futian", "1", /topic domain "weather": unknown/],
    ["city/parking/nope/lot-futian-001", "1", /topic metric "nope": not a parking metric \(one of .*occupancy/],
    ["city/parking/occupancy", "1", /topic "city\/parking\/occupancy": expected city\/<domain>\/<metric>\/<entityId> or city\/samples/],
    ["town/parking/occupancy/lot-futian-001", "1", /topic "town\/parking/],
    ["city/parking/occupancy/lot-futian-001", `{"value":`, /payload: not JSON/],
    ["city/parking/occupancy/lot-futian-001", "NaN", /payload: not JSON/],
    ["city/parking/occupancy/lot-futian-001", "", /payload: not JSON/],
    ["city/parking/occupancy/lot-futian-001", `"63"`, /payload: must be a number or an object .* not string/],
    ["city/parking/occupancy/lot-futian-001", "[63]", /payload: must be .* not an array/],
    ["city/parking/occupancy/lot-futian-001", "null", /payload: must be .* not null/],
    ["city/parking/occupancy/lot-futian-001", `{"ts": 1}`, /payload.value: missing/],
    ["city/parking/occupancy/lot-futian-001", `{"value": 1, "timestamp": 1}`, /payload.timestamp: unknown field/],
    [BATCH_TOPIC, `{"value": 1}`, /payload: city\/samples takes a JSON array/],
    [BATCH_TOPIC, "[]", /payload: empty array/],
  ])("rejects %s with payload %s, naming the part", (topic, payload, message) => {
    expect(errorOf(parse(topic, payload))).toMatch(message);
  });

  it("rejects a payload over 1 MB and one that is not UTF-8", () => {
    expect(errorOf(parse(BATCH_TOPIC, new Uint8Array(MAX_PAYLOAD_BYTES + 1)))).toMatch(/payload: 1048577 bytes, more than the 1048576 byte limit/);
    expect(errorOf(parse("city/parking/occupancy/lot-futian-001", new Uint8Array([0xff, 0xfe])))).toBe("payload: not UTF-8 text");
  });
});
