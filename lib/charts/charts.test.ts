import { describe, expect, it } from "vitest";
import { METRICS, metricById, type MetricDefinition } from "../catalog";
import type { Point } from "../realtime/series-buffer";
import { REFERENCE_FIGURES, SERIES, type ReferenceFigure } from "../reference/figures";
import { districtBarsOption } from "./district-bars";
import { INVESTMENT_YEARS, investmentOption } from "./investment";
import { levelsOf, severityAt, severityOf, type SeverityLevel } from "./severity";
import { escapeHtml, palette, severityColor, type Severity } from "./theme";
import { axisNumber, levelMarks, shenzhenTime, trendOption, withGaps, yBounds, type TrendPoint } from "./trend";

/*
 * ECharts' option type is a wide union; the tests read the few fields the wall
 * depends on through these narrow views of the plain objects the builders return.
 */
interface ItemView {
  value: number | null;
  itemStyle?: { color?: string; borderColor?: string; borderWidth?: number; borderType?: string; decal?: unknown };
  label?: { formatter?: string };
  tooltip?: { formatter?: string };
}
interface SeriesView {
  type: string;
  name?: string;
  data: unknown[];
  markLine?: { data: { yAxis: number }[] };
  markArea?: unknown;
  label?: { formatter?: (p: { value: unknown }) => string };
}
interface OptionView {
  xAxis: { type: string; min?: number; max?: number; data?: string[] };
  yAxis: { data?: string[] } | unknown[];
  series: SeriesView[];
}
const view = (option: unknown) => option as OptionView;

function metric(id: string): MetricDefinition {
  const m = metricById(id);
  if (!m) throw new Error(`no metric ${id}`);
  return m;
}
const CONGESTION = metric("traffic.congestionIndex"); // above: warning 6, critical 8
const SPEED = metric("traffic.avgSpeed"); // below: warning 25, critical 15
const FLOW = metric("traffic.flow"); // no thresholds

const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);
const pts = (...offsets: number[]): Point[] => offsets.map((o, i) => [T0 + o, i]);

describe("axisNumber", () => {
  it("prints value-axis ticks without float noise, with thousands separators", () => {
    expect(axisNumber(1.7000000000000002)).toBe("1.7");
    expect(axisNumber(0.30000000000000004)).toBe("0.3");
    expect(axisNumber(2100)).toBe("2,100");
    expect(axisNumber(10.75)).toBe("10.75");
  });
});

describe("withGaps", () => {
  it.each([
    ["no points", pts(), 5000, []],
    ["one point", pts(0), 5000, [[T0, 0]]],
    ["steady 1 s steps", pts(0, 1000, 2000), 5000, [[T0, 0], [T0 + 1000, 1], [T0 + 2000, 2]]],
    ["a step exactly gapMs long", pts(0, 5000), 5000, [[T0, 0], [T0 + 5000, 1]]],
    ["a step 1 ms over gapMs", pts(0, 5001), 5000, [[T0, 0], [T0 + 1, null], [T0 + 5001, 1]]],
    ["one hole in the middle", pts(0, 1000, 60_000, 61_000), 5000, [[T0, 0], [T0 + 1000, 1], [T0 + 1001, null], [T0 + 60_000, 2], [T0 + 61_000, 3]]],
    ["two holes", pts(0, 10_000, 20_000), 5000, [[T0, 0], [T0 + 1, null], [T0 + 10_000, 1], [T0 + 10_001, null], [T0 + 20_000, 2]]],
  ])("%s → a null break exactly after each step longer than gapMs", (_case, points, gapMs, expected) => {
    expect(withGaps(points, gapMs)).toEqual(expected);
  });
});

