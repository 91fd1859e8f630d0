import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replayAlertsQuerySchema, replayQuerySchema } from "../history/query";
import { MAX_WIRE_ALERTS, clockNow, type TSample } from "./protocol";
import { ReplayAlerts, ReplayQueue, ZReplayAlertsAnswer, ZReplayAnswer, planReplay, replayClock, replayFromUrl, replayToUrl, samplesOf, type TReplayAlert } from "./replay";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 25, 0, 0, 0); // 08:00 in Shenzhen
const RETENTION = { rawMs: 48 * HOUR, minuteMs: 90 * DAY, hourMs: 730 * DAY };

describe("planReplay", () => {
  const plan = (from: number, speed: number) => planReplay({ from, speed, now: T0, retention: RETENTION });

  it("reads one averaged raw step per replayed second at 1× and 10×, minute rollups at 60×", () => {
    expect(plan(T0 - HOUR, 1)).toEqual({ resolution: "raw", bucketMs: 1_000 });
    expect(plan(T0 - HOUR, 10)).toEqual({ resolution: "raw", bucketMs: 10_000 });
    expect(plan(T0 - HOUR, 60)).toEqual({ resolution: "1m", bucketMs: 60_000 });
  });

  it("falls back to the finest resolution still kept when the window is older than raw or minute retention", () => {
    expect(plan(T0 - 3 * DAY, 1)).toEqual({ resolution: "1m", bucketMs: 60_000 });
    expect(plan(T0 - 100 * DAY, 10)).toEqual({ resolution: "1h", bucketMs: HOUR });
  });
});

describe("replayClock", () => {
  it("starts at the window's start and runs at the replay speed", () => {
    const clock = replayClock(T0, 10, 5_000);
    expect(clockNow(clock, 5_000)).toBe(T0);
    expect(clockNow(clock, 8_000)).toBe(T0 + 30_000);
  });
});

describe("ReplayQueue", () => {
  const sample = (ts: number): TSample => ({ metricId: "traffic.congestionIndex", entityId: "shenzhen", ts, value: ts % 7 });

  it("releases each fetched sample once, in time order, only when the replayed time reaches it (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 20 }),
        (offsets, releaseTimes) => {
          const queue = new ReplayQueue(T0, T0 + 1_000);
          const samples = offsets.map((o) => sample(T0 + o));
          // Fetched in two chunks, each delivered unsorted.
          queue.accept(samples.filter((s) => s.ts < T0 + 500).reverse(), T0 + 500);
          queue.accept(samples.filter((s) => s.ts >= T0 + 500), T0 + 1_000);
          const released: TSample[] = [];
          for (const t of [...releaseTimes].sort((a, b) => a - b)) {
            const batch = queue.release(T0 + t);
            expect(batch.every((s) => s.ts <= T0 + t)).toBe(true);
            released.push(...batch);
          }
          const last = T0 + Math.max(...releaseTimes);
          expect(released.map((s) => s.ts)).toEqual(samples.map((s) => s.ts).filter((ts) => ts <= last).sort((a, b) => a - b));
          expect(queue.size).toBe(samples.length - released.length);
        },
      ),
    );
  });

  it("asks for the next chunk only when less than the look-ahead is fetched, and never past the window", () => {
    const queue = new ReplayQueue(T0, T0 + 300_000);
    expect(queue.nextFetch(T0, 60_000, 120_000)).toEqual({ from: T0, to: T0 + 120_000 });
    queue.accept([], T0 + 120_000);
    expect(queue.nextFetch(T0 + 30_000, 60_000, 120_000)).toBeNull();
    expect(queue.nextFetch(T0 + 70_000, 60_000, 120_000)).toEqual({ from: T0 + 120_000, to: T0 + 240_000 });
    queue.accept([], T0 + 240_000);
    expect(queue.nextFetch(T0 + 200_000, 60_000, 120_000)).toEqual({ from: T0 + 240_000, to: T0 + 300_000 });
    queue.accept([], T0 + 360_000);
    expect(queue.fetchedTo).toBe(T0 + 300_000);
    expect(queue.nextFetch(T0 + 299_000, 60_000, 120_000)).toBeNull();
  });
});

