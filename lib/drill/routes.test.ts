import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CITY_ID, DOMAINS, entityById } from "../catalog";
import { RANGE_KEYS, type TimeRange } from "../history/series";
import { DEFAULT_VIEW, DOMAIN_OF_KIND, districtOf, entityPath, entityTrail, formatRange, parseRange, parseViewState, withView, type ViewState } from "./routes";

const MAX_MS = 999_999_999_999_999; // 15 digits, the longest epoch the URL format accepts

const arbRange: fc.Arbitrary<TimeRange> = fc.oneof(
  fc.constantFrom(...RANGE_KEYS).map((key): TimeRange => ({ kind: "live", key })),
  fc
    .tuple(fc.integer({ min: 0, max: MAX_MS }), fc.integer({ min: 0, max: MAX_MS }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]): TimeRange => ({ kind: "fixed", from: Math.min(a, b), to: Math.max(a, b) })),
);

const arbView: fc.Arbitrary<ViewState> = fc.record({
  lang: fc.constantFrom("zh" as const, "en" as const),
  range: arbRange,
  layer: fc.constantFrom(...DOMAINS),
});

const viewOfUrl = (href: string) => parseViewState(Object.fromEntries(new URL("http://x" + href).searchParams));

describe("parseRange", () => {
  it("accepts every live range key", () => {
    for (const key of ["15m", "1h", "6h", "24h", "7d"] as const) expect(parseRange(key)).toEqual({ kind: "live", key });
  });

  it("accepts a fixed window of epoch ms with from < to", () => {
    expect(parseRange("1764028800000~1764032400000")).toEqual({ kind: "fixed", from: 1764028800000, to: 1764032400000 });
    expect(parseRange("0~1")).toEqual({ kind: "fixed", from: 0, to: 1 });
  });

  it("falls back to the live 15 minutes for anything else", () => {
    const bad = [undefined, "", "2h", "1H", " 1h", "toString", "__proto__", "abc~def", "5~5", "9~3", "-5~10", "5~-10", "1.5~3", "1e3~2e3", "1~2~3", "~5", "5~", "1234567890123456~1234567890123457", "9".repeat(400) + "~" + "9".repeat(401)];
    for (const value of bad) expect(parseRange(value), String(value)).toEqual(DEFAULT_VIEW.range);
    expect(DEFAULT_VIEW.range).toEqual({ kind: "live", key: "15m" });
  });

  it("reads back every range it formats (property)", () => {
    fc.assert(
      fc.property(arbRange, (range) => {
        expect(parseRange(formatRange(range))).toEqual(range);
      }),
    );
  });
});

describe("parseViewState", () => {
  it("gives the default view for an empty or malformed query", () => {
    expect(parseViewState({})).toEqual(DEFAULT_VIEW);
    expect(parseViewState({ lang: "fr", layer: "weather", range: "forever" })).toEqual(DEFAULT_VIEW);
  });

  it("takes the first of repeated parameters", () => {
    expect(parseViewState({ lang: ["en", "zh"], layer: ["health", "parking"], range: ["1h", "7d"] })).toEqual({ lang: "en", layer: "health", range: { kind: "live", key: "1h" } });
  });
});

describe("withView", () => {
  it("keeps a bare path for the default view", () => {
    expect(withView("/parking", DEFAULT_VIEW)).toBe("/parking");
    expect(withView("/", {})).toBe("/");
  });

  it("puts only what differs from the default in the query", () => {
    expect(withView("/parking", { ...DEFAULT_VIEW, lang: "en" })).toBe("/parking?lang=en");
    expect(withView("/", { layer: "broadband" })).toBe("/?layer=broadband");
    const fixed = withView("/district/futian", { range: { kind: "fixed", from: 1000, to: 2000 } });
    expect(fixed.startsWith("/district/futian?range=")).toBe(true);
    expect(fixed).not.toMatch(/lang|layer/);
  });

  it("opens the same view from the link it builds (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom("/", "/parking", "/district/futian", "/entity/lot-futian-001"), arbView, (path, view) => {
        const href = withView(path, view);
        expect(new URL("http://x" + href).pathname).toBe(path);
        expect(viewOfUrl(href)).toEqual(view);
      }),
    );
  });
});

describe("entityPath and districtOf", () => {
  it("sends the city to the wall, a district to its view and anything else to its entity page", () => {
    expect(entityPath(entityById(CITY_ID)!)).toBe("/");
    expect(entityPath(entityById("futian")!)).toBe("/district/futian");
    expect(entityPath(entityById("lot-futian-001")!)).toBe("/entity/lot-futian-001");
    expect(entityPath({ id: "a b/c", kind: "road" })).toBe("/entity/a%20b%2Fc");
  });

  it("finds districts only", () => {
    expect(districtOf("nanshan")?.id).toBe("nanshan");
    expect(districtOf("%6Eanshan")?.id).toBe("nanshan");
    expect(districtOf("road-shennan")).toBeUndefined();
    expect(districtOf("lot-futian-001")).toBeUndefined();
    expect(districtOf(CITY_ID)).toBeUndefined();
    expect(districtOf("atlantis")).toBeUndefined();
    // A malformed escape names nothing (a 404), rather than throwing (a 500).
    for (const bad of ["%", "futian%", "%E0%A4%A"]) expect(districtOf(bad)).toBeUndefined();
  });
});

describe("entityTrail", () => {
  it("leads from the wall through the domain to the district", () => {
    expect(entityTrail("lot-futian-001")).toEqual([
      { href: "/", label: { zh: "一屏统览", en: "OneScreen" } },
      { href: "/parking", label: { zh: "智慧停车", en: "Parking" } },
      { href: "/district/futian", label: { zh: "福田区", en: "Futian" } },
    ]);
    expect(entityTrail("road-shennan").map((c) => c.href)).toEqual(["/", "/traffic", "/district/futian"]);
  });

  it("has only the wall above a district, the city or an unknown id", () => {
    for (const id of ["futian", "dapeng", CITY_ID, "nowhere"]) expect(entityTrail(id).map((c) => c.href)).toEqual(["/"]);
  });

  it("files every single-entity kind under a domain", () => {
    expect(DOMAIN_OF_KIND).toEqual({ road: "traffic", lot: "parking", hospital: "health", healthCentre: "health", accessNode: "broadband" });
  });
});
