import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entitiesOfKind } from "../catalog";
import { MAX_ENTITIES, samplesOfNotification } from "./ngsi-ld";
import { checkBatch, timeWindow } from "./rules";

const RECEIVED = Date.parse("2026-11-25T08:10:00Z");
const T0 = Date.parse("2026-11-25T08:00:00Z");
const NOTIFIED = "2026-11-25T08:09:00Z";
const LOT = "urn:ngsi-ld:OffStreetParking:lot-futian-001";
const ROAD = "urn:ngsi-ld:TrafficFlowObserved:road-shennan";

const notification = (data: unknown[], extra: Record<string, unknown> = {}) => ({
  id: "urn:ngsi-ld:Notification:42",
  type: "Notification",
  subscriptionId: "urn:ngsi-ld:Subscription:onescreen",
  notifiedAt: NOTIFIED,
  data,
  ...extra,
});
const map = (data: unknown[], extra?: Record<string, unknown>) => samplesOfNotification(notification(data, extra), RECEIVED);
const paths = (data: unknown[], extra?: Record<string, unknown>) => map(data, extra).issues.map((i) => i.path);
const prop = (value: unknown, more: Record<string, unknown> = {}) => ({ type: "Property", value, ...more });

describe("samplesOfNotification: OffStreetParking", () => {
  const expected = [
    { metricId: "parking.freeSpaces", entityId: "lot-futian-001", ts: T0, value: 120 },
    { metricId: "parking.occupancy", entityId: "lot-futian-001", ts: T0, value: 70 },
  ];

  it("maps the normalized form, time from the attribute's observedAt", () => {
    const entity = { id: LOT, type: "OffStreetParking", availableSpotNumber: prop(120, { observedAt: "2026-11-25T08:00:00Z" }), totalSpotNumber: prop(400) };
    expect(map([entity])).toEqual({ samples: expected, issues: [] });
  });

  it("maps the keyValues form, time from dateObserved", () => {
    const entity = { id: LOT, type: "OffStreetParking", availableSpotNumber: 120, totalSpotNumber: 400, dateObserved: "2026-11-25T08:00:00Z" };
    expect(map([entity])).toEqual({ samples: expected, issues: [] });
  });

  it("reads dateObserved as a Property, JSON-LD typed or not, and an offset or no offset (UTC)", () => {
    for (const dateObserved of [
      prop({ "@type": "DateTime", "@value": "2026-11-25T08:00:00Z" }),
      { "@type": "DateTime", "@value": "2026-11-25T16:00:00+08:00" },
      prop("2026-11-25T08:00:00.000Z"),
      "2026-11-25T08:00:00",
    ]) {
      expect(map([{ id: LOT, type: "OffStreetParking", availableSpotNumber: 120, totalSpotNumber: 400, dateObserved }])).toEqual({ samples: expected, issues: [] });
    }
  });

  it("accepts the type as a full URI and a catalog id as the last of several id segments", () => {
    for (const type of ["https://smartdatamodels.org/dataModel.Parking/OffStreetParking", "https://uri.fiware.org/ns/dataModels#OffStreetParking"]) {
      const entity = { id: "urn:ngsi-ld:OffStreetParking:shenzhen:lot-futian-001", type, availableSpotNumber: 120, totalSpotNumber: 400, dateObserved: "2026-11-25T08:00:00Z" };
      expect(map([entity])).toEqual({ samples: expected, issues: [] });
    }
  });

  it("falls back to notifiedAt, then to receivedAt; without a total there is no occupancy", () => {
    const entity = { id: LOT, type: "OffStreetParking", availableSpotNumber: 7 };
    expect(map([entity]).samples).toEqual([{ metricId: "parking.freeSpaces", entityId: "lot-futian-001", ts: Date.parse(NOTIFIED), value: 7 }]);
    expect(map([entity], { notifiedAt: undefined }).samples).toEqual([{ metricId: "parking.freeSpaces", entityId: "lot-futian-001", ts: RECEIVED, value: 7 }]);
  });

  it("rounds occupancy to 0.1 and gives it the availability's time", () => {
    const entity = { id: LOT, type: "OffStreetParking", availableSpotNumber: prop(4, { observedAt: "2026-11-25T08:00:00Z" }), totalSpotNumber: prop(7, { observedAt: "2026-01-01T00:00:00Z" }) };
    expect(map([entity]).samples[1]).toEqual({ metricId: "parking.occupancy", entityId: "lot-futian-001", ts: T0, value: 42.9 });
  });
});

