import { describe, expect, it } from "vitest";
import { alertValueText } from "./value";

describe("alertValueText", () => {
  it("reads a value with its metric's decimals and unit", () => {
    expect(alertValueText("zh", { metricId: "parking.occupancy", triggerValue: 96.04 })).toBe("96.0 %");
    expect(alertValueText("en", { metricId: "traffic.congestionIndex", triggerValue: 8.4 })).toBe("8.4");
  });

  it("reads a counting rule's value as how many entities breached, not in the metric's unit", () => {
    expect(alertValueText("zh", { metricId: "parking.occupancy", triggerValue: 41, counted: "lot" })).toBe("41 个停车场");
    expect(alertValueText("en", { metricId: "health.connected", triggerValue: 8, counted: "hospital" })).toBe("8 hospitals");
  });

  it("has nothing to say of a metric it does not know", () => {
    expect(alertValueText("zh", { metricId: "traffic.nope", triggerValue: 1 })).toBeNull();
  });
});