describe("samplesOf", () => {
  it("turns an answer's series into samples", () => {
    const answer = ZReplayAnswer.parse({ stepMs: 1_000, series: [{ metricId: "parking.occupancy", entityId: "futian", points: [[T0, 0.5], [T0 + 1_000, 0.6]] }] });
    expect(samplesOf(answer)).toEqual([
      { metricId: "parking.occupancy", entityId: "futian", ts: T0, value: 0.5 },
      { metricId: "parking.occupancy", entityId: "futian", ts: T0 + 1_000, value: 0.6 },
    ]);
  });
});

describe("replay in the URL", () => {
  it("round-trips through Shenzhen-time parameters and keeps the others", () => {
    const request = { from: T0, to: T0 + HOUR, speed: 10 as const };
    const params = replayToUrl(new URLSearchParams("lang=en"), request);
    expect(params.get("replay")).toBe("2026-11-25T08:00:00+08:00");
    expect(params.get("lang")).toBe("en");
    expect(replayFromUrl(params)).toEqual(request);
    expect([...replayToUrl(params, null).keys()]).toEqual(["lang"]);
  });

  it("ignores a replay it cannot play", () => {
    const at = (query: string) => replayFromUrl(new URLSearchParams(query));
    expect(at("replay=2026-11-25T08:00:00%2B08:00&until=2026-11-25T09:00:00%2B08:00&speed=5")).toBeNull();
    expect(at("replay=2026-11-25T09:00:00%2B08:00&until=2026-11-25T08:00:00%2B08:00")).toBeNull();
    expect(at("replay=yesterday&until=2026-11-25T08:00:00%2B08:00")).toBeNull();
    expect(at("lang=en")).toBeNull();
  });
});

describe("replayQuerySchema", () => {
  const parse = (query: string) => replayQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
  const fieldOf = (query: string) => {
    const result = parse(query);
    return result.success ? null : result.error.issues.map((i) => i.path.join("."));
  };

  it("accepts a window of whole-city steps, or one district's", () => {
    expect(parse(`from=${T0}&to=${T0 + 120_000}&speed=1`).data).toEqual({ from: T0, to: T0 + 120_000, speed: 1 });
    expect(parse(`from=2026-11-25T08:00:00%2B08:00&to=${T0 + 600_000}&speed=10&entity=futian`).data).toEqual({ from: T0, to: T0 + 600_000, speed: 10, entity: "futian" });
  });

  it("names the bad parameter", () => {
    expect(fieldOf(`from=${T0}&to=${T0 + 1_000}&speed=5`)).toEqual(["speed"]);
    expect(fieldOf(`from=${T0}&to=${T0}&speed=1`)).toEqual(["to"]);
    expect(fieldOf(`from=${T0}&to=${T0 + 1_001_000}&speed=1`)).toEqual(["to"]);
    expect(fieldOf(`from=noon&to=${T0}&speed=1`)).toEqual(["from"]);
    expect(fieldOf(`to=${T0}&speed=1`)).toEqual(["from"]);
    expect(fieldOf(`from=${T0}&to=${T0 + 1_000}&speed=1&entity=road-shennan`)).toEqual(["entity"]);
  });
});