describe("trendOption", () => {
  const points = pts(0, 1000, 2000, 30_000, 31_000);
  const build = (m: MetricDefinition, rem = 16) => view(trendOption({ metric: m, points, endMs: T0 + 31_000, windowMs: 15 * 60_000, rem, gapMs: 5000 }));

  it("shows exactly the window ending at endMs on a time axis", () => {
    expect(build(CONGESTION).xAxis).toMatchObject({ type: "time", min: T0 + 31_000 - 15 * 60_000, max: T0 + 31_000 });
  });

  it("plots the points with a break over the hole", () => {
    const series = build(CONGESTION).series;
    expect(series.map((s) => s.name)).toEqual([CONGESTION.label.zh, "alerts", "levels"]);
    expect(series[0]?.data).toEqual(withGaps(points, 5000));
    expect(series[0]?.data).toContainEqual([T0 + 2001, null]);
  });

  it("shades where an alert is open in its severity's colour, and shades nothing without one", () => {
    const alerts = [{ from: T0 + 1000, to: T0 + 31_000, severity: "critical" as const }];
    const option = view(trendOption({ metric: CONGESTION, points, endMs: T0 + 31_000, windowMs: 15 * 60_000, rem: 16, alerts }));
    const marked = option.series.find((s) => s.name === "alerts") as { markArea?: { data: [{ xAxis: number; itemStyle: { color: string } }, { xAxis: number }][] } } | undefined;
    expect(marked?.markArea?.data).toEqual([[{ xAxis: T0 + 1000, itemStyle: { color: "rgba(248,113,113,0.2)" } }, { xAxis: T0 + 31_000 }]]);
    expect(build(CONGESTION).series.find((s) => s.name === "alerts")?.markArea).toEqual({ silent: true, data: [] });
  });

  it("breaks the line over a 5 s hole by default", () => {
    const option = view(trendOption({ metric: FLOW, points: pts(0, 6000), endMs: T0 + 6000, windowMs: 60_000, rem: 16 }));
    expect(option.series[0]?.data).toEqual([[T0, 0], [T0 + 1, null], [T0 + 6000, 1]]);
  });

  it.each([
    ["an 'above' metric", CONGESTION, 6, 8],
    ["a 'below' metric", SPEED, 25, 15],
  ])("marks the warning and critical thresholds of %s as lines in their colours", (_case, m, warning, critical) => {
    expect(build(m).series[0]?.markLine?.data).toEqual([
      { yAxis: warning, lineStyle: { color: palette.warn } },
      { yAxis: critical, lineStyle: { color: palette.crit } },
    ]);
  });

  it("draws no threshold line for a metric without thresholds", () => {
    expect(build(FLOW).series[0]?.markLine).toBeUndefined();
  });

  it("shades and labels a missing stretch when given a no-data label, and labels only a gap wide enough to hold it", () => {
    const option = view(trendOption({ metric: FLOW, points: pts(0, 1000, 200_000, 201_000, 212_000), endMs: T0 + 212_000, windowMs: 15 * 60_000, rem: 16, gapMs: 5000, noDataLabel: "无数据" }));
    const area = option.series[0]?.markArea as { label: { formatter: string }; data: [{ xAxis: number; label: { show: boolean } }, { xAxis: number }][] };
    expect(area.label.formatter).toBe("无数据");
    expect(area.data.map(([from, to]) => [from.xAxis, to.xAxis])).toEqual([
      [T0 + 212_000 - 15 * 60_000, T0], // the window before the first point
      [T0 + 1000, T0 + 200_000],
      [T0 + 201_000, T0 + 212_000],
    ]);
    expect(area.data.map(([from]) => from.label.show)).toEqual([true, true, false]);
    expect(view(trendOption({ metric: FLOW, points, endMs: T0 + 31_000, windowMs: 60_000, rem: 16, gapMs: 5000 })).series[0]?.markArea).toBeUndefined();
  });

  it("an empty window is one labelled span over all of it, not a blank chart", () => {
    const option = view(trendOption({ metric: FLOW, points: [], endMs: T0, windowMs: 15 * 60_000, rem: 16, gapMs: 5000, noDataLabel: "尚无数据源上报" }));
    const area = option.series[0]?.markArea as { label: { formatter: string }; data: [{ xAxis: number; label: { show: boolean } }, { xAxis: number }][] };
    expect(area.label.formatter).toBe("尚无数据源上报");
    expect(area.data.map(([from, to]) => [from.xAxis, to.xAxis, from.label.show])).toEqual([[T0 - 15 * 60_000, T0, true]]);
  });

  it("draws bucket extremes as a band behind the average, so a peak averaged away stays visible", () => {
    const buckets = [
      [T0, 5, 4, 9.5, 60],
      [T0 + 60_000, 5, 5, 5, 60],
    ] as const;
    const option = view(trendOption({ metric: CONGESTION, points: buckets, endMs: T0 + 120_000, windowMs: 3_600_000, rem: 16, gapMs: 120_000, band: true }));
    expect(option.series.map((s) => s.data)).toEqual([
      [[T0, 5], [T0 + 60_000, 5]],
      [],
      // The averaged-away peak reached critical (8): marked at the peak.
      [{ value: [T0, 9.5], symbol: "diamond", itemStyle: { color: palette.crit } }],
      [[T0, 4], [T0 + 60_000, 5]],
      [[T0, 5.5], [T0 + 60_000, 0]],
    ]);
    expect(option.yAxis).toMatchObject({ max: expect.any(Number) });
    expect((option.yAxis as { max: number }).max).toBeGreaterThanOrEqual(9.5);
  });
});