describe("samplesOfNotification: TrafficFlowObserved", () => {
  it("maps the normalized form: flow per hour over dateObservedFrom..To, speed, occupancy as congestion; congested ignored", () => {
    const entity = {
      id: ROAD,
      type: "https://smartdatamodels.org/dataModel.Transportation/TrafficFlowObserved",
      dateObservedFrom: prop("2026-11-25T07:55:00Z"),
      dateObservedTo: prop("2026-11-25T08:00:00Z"),
      intensity: prop(100),
      averageVehicleSpeed: prop(42.5, { unitCode: "KMH" }),
      occupancy: prop(0.63),
      congested: prop(true),
      laneId: prop(1),
    };
    expect(map([entity])).toEqual({
      samples: [
        { metricId: "traffic.avgSpeed", entityId: "road-shennan", ts: T0, value: 42.5 },
        { metricId: "traffic.flow", entityId: "road-shennan", ts: T0, value: 1200 },
        { metricId: "traffic.congestionIndex", entityId: "road-shennan", ts: T0, value: 6.3 },
      ],
      issues: [],
    });
  });

  it("maps the keyValues form with dateObserved as a start/end interval", () => {
    const entity = { id: ROAD, type: "TrafficFlowObserved", dateObserved: "2026-11-25T07:45:00Z/2026-11-25T08:00:00Z", intensity: 300, averageVehicleSpeed: 30, occupancy: 0.05, congested: false };
    expect(map([entity])).toEqual({
      samples: [
        { metricId: "traffic.avgSpeed", entityId: "road-shennan", ts: T0, value: 30 },
        { metricId: "traffic.flow", entityId: "road-shennan", ts: T0, value: 1200 },
        { metricId: "traffic.congestionIndex", entityId: "road-shennan", ts: T0, value: 0.5 },
      ],
      issues: [],
    });
  });

  it("takes intensity as already per hour without a period (an instant, or only one end)", () => {
    for (const dates of [{ dateObserved: "2026-11-25T08:00:00Z" }, { dateObservedTo: "2026-11-25T08:00:00Z" }]) {
      expect(map([{ id: ROAD, type: "TrafficFlowObserved", intensity: 1500, ...dates }]).samples).toEqual([{ metricId: "traffic.flow", entityId: "road-shennan", ts: T0, value: 1500 }]);
    }
  });

  it("its samples pass the shared rules", () => {
    const entity = { id: ROAD, type: "TrafficFlowObserved", dateObserved: "2026-11-25T07:45:00Z/2026-11-25T08:00:00Z", intensity: 300, averageVehicleSpeed: 30, occupancy: 0.05 };
    const { samples } = map([entity]);
    expect(checkBatch(samples, timeWindow(RECEIVED, 86_400_000)).rejected).toEqual([]);
  });
});

