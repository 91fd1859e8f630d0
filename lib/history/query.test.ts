/**
 * The GET /api/history parameters: what parses, and that every bad parameter is named
 * in the issue's path (the route turns `path: message` into its 400).
 */
import { describe, expect, it } from "vitest";
import { retentionOf } from "../config";
import { historyQuerySchema, replayQuerySchema } from "./query";

const DAY = 86_400_000;
/** The default retention: hourly rollups are kept 730 days, the longest range a query may span. */
const maxRangeMs = retentionOf({ RETENTION_RAW_HOURS: 48, RETENTION_MINUTE_DAYS: 90, RETENTION_HOUR_DAYS: 730 }).hourMs;
const schema = historyQuerySchema(maxRangeMs);

const FROM = Date.parse("2026-11-25T08:00:00+08:00");
const TO = FROM + 3_600_000;
const valid = { metric: "traffic.congestionIndex", entity: "shenzhen", from: String(FROM), to: String(TO) };

/** The paths of the issues `params` produce; [] when it parses. */
function issuePaths(params: Record<string, string>): string[] {
  const result = schema.safeParse(params);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

describe("Q1 a valid query parses", () => {
  it("Q1 epoch milliseconds, with maxPoints defaulting to 2000", () => {
    expect(schema.parse(valid)).toEqual({ metric: "traffic.congestionIndex", entity: "shenzhen", from: FROM, to: TO, maxPoints: 2_000 });
  });

  it("Q1 ISO 8601 with an offset gives the same instants as epoch ms", () => {
    const q = schema.parse({ ...valid, from: "2026-11-25T08:00:00+08:00", to: "2026-11-25T01:00:00Z", maxPoints: "100" });
    expect(q).toMatchObject({ from: FROM, to: TO, maxPoints: 100 });
  });

  it.each([
    ["a road", "traffic.congestionIndex", "road-shennan"],
    ["a car park", "parking.occupancy", "lot-futian-001"],
    ["the city", "traffic.incidents", "shenzhen"],
  ])("Q1 a metric on %s it is measured on", (_kind, metric, entity) => {
    expect(issuePaths({ ...valid, metric, entity })).toEqual([]);
  });

  it("Q1 the limits of maxPoints (10 and 5000) and the longest kept range are accepted", () => {
    expect(schema.parse({ ...valid, maxPoints: "10" }).maxPoints).toBe(10);
    expect(schema.parse({ ...valid, maxPoints: "5000" }).maxPoints).toBe(5_000);
    expect(issuePaths({ ...valid, to: String(FROM + maxRangeMs) })).toEqual([]);
  });
});

describe("Q2 each bad parameter gives an issue whose path names it", () => {
  it.each<[string, Record<string, string | undefined>, string]>([
    ["unknown metric", { metric: "traffic.teleports" }, "metric"],
    ["missing metric", { metric: undefined }, "metric"],
    ["unknown entity", { entity: "atlantis" }, "entity"],
    ["missing entity", { entity: undefined }, "entity"],
    ["incidents are not measured on a road", { metric: "traffic.incidents", entity: "road-shennan" }, "entity"],
    ["car-park occupancy is not measured on the city's roads", { metric: "parking.occupancy", entity: "road-shennan" }, "entity"],
    ["missing from", { from: undefined }, "from"],
    ["missing to", { to: undefined }, "to"],
    ["unparseable from", { from: "yesterday-ish" }, "from"],
    ["unparseable to", { to: "2026-13-45T99:00" }, "to"],
    ["to equal to from", { to: String(FROM) }, "to"],
    ["to before from", { to: String(FROM - 1) }, "to"],
    ["a range one millisecond longer than the kept history", { to: String(FROM + maxRangeMs + 1) }, "to"],
    ["maxPoints 0", { maxPoints: "0" }, "maxPoints"],
    ["maxPoints 9", { maxPoints: "9" }, "maxPoints"],
    ["maxPoints 99999", { maxPoints: "99999" }, "maxPoints"],
    ["maxPoints abc", { maxPoints: "abc" }, "maxPoints"],
    ["maxPoints 12.5", { maxPoints: "12.5" }, "maxPoints"],
  ])("Q2 %s → %s", (_case, change, path) => {
    const params = Object.fromEntries(Object.entries({ ...valid, ...change }).filter((e): e is [string, string] => e[1] !== undefined));
    const result = schema.safeParse(params);
    expect(result.success).toBe(false);
    // Exactly the bad parameter is named, with a message a user can act on.
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual([path]);
    expect(result.error?.issues[0]?.message).toMatch(/\w{3,}/);
  });

  it("Q2 the messages say what is wrong", () => {
    const message = (change: Record<string, string>) => schema.safeParse({ ...valid, ...change }).error?.issues[0]?.message;
    expect(message({ metric: "nope" })).toBe("unknown metric");
    expect(message({ entity: "nope" })).toBe("unknown entity");
    expect(message({ metric: "traffic.incidents", entity: "road-shennan" })).toBe("traffic.incidents is not measured on a road");
    expect(message({ to: String(FROM) })).toBe("must be after from");
    expect(message({ to: String(FROM + 800 * DAY) })).toMatch(/730 days/);
    expect(message({ maxPoints: "0" })).toMatch(/at least 10/);
    expect(message({ maxPoints: "99999" })).toMatch(/at most 5000/);
    expect(message({ from: "soon" })).toMatch(/ISO 8601/);
  });

  it("Q2 several bad parameters are all named at once", () => {
    expect(issuePaths({ metric: "nope", entity: "nope", from: "x", to: String(TO), maxPoints: "abc" }).sort()).toEqual(["entity", "from", "maxPoints", "metric"]);
  });
});

describe("Q3 dates no clock can show are a 400 naming the field, never a query", () => {
  const replay = (change: Record<string, string>) => replayQuerySchema.safeParse({ from: String(FROM), to: String(FROM + 60_000), speed: "1", ...change });
  it.each([
    ["the largest Date", "8640000000000000"],
    ["beyond the largest Date", "8640000000000001"],
    ["twenty digits", "99999999999999999999"],
    ["the largest Date in ISO form", "+275760-09-13T00:00:00Z"],
    ["the smallest Date in ISO form", "-271821-04-20T00:00:00Z"],
    ["before 2000", "1999-12-31T23:59:59Z"],
    ["after 2100", "2100-01-01T00:00:00.001Z"],
    ["epoch zero", "0"],
    ["an exponent", "1e20"],
    ["Infinity", "Infinity"],
    ["hexadecimal", "0x10"],
    ["a minus sign (Date.parse reads -1 as the year 2001)", "-1"],
    ["a leading space (Date.parse reads ' 5' as May 2001)", " 5"],
    ["a date without a time", "2026-11-25"],
    ["an English date", "Tue Nov 25 2026"],
    ["a time without a zone", "2026-11-25T08:00:00"],
  ])("%s (%s) in from, in to, and in a replay", (_what, value) => {
    expect(issuePaths({ ...valid, from: value })).toContain("from");
    expect(issuePaths({ ...valid, to: value })).toContain("to");
    expect(replay({ from: value }).error?.issues.map((i) => i.path.join("."))).toContain("from");
    expect(replay({ to: value }).error?.issues.map((i) => i.path.join("."))).toContain("to");
  });

  it("says which window is allowed", () => {
    expect(schema.safeParse({ ...valid, from: "8640000000000000" }).error?.issues[0]?.message).toBe("must be between 2000-01-01 and 2100-01-01");
  });

  it("the window's ends themselves are fine, in either form", () => {
    const first = Date.UTC(2000, 0, 1);
    const last = Date.UTC(2100, 0, 1);
    expect(historyQuerySchema(Number.POSITIVE_INFINITY).parse({ ...valid, from: "2000-01-01T00:00:00Z", to: String(last) })).toMatchObject({ from: first, to: last });
    expect(schema.parse({ ...valid, from: "2026-11-25T08:00+08:00", to: "2026-11-25T09:00:00.000000+08:00" })).toMatchObject({ from: FROM, to: TO });
  });
});