describe("severityOf", () => {
  it.each<[string, number, MetricDefinition, Severity]>([
    ["well below warning", 2, CONGESTION, "ok"],
    ["just below warning", 5.9, CONGESTION, "ok"],
    ["at warning", 6, CONGESTION, "warning"],
    ["just above warning", 6.1, CONGESTION, "warning"],
    ["just below critical", 7.9, CONGESTION, "warning"],
    ["at critical", 8, CONGESTION, "critical"],
    ["just above critical", 8.1, CONGESTION, "critical"],
    ["just above warning (fast enough)", 25.1, SPEED, "ok"],
    ["at warning", 25, SPEED, "warning"],
    ["just below warning", 24.9, SPEED, "warning"],
    ["just above critical", 15.1, SPEED, "warning"],
    ["at critical", 15, SPEED, "critical"],
    ["just below critical", 14.9, SPEED, "critical"],
    ["standstill", 0, SPEED, "critical"],
    ["any value without thresholds", 499_999, FLOW, "ok"],
  ])("%s: %d on %s is %s", (_case, value, m, expected) => {
    expect(severityOf(value, m.thresholds)).toBe(expected);
  });
});

describe("districtBarsOption", () => {
  const build = (m: MetricDefinition, values: (number | null)[], rem = 16) =>
    view(districtBarsOption({ metric: m, rem, bars: values.map((value, i) => ({ name: `D${i}`, value })) }));
  const colours = (option: OptionView) => (option.series[0]?.data as ItemView[]).map((d) => d.itemStyle?.color);

  it.each<[string, MetricDefinition, (number | null)[], string[]]>([
    ["congestion (larger is worse)", CONGESTION, [3, 6.5, 9, null], [severityColor("ok"), severityColor("warning"), severityColor("critical"), palette.stale]],
    ["speed (smaller is worse)", SPEED, [40, 20, 10, null], [severityColor("ok"), severityColor("warning"), severityColor("critical"), palette.stale]],
    ["flow (no thresholds)", FLOW, [0, 400_000, null], [palette.ok, palette.ok, palette.stale]],
  ])("colours each bar of %s by its severity, and a missing value as stale", (_case, m, values, expected) => {
    expect(colours(build(m, values))).toEqual(expected);
  });

  it("uses three distinct severity colours, none of them the stale grey", () => {
    const all = [severityColor("ok"), severityColor("warning"), severityColor("critical"), palette.stale];
    expect(new Set(all).size).toBe(4);
  });

  it("lists the districts in the given order and labels values with the metric's decimals", () => {
    const option = build(CONGESTION, [3.14159, null]);
    expect((option.yAxis as { data?: string[] }).data).toEqual(["D0", "D1"]);
    const formatter = option.series[0]?.label?.formatter;
    expect(formatter?.({ value: 3.14159 })).toBe("3.1");
    expect(formatter?.({ value: null })).toBe("—");
  });
});