describe("samplesOfNotification: issues", () => {
  const lot = (attrs: Record<string, unknown>) => ({ id: LOT, type: "OffStreetParking", ...attrs });
  const road = (attrs: Record<string, unknown>) => ({ id: ROAD, type: "TrafficFlowObserved", ...attrs });

  it("names the field of a bad envelope and maps nothing", () => {
    expect(samplesOfNotification(null, RECEIVED).issues.map((i) => i.path)).toEqual(["notification"]);
    expect(samplesOfNotification([], RECEIVED).issues.map((i) => i.path)).toEqual(["notification"]);
    expect(paths([], { type: "Subscription" })).toEqual(["type"]);
    expect(paths([], { id: 7, subscriptionId: undefined })).toEqual(["id", "subscriptionId"]);
    expect(paths([], { data: { id: LOT } })).toEqual(["data"]);
    expect(paths([], { notifiedAt: 1764057600000 })).toEqual(["notifiedAt"]);
  });

  it("caps data at MAX_ENTITIES", () => {
    const entity = lot({ availableSpotNumber: 1 });
    expect(map(Array(MAX_ENTITIES).fill(entity)).samples).toHaveLength(MAX_ENTITIES);
    const over = map(Array(MAX_ENTITIES + 1).fill(entity));
    expect(over.samples).toEqual([]);
    expect(over.issues.map((i) => i.path)).toEqual(["data"]);
  });

  it("names each entity's bad field, and still maps the good entities", () => {
    const result = map([5, { type: "OffStreetParking" }, { id: LOT, type: "Parking" }, lot({ availableSpotNumber: 3 })]);
    expect(result.issues.map((i) => i.path)).toEqual(["data.0", "data.1.id", "data.2.type"]);
    expect(result.issues[2]?.message).toBe("unsupported type Parking (supported: OffStreetParking, TrafficFlowObserved)");
    expect(result.samples).toEqual([{ metricId: "parking.freeSpaces", entityId: "lot-futian-001", ts: Date.parse(NOTIFIED), value: 3 }]);
  });

  it("rejects ids that name no catalog entity of the model's kind", () => {
    const ids = ["urn:ngsi-ld:OffStreetParking:road-shennan", "urn:ngsi-ld:OffStreetParking:lot-atlantis-001", "urn:ngsi-ld:OffStreetParking:lot-futian-001:"];
    for (const id of ids) {
      const result = map([{ id, type: "OffStreetParking", availableSpotNumber: 1 }]);
      expect(result).toEqual({ samples: [], issues: [{ path: "data.0.id", message: `${id} names no OneScreen lot: expected urn:ngsi-ld:OffStreetParking:<lot id>, e.g. urn:ngsi-ld:OffStreetParking:lot-futian-001` }] });
    }
    expect(paths([{ id: "urn:ngsi-ld:TrafficFlowObserved:lot-futian-001", type: "TrafficFlowObserved", intensity: 1 }])).toEqual(["data.0.id"]);
    expect(map([{ id: "urn:ngsi-ld:TrafficFlowObserved:x", type: "TrafficFlowObserved" }]).issues[0]?.message).toContain("e.g. urn:ngsi-ld:TrafficFlowObserved:road-shennan");
  });

  it("names non-numeric attributes in both forms", () => {
    for (const value of ["120", null, true, [1], { value: "120", type: "Property" }, { type: "Property" }]) {
      expect(map([lot({ availableSpotNumber: value, totalSpotNumber: 10 })]).issues).toEqual([
        { path: "data.0.availableSpotNumber", message: expect.stringMatching(/^expected a number or a Property with a numeric value, got /) as unknown },
      ]);
    }
    expect(paths([road({ intensity: "lots", averageVehicleSpeed: prop("fast"), occupancy: {} })])).toEqual(["data.0.averageVehicleSpeed", "data.0.intensity", "data.0.occupancy"]);
  });

  it("keeps free spaces but not occupancy when the total is impossible", () => {
    const zero = map([lot({ availableSpotNumber: 0, totalSpotNumber: 0 })]);
    expect(zero.issues.map((i) => i.path)).toEqual(["data.0.totalSpotNumber"]);
    expect(zero.samples.map((s) => s.metricId)).toEqual(["parking.freeSpaces"]);
    const over = map([lot({ availableSpotNumber: 11, totalSpotNumber: 10 })]);
    expect(over.issues).toEqual([{ path: "data.0.availableSpotNumber", message: "exceeds totalSpotNumber (11 > 10)" }]);
    expect(over.samples.map((s) => s.metricId)).toEqual(["parking.freeSpaces"]);
  });

  it("maps no value at a time it cannot read, naming the date field", () => {
    expect(map([lot({ availableSpotNumber: prop(1, { observedAt: "yesterday" }) })])).toEqual({
      samples: [],
      issues: [{ path: "data.0.availableSpotNumber.observedAt", message: "is not an ISO 8601 date-time (e.g. 2026-11-25T08:00:00Z)" }],
    });
    for (const dateObserved of ["2026-02-30T08:00:00Z", "2026-11-25", "2026-11-25T25:00:00Z", 1764057600000, prop("soon"), "2026-11-25T08:00:00Z/2026-11-25T07:00:00Z", "2026-11-25T07:55:00Z/PT5M", "2026-11-25T07:50:00Z/2026-11-25T07:55:00Z/2026-11-25T08:00:00Z"]) {
      expect(map([lot({ availableSpotNumber: 1, dateObserved })])).toEqual({ samples: [], issues: [{ path: "data.0.dateObserved", message: expect.stringContaining("is not an ISO 8601 date-time") as unknown }] });
    }
    expect(map([lot({ availableSpotNumber: 1 })], { notifiedAt: "now" })).toEqual({ samples: [], issues: [{ path: "notifiedAt", message: "is not an ISO 8601 date-time (e.g. 2026-11-25T08:00:00Z)" }] });
    // An attribute with its own good observedAt does not need the broken one.
    expect(map([lot({ availableSpotNumber: prop(1, { observedAt: "2026-11-25T08:00:00Z" }) })], { notifiedAt: "now" }).samples).toHaveLength(1);
  });

  it("names a reversed period, a bad period end, a fraction outside 0..1 and a speed in another unit", () => {
    const period = { dateObservedFrom: "2026-11-25T08:00:00Z", dateObservedTo: "2026-11-25T08:00:00Z" };
    expect(map([road({ intensity: 10, ...period })])).toEqual({ samples: [], issues: [{ path: "data.0.dateObservedTo", message: "must be after dateObservedFrom" }] });
    expect(paths([road({ intensity: 10, dateObserved: "2026-11-25T08:00:00Z", dateObservedFrom: "2026-11-25T07:00:00Z", dateObservedTo: "later" })])).toEqual(["data.0.dateObservedTo"]);
    expect(map([road({ occupancy: 1.5 })])).toEqual({ samples: [], issues: [{ path: "data.0.occupancy", message: "must be a fraction between 0 and 1, got 1.5" }] });
    expect(paths([road({ occupancy: -0.1 })])).toEqual(["data.0.occupancy"]);
    expect(map([road({ averageVehicleSpeed: prop(12, { unitCode: "MTS" }) })])).toEqual({
      samples: [],
      issues: [{ path: "data.0.averageVehicleSpeed.unitCode", message: 'expected KMH (the model\'s unit), got "MTS"' }],
    });
  });
});

