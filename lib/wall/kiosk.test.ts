import { describe, expect, it } from "vitest";
import { DEFAULT_VIEWS, kioskHref, nextView, parseKiosk, secondsOn, viewOfPath } from "./kiosk";

const parse = (query: string) => parseKiosk(new URLSearchParams(query));

describe("parseKiosk", () => {
  it("is off unless kiosk=1", () => {
    expect(parse("")).toBeNull();
    expect(parse("kiosk=0")).toBeNull();
    expect(parse("kiosk=1")).toEqual({ views: DEFAULT_VIEWS, lang: "zh" });
  });

  it("reads views and durations, clamping durations and dropping what it does not know", () => {
    expect(parse("kiosk=1&lang=en&views=parking:1,wall:90,weather:10,traffic:x,health:99999")).toEqual({
      views: [
        { view: "parking", seconds: 3 },
        { view: "wall", seconds: 90 },
        { view: "health", seconds: 3600 },
      ],
      lang: "en",
    });
    expect(parse("kiosk=1&views=nothing:5")?.views).toEqual(DEFAULT_VIEWS);
  });
});

describe("rotation", () => {
  const config = { views: [{ view: "wall", seconds: 30 }, { view: "parking", seconds: 10 }], lang: "zh" } as const;
  const kiosk = { ...config, views: [...config.views] };

  it("goes round in order and starts over; a page outside the rotation moves to the first view", () => {
    expect(nextView(kiosk, "wall").view).toBe("parking");
    expect(nextView(kiosk, "parking").view).toBe("wall");
    expect(nextView(kiosk, "traffic").view).toBe("wall");
    expect(nextView(kiosk, null).view).toBe("wall");
    expect([secondsOn(kiosk, "parking"), secondsOn(kiosk, "health")]).toEqual([10, 30]);
  });

  it("keeps kiosk, language and custom views in the next URL", () => {
    expect(kioskHref("parking", kiosk, true)).toBe("/parking?kiosk=1&views=wall%3A30%2Cparking%3A10");
    expect(kioskHref("wall", { ...kiosk, lang: "en" }, false)).toBe("/?kiosk=1&lang=en");
    expect([viewOfPath("/"), viewOfPath("/health"), viewOfPath("/district/futian")]).toEqual(["wall", "health", null]);
  });
});