describe("ReplayAlerts", () => {
  const alert = (id: string, openedTs: number, resolvedTs: number | null, extra: Partial<TReplayAlert> = {}): TReplayAlert => ({
    id,
    ruleId: "hospital-offline",
    name: { zh: "医院健康信息网断连", en: "Hospital network link down" },
    metricId: "health.connected",
    entityId: `hosp-${id}`,
    severity: "critical",
    sinceTs: openedTs - 60_000,
    openedTs,
    triggerValue: 0,
    acknowledged: null,
    resolvedTs,
    ...extra,
  });
  // a: 08:00–08:10; b: 08:05, still open now (live); c: opened before the window, resolved at 08:02; d: acknowledged at 08:07.
  const history = [
    alert("a", T0, T0 + 600_000),
    alert("b", T0 + 300_000, null),
    alert("c", T0 - HOUR, T0 + 120_000),
    alert("d", T0 + 60_000, T0 + 900_000, { acknowledged: { at: T0 + 420_000, by: "duty", comment: null } }),
  ];
  const cases: [name: string, at: number, open: string[], acknowledged: string[]][] = [
    ["before anything of the window opened: only what was open then", T0 - 1, ["c"], []],
    ["an alert opens at its opening instant", T0, ["a", "c"], []],
    ["newest first", T0 + 60_000, ["d", "a", "c"], []],
    ["one resolved at its resolution instant is gone", T0 + 120_000, ["d", "a"], []],
    ["an acknowledgement shows only once it was made", T0 + 419_999, ["b", "d", "a"], []],
    ["…and from then on", T0 + 420_000, ["b", "d", "a"], ["d"]],
    ["an alert still open now stays open to the end", T0 + 2 * HOUR, ["b"], []],
  ];
  it.each(cases)("%s", (_, at, open, acknowledged) => {
    const alerts = new ReplayAlerts();
    alerts.accept(history);
    const shown = alerts.at(at);
    expect(shown.map((a) => a.id)).toEqual(open);
    expect(shown.filter((a) => a.acknowledged !== null).map((a) => a.id)).toEqual(acknowledged);
    expect(shown.every((a) => !("resolvedTs" in a))).toBe(true);
  });

  it("takes a chunk's repeats once, and forgets what ended before the replayed time", () => {
    const alerts = new ReplayAlerts();
    alerts.accept(history);
    alerts.accept(history.slice(0, 2)); // the next chunk's answer overlaps
    expect(alerts.size).toBe(4);
    alerts.prune(T0 + 600_000);
    expect(alerts.size).toBe(2); // a and c ended; b (open) and d (until 08:15) remain
    expect(alerts.at(T0 + 600_000).map((a) => a.id)).toEqual(["b", "d"]);
  });

  it("shows at most as many as the live list", () => {
    const alerts = new ReplayAlerts();
    alerts.accept(Array.from({ length: MAX_WIRE_ALERTS + 5 }, (_, i) => alert(`x${i}`, T0 + i, null)));
    expect(alerts.at(T0 + HOUR)).toHaveLength(MAX_WIRE_ALERTS);
    expect(alerts.at(T0 + HOUR)[0]!.id).toBe(`x${MAX_WIRE_ALERTS + 4}`);
  });

  it("parses what /api/replay/alerts answers", () => {
    expect(ZReplayAlertsAnswer.parse({ from: T0, to: T0 + 1, alerts: history }).alerts).toHaveLength(4);
    expect(() => ZReplayAlertsAnswer.parse({ alerts: [{ ...history[0], resolvedTs: "soon" }] })).toThrow();
  });
});

describe("replayAlertsQuerySchema", () => {
  const fieldOf = (query: string) => {
    const result = replayAlertsQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
    return result.success ? null : result.error.issues.map((i) => i.path.join("."));
  };
  it.each([
    [`from=${T0}&to=${T0 + HOUR}`, null],
    [`from=2026-11-25T08:00:00%2B08:00&to=${T0 + 1}`, null],
    [`from=${T0}&to=${T0}`, ["to"]],
    [`from=${T0}&to=${T0 + 25 * HOUR}`, ["to"]],
    [`from=noon&to=${T0}`, ["from"]],
    [`to=${T0}`, ["from"]],
  ])("%s → %j", (query, fields) => {
    expect(fieldOf(query)).toEqual(fields);
  });
});
