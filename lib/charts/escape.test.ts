/**
 * Hostile names in every chart text that can reach HTML. ECharts sets a tooltip
 * formatter's return value as innerHTML, so a label like `<img src=x onerror=…>` must
 * leave our builders escaped; e2e/xss.spec.ts proves the same in a real ECharts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { metricById, type MetricDefinition } from "../catalog";
import { REFERENCE_FIGURES, SERIES, type ReferenceFigure } from "../reference/figures";
import { cityMapOption } from "./city-map";
import { districtBarsOption } from "./district-bars";
import { investmentOption } from "./investment";
import { escapeHtml } from "./theme";
import { trendOption } from "./trend";

const IMG = "<img src=x onerror=alert(1)>";
const IMG_ESCAPED = "&#60;img src=x onerror=alert(1)&#62;";
const QUOTES = `"&<>'`;
const QUOTES_ESCAPED = "&#34;&#38;&#60;&#62;&#39;";

/** The tags in a piece of HTML: only the ones our formatters write themselves may appear. */
const tags = (html: string) => new Set(html.match(/<[^>]*>/g) ?? []);
const OUR_TAGS = new Set(["<b>", "</b>", "<br/>"]);

const congestion = metricById("traffic.congestionIndex");
if (!congestion) throw new Error("catalog changed");
const hostileMetric = (text: string): MetricDefinition => ({ ...congestion, label: { zh: text, en: text }, unit: { zh: text, en: text } });

describe("escapeHtml", () => {
  it.each([
    [IMG, IMG_ESCAPED],
    [QUOTES, QUOTES_ESCAPED],
  ])("%s → %s", (input, expected) => expect(escapeHtml(input)).toBe(expected));

  it("leaves no markup character in any string, and the browser reads back the original", () => {
    // What an HTML parser does with numeric character references.
    const decode = (html: string) => html.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
    fc.assert(
      fc.property(fc.string(), (s) => {
        const escaped = escapeHtml(s);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(decode(escaped)).toBe(s);
      }),
    );
  });
});

describe("trend tooltip (our formatter, HTML)", () => {
  const T0 = Date.UTC(2026, 10, 25, 2);
  const tooltipOf = (text: string, points: readonly (readonly [number, number] | readonly [number, number, number, number, number])[]) => {
    const option = trendOption({ metric: hostileMetric(text), points, endMs: T0 + 1000, windowMs: 60_000, rem: 16 });
    const formatter = (option.tooltip as { formatter: (params: unknown) => string }).formatter;
    return formatter([{ value: points[0]?.slice(0, 2) }]);
  };

  it.each([
    [IMG, IMG_ESCAPED],
    [QUOTES, QUOTES_ESCAPED],
  ])("a unit %s is shown escaped", (text, escaped) => {
    for (const points of [[[T0, 5]], [[T0, 5, 4, 6, 60]]] as const) {
      const html = tooltipOf(text, points);
      expect(html).toContain(escaped);
      expect(html).not.toContain(text);
      expect([...tags(html)].filter((t) => !OUR_TAGS.has(t))).toEqual([]);
    }
  });
});

describe("investment tooltip (our formatter, HTML)", () => {
  const isGlobal2019 = (f: ReferenceFigure) => f.series === SERIES.globalInvestment && f.year === 2019;
  const tooltipOf = (text: string, lang: "zh" | "en") => {
    const figures = REFERENCE_FIGURES.map((f) => (isGlobal2019(f) ? { ...f, unit: text, source: text, note: text, derivation: text } : f));
    const option = investmentOption({ figures, lang, rem: 16 }) as { series: { data: { tooltip?: { formatter?: string } }[] }[] };
    return option.series[0]?.data[0]?.tooltip?.formatter ?? "";
  };

  it.each([
    [IMG, IMG_ESCAPED, "zh"],
    [QUOTES, QUOTES_ESCAPED, "en"],
  ] as const)("unit, source, note and derivation %s are shown as %s", (text, escaped, lang) => {
    const html = tooltipOf(text, lang);
    expect(html.split(escaped)).toHaveLength(5); // all four fields, escaped
    expect(html).not.toContain(text);
    expect([...tags(html)].filter((t) => !OUR_TAGS.has(t))).toEqual([]);
  });
});

describe("charts whose names never reach our HTML", () => {
  it("district bars build no tooltip HTML: ECharts' default tooltip escapes the district (category) name itself", () => {
    const option = districtBarsOption({ metric: hostileMetric(IMG), bars: [{ name: IMG, value: 5 }], rem: 16 }) as { tooltip: { formatter?: unknown }; series: { label: { formatter: (p: { value: unknown }) => string } }[] };
    expect(option.tooltip.formatter).toBeUndefined();
    expect(option.series[0]?.label.formatter({ value: 5 })).toBe("5.0");
  });

  it("the map has no tooltip, so its labels stay SVG text (passed through as plain text, see city-map.test.ts)", () => {
    const option = cityMapOption({
      metric: hostileMetric(IMG),
      regions: [{ id: "futian", label: IMG, value: 50 }],
      dots: [{ id: "guangming", label: IMG, value: 96, lon: 113.9, lat: 22.7, caption: IMG }],
      highlight: [],
      values: true,
      rem: 16,
    });
    expect(option.tooltip).toBeUndefined();
  });
});