describe("investmentOption", () => {
  const build = (lang: "zh" | "en" = "zh", figures: readonly ReferenceFigure[] = REFERENCE_FIGURES, rem = 16) => view(investmentOption({ figures, lang, rem }));
  const option = build();
  const [globalBars, chinaBars] = option.series.map((s) => s.data as ItemView[]);
  const itemOf = (series: string, year: number): ItemView => {
    const item = (series === SERIES.globalInvestment ? globalBars : chinaBars)?.[INVESTMENT_YEARS.indexOf(year as (typeof INVESTMENT_YEARS)[number])];
    if (!item) throw new Error(`no bar for ${series} ${year}`);
    return item;
  };
  const figuresOf = (series: string) => REFERENCE_FIGURES.filter((f) => f.series === series);
  const isTransparent = (c: string | undefined) => c === "transparent" || /^rgba\((\s*\d+\s*,){3}\s*0(\.0*)?\s*\)$/.test(c ?? "");

  it("has the years 2019–2024 on the x axis and two bar series", () => {
    expect(option.xAxis.data).toEqual(["2019", "2020", "2021", "2022", "2023", "2024"]);
    expect(option.series.map((s) => s.type)).toEqual(["bar", "bar"]);
    expect(globalBars).toHaveLength(6);
    expect(chinaBars).toHaveLength(6);
  });

  it("leaves China 2020 empty, because the article gives no figure", () => {
    expect(itemOf(SERIES.chinaInvestment, 2020).value).toBeNull();
  });

  it("plots every global and China figure at its year", () => {
    for (const series of [SERIES.globalInvestment, SERIES.chinaInvestment])
      for (const f of figuresOf(series)) expect(itemOf(series, f.year ?? NaN).value).toBe(f.value);
  });

  it("draws reported bars solid, forecasts hatched and derived values hollow with a dashed edge", () => {
    const reported = itemOf(SERIES.globalInvestment, 2019).itemStyle;
    const forecast = itemOf(SERIES.globalInvestment, 2020).itemStyle;
    const derived = itemOf(SERIES.globalInvestment, 2022).itemStyle;
    expect(reported?.color).toBe(palette.accent);
    expect(reported?.decal).toBeUndefined();
    expect(reported?.borderType).not.toBe("dashed");
    expect(forecast?.decal).toBeDefined();
    expect(isTransparent(derived?.color)).toBe(true);
    expect(derived?.borderType).toBe("dashed");
    expect(derived?.borderWidth).toBeGreaterThan(0);
    expect(derived?.borderColor).toBe(palette.accent);
    for (const f of [...figuresOf(SERIES.globalInvestment), ...figuresOf(SERIES.chinaInvestment)]) {
      const style = itemOf(f.series, f.year ?? NaN).itemStyle;
      expect(style?.decal !== undefined, `${f.id} hatched`).toBe(f.kind === "forecast");
      expect(style?.borderType === "dashed", `${f.id} dashed`).toBe(f.kind === "derived");
    }
  });

  it.each([
    ["zh", "预测", "推算"],
    ["en", "Forecast", "Derived"],
  ] as const)("labels (%s) say which values are forecast or derived; derived start with ≈; China 2024 shows >25", (lang, forecastWord, derivedWord) => {
    const o = build(lang);
    const label = (s: number, i: number) => (o.series[s]?.data[i] as ItemView).label?.formatter;
    expect(label(0, 0)).toBe("1030");
    expect(label(0, 1)).toBe(`1144\n${forecastWord}`);
    for (const i of [2, 3, 4]) {
      expect(label(0, i)).toMatch(new RegExp(`^≈\\d+\\n${derivedWord}$`));
      expect(label(1, i)).toMatch(new RegExp(`^≈[\\d.]+\\n${derivedWord}$`));
    }
    expect(label(1, 5)).toBe(`>25\n${forecastWord}`);
  });

  it("shows each derived value's derivation in its tooltip", () => {
    const derived = REFERENCE_FIGURES.filter((f) => f.kind === "derived" && (f.series === SERIES.globalInvestment || f.series === SERIES.chinaInvestment));
    expect(derived.length).toBe(6);
    for (const f of derived) expect(itemOf(f.series, f.year ?? NaN).tooltip?.formatter).toContain(f.derivation ?? "no derivation");
  });

  it("escapes figure text in tooltips, so a note cannot inject markup", () => {
    const isGlobal2019 = (f: ReferenceFigure) => f.series === SERIES.globalInvestment && f.year === 2019;
    const evil = REFERENCE_FIGURES.map((f) => (isGlobal2019(f) ? { ...f, note: "<img src=x onerror=alert(1)>", source: "<script>x</script>" } : f));
    const tooltip = (build("zh", evil).series[0]?.data[0] as ItemView).tooltip?.formatter ?? "";
    expect(tooltip).not.toContain("<img");
    expect(tooltip).not.toContain("<script");
    expect(tooltip).toContain("&#60;img src=x onerror=alert(1)&#62;");
  });
});

describe("escapeHtml", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", "&#60;img src=x onerror=alert(1)&#62;"],
    [`a & "b" 'c'`, "a &#38; &#34;b&#34; &#39;c&#39;"],
    ["深圳 1973 亿美元", "深圳 1973 亿美元"],
  ])("%s → %s", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
    expect(escapeHtml(input)).not.toMatch(/[<>"']/);
  });
});