describe("samplesOfNotification: properties", () => {
  const lots = entitiesOfKind("lot").map((e) => e.id);

  it("a lot's available/total pair maps to free spaces as given and occupancy within 0..100, in either form", () => {
    const arbPair = fc.integer({ min: 1, max: 5_000 }).chain((total) => fc.tuple(fc.integer({ min: 0, max: total }), fc.constant(total)));
    fc.assert(
      fc.property(fc.constantFrom(...lots), arbPair, fc.boolean(), (lotId, [available, total], normalized) => {
        const value = (v: number) => (normalized ? prop(v) : v);
        const entity = { id: `urn:ngsi-ld:OffStreetParking:${lotId}`, type: "OffStreetParking", availableSpotNumber: value(available), totalSpotNumber: value(total) };
        const { samples, issues } = map([entity]);
        expect(issues).toEqual([]);
        expect(samples.map((s) => [s.metricId, s.entityId])).toEqual([["parking.freeSpaces", lotId], ["parking.occupancy", lotId]]);
        expect(samples[0]?.value).toBe(available);
        expect(samples[1]?.value).toBeGreaterThanOrEqual(0);
        expect(samples[1]?.value).toBeLessThanOrEqual(100);
        expect(checkBatch(samples, timeWindow(RECEIVED, 86_400_000)).rejected).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary JSON, and every sample it returns has a finite value and an integer time", () => {
    const attr = fc.oneof(fc.jsonValue(), fc.record({ type: fc.constant("Property"), value: fc.jsonValue(), observedAt: fc.oneof(fc.string(), fc.constant("2026-11-25T08:00:00Z")) }, { requiredKeys: ["value"] }));
    const entity = fc.record(
      {
        id: fc.oneof(fc.jsonValue(), fc.constantFrom(LOT, ROAD, "urn:ngsi-ld:X:road-shennan")),
        type: fc.oneof(fc.jsonValue(), fc.constantFrom("OffStreetParking", "TrafficFlowObserved", "constructor", "__proto__")),
        availableSpotNumber: attr,
        totalSpotNumber: attr,
        intensity: attr,
        averageVehicleSpeed: attr,
        occupancy: attr,
        dateObserved: attr,
        dateObservedFrom: attr,
        dateObservedTo: attr,
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(fc.jsonValue(), fc.record({ id: fc.string(), type: fc.constant("Notification"), subscriptionId: fc.string(), notifiedAt: fc.oneof(fc.string(), fc.constant(NOTIFIED)), data: fc.array(fc.oneof(entity, fc.jsonValue())) }, { requiredKeys: ["id", "type", "subscriptionId", "data"] }));
    fc.assert(
      fc.property(body, (b) => {
        const { samples, issues } = samplesOfNotification(b, RECEIVED);
        for (const s of samples) {
          expect(Number.isFinite(s.value)).toBe(true);
          expect(Number.isInteger(s.ts)).toBe(true);
        }
        for (const i of issues) expect(i.path).not.toBe("");
      }),
      { numRuns: 1_000 },
    );
  });
});
