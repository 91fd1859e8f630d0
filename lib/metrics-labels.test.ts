import { describe, expect, it } from "vitest";
import { metricsRefusal } from "./metrics-access";
import { metricNamesIn, sourceKind, statusClass } from "./metrics-labels";

describe("metric labels", () => {
  it("a source counts under its kind, an unknown one as other", () => {
    expect(["sim", "mqtt", "http:meter-vendor-7", "ngsi-ld:orion", "http", "carrier-pigeon:x", ""].map(sourceKind)).toEqual(["sim", "mqtt", "http", "ngsi-ld", "http", "other", "other"]);
  });

  it("a status counts under its class", () => {
    expect([200, 303, 400, 429, 503, 999, 42].map(statusClass)).toEqual(["2xx", "3xx", "4xx", "4xx", "5xx", "other", "other"]);
  });

  it("names the metric families a PromQL expression reads", () => {
    expect(metricNamesIn("histogram_quantile(0.95, sum by (le, route) (rate(onescreen_web_request_duration_seconds_bucket[5m])))")).toEqual(["onescreen_web_request_duration_seconds"]);
    expect(metricNamesIn('sum(onescreen_persist_queue_samples) / max(onescreen_persist_queue_max_samples{job="side"}) + nodejs_gc_duration_seconds_count')).toEqual([
      "onescreen_persist_queue_samples",
      "onescreen_persist_queue_max_samples",
      "nodejs_gc_duration_seconds",
    ]);
  });
});

describe("who may read /metrics", () => {
  const token = "metrics-token-0123456789abcdef";
  it("anyone when no token is set", () => {
    expect(metricsRefusal(undefined, undefined)).toBeNull();
  });
  it("only the token's bearer when one is", () => {
    expect(metricsRefusal(`Bearer ${token}`, token)).toBeNull();
    expect(metricsRefusal(`bearer ${token}`, token)).toBeNull();
    for (const header of [undefined, "", `Bearer ${token}x`, `Basic ${token}`, token, `Bearer  ${token}`]) expect(metricsRefusal(header, token)).toMatch(/METRICS_TOKEN/);
  });
});