describe("fonts scale with rem (the wall is sized in rem)", () => {
  /** Every fontSize in an option, in traversal order. */
  function fontSizes(node: unknown): number[] {
    if (Array.isArray(node)) return node.flatMap(fontSizes);
    if (node === null || typeof node !== "object") return [];
    return Object.entries(node).flatMap(([key, value]) => (key === "fontSize" && typeof value === "number" ? [value] : fontSizes(value)));
  }

  it.each([
    ["trend", (rem: number) => trendOption({ metric: CONGESTION, points: pts(0, 1000), endMs: T0 + 1000, windowMs: 60_000, rem })],
    ["district bars", (rem: number) => districtBarsOption({ metric: CONGESTION, bars: [{ name: "福田区", value: 5 }], rem })],
    ["investment", (rem: number) => investmentOption({ figures: REFERENCE_FIGURES, lang: "zh", rem })],
  ])("the %s chart built at rem 32 has twice the font sizes of rem 16", (_chart, build) => {
    const small = fontSizes(build(16));
    expect(small.length).toBeGreaterThan(0);
    expect(fontSizes(build(32))).toEqual(small.map((s) => s * 2));
  });
});

describe("yBounds keeps a calm, readable, physical y axis", () => {
  const visits = metricById("health.visits");
  const occupancy = metricById("parking.occupancy");
  if (!visits || !occupancy) throw new Error("catalog changed");
  it.each([
    ["noise on a large figure spans at least 10 % of it", visits, { min: 964, max: 967 }, (b: { min: number; max: number }) => b.max - b.min >= 96],
    ["the data always fits", visits, { min: 100, max: 20_000 }, (b: { min: number; max: number }) => b.min <= 100 && b.max >= 20_000],
    ["never past the physical range", occupancy, { min: 90, max: 99.8 }, (b: { min: number; max: number }) => b.max <= 100 && b.min >= 0],
    ["bounds sit on the label interval", visits, { min: 964.3, max: 967.1 }, (b: { min: number; max: number; interval: number }) => Number.isInteger(b.min / b.interval) && Number.isInteger(b.max / b.interval)],
    ["about three labelled steps", visits, { min: 12_000, max: 19_000 }, (b: { min: number; max: number; interval: number }) => (b.max - b.min) / b.interval <= 5],
  ])("%s", (_rule, metric, extent, holds: (b: ReturnType<typeof yBounds>) => boolean) => {
    expect(holds(yBounds(metric, extent))).toBe(true);
  });
});

describe("trend time labels are Shenzhen time, whatever the browser's zone", () => {
  it.each([
    [Date.UTC(2026, 10, 25, 0, 30, 5), false, "08:30"],
    [Date.UTC(2026, 10, 24, 16, 0, 0), true, "00:00:00"],
    [Date.UTC(2026, 10, 25, 10, 15, 9), true, "18:15:09"],
  ])("%i → %s", (ts, withSeconds, expected) => {
    expect(shenzhenTime(ts, withSeconds)).toBe(expected);
  });

  it("the time axis formats its labels with it", () => {
    const metric = metricById("traffic.congestionIndex");
    if (!metric) throw new Error("catalog changed");
    const option = trendOption({ metric, points: [], endMs: 0, windowMs: 1, rem: 16 });
    const xAxis = option.xAxis as { axisLabel: { formatter: (v: number) => string } };
    expect(xAxis.axisLabel.formatter(Date.UTC(2026, 10, 25, 0, 30))).toBe("08:30");
  });
});

describe("state and count metrics", () => {
  const CONNECTED = metric("health.connected");
  interface StepView {
    step?: string | false;
  }
  const stepsOf = (m: MetricDefinition, band = false) =>
    (view(trendOption({ metric: m, points: pts(0, 1000, 2000), endMs: T0 + 2000, windowMs: 60_000, rem: 16, band })).series as (SeriesView & StepView)[])
      .filter((s) => s.type === "line" && s.name !== "alerts")
      .map((s) => s.step);

  it.each<[string, string, string | false]>([
    ["institutions online (on/off per institution)", "health.connected", "end"],
    ["networked lots online (a count)", "parking.lotsOnline", "end"],
    ["access nodes online (a count)", "broadband.nodesOnline", "end"],
    ["open incidents (a count)", "traffic.incidents", "end"],
    ["network outages (a count)", "broadband.outages", "end"],
    ["free spaces (a count)", "parking.freeSpaces", "end"],
    ["FTTH households (a count)", "broadband.ftthHouseholds", "end"],
    ["congestion index (a measure)", "traffic.congestionIndex", false],
    ["average speed (a measure)", "traffic.avgSpeed", false],
    ["occupancy (a share)", "parking.occupancy", false],
    ["outpatient visits (a rate)", "health.visits", false],
    ["average wait (a measure)", "health.waitMinutes", false],
  ])("%s: step %s, its band too", (_case, id, step) => {
    expect(stepsOf(metric(id))).toEqual([step]);
    expect(stepsOf(metric(id), true)).toEqual([step, step, step]);
  });

  it("declares every count and on/off state in the catalog, and nothing else", () => {
    const discrete = ["traffic.incidents", "parking.freeSpaces", "parking.lotsOnline", "health.connected", "broadband.ftthHouseholds", "broadband.nodesOnline", "broadband.outages"];
    expect((METRICS as readonly MetricDefinition[]).filter((m) => m.discrete).map((m) => m.id)).toEqual(discrete);
  });

  it("labels an on/off state 0 and 1, not 0.5", () => {
    expect(yBounds(CONNECTED, { min: 0, max: 1 })).toEqual({ min: 0, max: 1, interval: 1 });
  });
});

describe("levels", () => {
  // The default rule: a hospital at 0 connections is critical.
  const offline: SeverityLevel = { severity: "critical", direction: "below", value: 0 };
  const congestion = levelsOf(CONGESTION.thresholds);

  it.each<[string, number, readonly SeverityLevel[], Severity]>([
    ["a hospital online", 1, [offline], "ok"],
    ["a hospital offline", 0, [offline], "critical"],
    ["no levels", 0, [], "ok"],
    ["between warning and critical", 7, congestion, "warning"],
    ["past both: the worse", 9, congestion, "critical"],
    ["a rule's warning below the catalog's", 5, [...congestion, { severity: "warning", direction: "above", value: 4 }], "warning"],
  ])("%s: %d is %s", (_case, value, levels, expected) => {
    expect(severityAt(value, levels)).toBe(expected);
  });

  type Mark = { value: [number, number]; symbol: string; itemStyle: { color: string } };
  const marksOf = (points: readonly TrendPoint[], levels: readonly SeverityLevel[], gapMs = 15_000) => levelMarks(points, levels, gapMs, 16).data as Mark[];
  const onOff = (...values: number[]): Point[] => values.map((v, i) => [T0 + i * 10_000, v]);
  const diamond = (i: number, value: number): Mark => ({ value: [T0 + i * 10_000, value], symbol: "diamond", itemStyle: { color: palette.crit } });
  const triangle = (ts: number, value: number): Mark => ({ value: [ts, value], symbol: "triangle", itemStyle: { color: palette.warn } });

  it.each<[string, readonly TrendPoint[], readonly SeverityLevel[], Mark[]]>([
    ["always online: nothing", onOff(1, 1, 1), [offline], []],
    ["goes offline and stays: where it went, and now", onOff(1, 1, 0, 0, 0), [offline], [diamond(2, 0), diamond(4, 0)]],
    ["offline for one report: once", onOff(1, 0, 1), [offline], [diamond(1, 0)]],
    ["offline twice: each time", onOff(0, 1, 0, 1), [offline], [diamond(0, 0), diamond(2, 0)]],
    ["no levels: nothing", onOff(0, 0), [], []],
    ["warning then critical then warning", pts(0, 1000, 2000).map(([ts], i): Point => [ts, [7, 9, 7][i]!]), levelsOf(CONGESTION.thresholds), [triangle(T0, 7), { value: [T0 + 1000, 9], symbol: "diamond", itemStyle: { color: palette.crit } }, triangle(T0 + 2000, 7)]],
    ["offline again after a gap: marked again", [[T0, 0], [T0 + 10_000, 0], [T0 + 600_000, 0]], [offline], [diamond(0, 0), diamond(60, 0)]],
    ["a bucket offline part of the time: at its minimum", [[T0, 0.5, 0, 1, 6]], [offline], [diamond(0, 0)]],
  ])("%s", (_case, points, levels, expected) => {
    expect(marksOf(points, levels)).toEqual(expected);
  });

  it("draws a level given (a rule's) as a line in its colour, with the catalog's", () => {
    const option = view(trendOption({ metric: metric("health.connected"), points: onOff(1, 0), endMs: T0 + 10_000, windowMs: 60_000, rem: 16, levels: [offline] }));
    expect(option.series[0]?.markLine?.data).toEqual([{ yAxis: 0, lineStyle: { color: palette.crit } }]);
    expect((option.series[2]?.data as Mark[]).map((m) => m.symbol)).toEqual(["diamond"]);
  });
});
