import { describe, expect, it } from "vitest";
import { metricById } from "../catalog";
import { DISTRICT_MAP } from "../geo/districts";
import { FOCUS_ZOOM, cityMapOption, type MapAlert, type MapPlace } from "./city-map";
import { palette } from "./theme";

const occupancy = metricById("parking.occupancy")!;
const REM = 10;

/** The parts of the option the tests read, without ECharts' union types. */
interface Styled {
  name: string;
  value?: [number, number];
  symbolSize?: number;
  itemStyle: { areaColor?: string; color?: string; borderColor: string; borderWidth: number };
  label: { formatter: string; show?: boolean };
}
interface Shape {
  geo: { map: string; regions: Styled[] };
  series: { type: string; coordinateSystem: string; data: Styled[] }[];
}

function build(regions: MapPlace[], opts: { dots?: MapPlace[]; highlight?: string[]; values?: boolean } = {}): Shape {
  const option = cityMapOption({ metric: occupancy, regions, dots: opts.dots ?? [], highlight: opts.highlight ?? [], values: opts.values ?? true, rem: REM });
  return option as unknown as Shape;
}

/** "rgba(r,g,b," of a palette hex colour, the start of every alpha of it. */
const family = (hex: string) => `rgba(${parseInt(hex.slice(1, 3), 16)},${parseInt(hex.slice(3, 5), 16)},${parseInt(hex.slice(5, 7), 16)},`;

const REGIONS: MapPlace[] = [
  { id: "futian", label: "福田", value: 97.25 },
  { id: "luohu", label: "罗湖", value: 88 },
  { id: "nanshan", label: "南山", value: 40 },
  { id: "baoan", label: "宝安", value: null },
];

describe("cityMapOption regions", () => {
  it("draws one region per district on the district map, named by id", () => {
    const { geo } = build(REGIONS);
    expect(geo.map).toBe(DISTRICT_MAP);
    expect(geo.regions.map((r) => r.name)).toEqual(["futian", "luohu", "nanshan", "baoan"]);
  });

  it("colours and marks each region by severity, so it reads without colour", () => {
    const [crit, warn, ok, none] = build(REGIONS).geo.regions;
    expect(crit!.itemStyle.areaColor).toContain(family(palette.crit));
    expect(crit!.label.formatter).toBe("福田\n◆ 97.3");
    expect(warn!.itemStyle.areaColor).toContain(family(palette.warn));
    expect(warn!.label.formatter).toBe("罗湖\n▲ 88.0");
    expect(ok!.itemStyle.areaColor).toContain(family(palette.ok));
    expect(ok!.label.formatter).toBe("南山\n40.0");
    expect(none!.itemStyle.areaColor).toContain(family(palette.stale));
    expect(none!.label.formatter).toBe("宝安\n—");
  });

  it("marks the thresholds themselves as reached", () => {
    const [a, b, c] = build([
      { id: "a", label: "A", value: 95 },
      { id: "b", label: "B", value: 85 },
      { id: "c", label: "C", value: 84.9 },
    ]).geo.regions;
    expect(a!.label.formatter).toContain("◆");
    expect(b!.label.formatter).toContain("▲");
    expect(c!.label.formatter).not.toMatch(/[◆▲]/);
  });

  it("shows names only, in one neutral fill, when values are off", () => {
    const regions = build(REGIONS, { values: false }).geo.regions;
    expect(regions.map((r) => r.label.formatter)).toEqual(["福田", "罗湖", "南山", "宝安"]);
    expect(new Set(regions.map((r) => r.itemStyle.areaColor)).size).toBe(1);
    expect(regions[0]!.itemStyle.areaColor).toContain(family(palette.stale));
  });

  it("zooms in on a focus and otherwise fits the whole city", () => {
    const focused = cityMapOption({ metric: occupancy, regions: REGIONS, dots: [], highlight: ["futian"], values: true, rem: REM, focus: { lon: 114.05, lat: 22.54 } });
    expect(focused.geo).toMatchObject({ center: [114.05, 22.54], zoom: FOCUS_ZOOM });
    const whole = build(REGIONS).geo as unknown as Record<string, unknown>;
    expect(["center" in whole, "zoom" in whole]).toEqual([false, false]);
  });

  it("outlines highlighted regions in the accent colour, thicker than the rest", () => {
    const [futian, luohu] = build(REGIONS, { highlight: ["futian"] }).geo.regions;
    expect(futian!.itemStyle.borderColor).toBe(palette.accent);
    expect(luohu!.itemStyle.borderColor).not.toBe(palette.accent);
    expect(futian!.itemStyle.borderWidth).toBeGreaterThan(luohu!.itemStyle.borderWidth);
  });

  it("passes a label through as plain text, unchanged", () => {
    const label = "<img src=x onerror=alert(1)>";
    const [region] = build([{ id: "futian", label, value: 50 }]).geo.regions;
    expect(region!.label.formatter).toBe(`${label}\n50.0`);
    expect(build([{ id: "futian", label, value: 50 }], { values: false }).geo.regions[0]!.label.formatter).toBe(label);
  });
});

describe("cityMapOption dots", () => {
  const DOTS: MapPlace[] = [
    { id: "guangming", label: "光明", value: 96, lon: 113.936, lat: 22.748 },
    { id: "lot-futian-001", label: "福田公共停车场 001", value: 30, lon: 114.05, lat: 22.54 },
  ];

  it("puts dots in a scatter series on the map at [lon, lat]", () => {
    const { series } = build([], { dots: DOTS });
    expect(series).toHaveLength(1);
    expect(series[0]!.type).toBe("scatter");
    expect(series[0]!.coordinateSystem).toBe("geo");
    expect(series[0]!.data.map((d) => [d.name, d.value])).toEqual([
      ["guangming", [113.936, 22.748]],
      ["lot-futian-001", [114.05, 22.54]],
    ]);
  });

  it("labels dots with their value and severity mark, or by name only when values are off", () => {
    const [crit, ok] = build([], { dots: DOTS }).series[0]!.data;
    expect(crit!.label.formatter).toBe("光明 ◆ 96.0");
    expect(crit!.itemStyle.color).toBe(`${family(palette.crit)}1)`);
    expect(ok!.label.formatter).toBe("福田公共停车场 001 30.0");
    expect(build([], { dots: DOTS, values: false }).series[0]!.data.map((d) => d.label.formatter)).toEqual(["光明", "福田公共停车场 001"]);
    // A caption (a rank) replaces name and value where dots crowd together.
    expect(build([], { dots: [{ ...DOTS[0]!, caption: "1" }] }).series[0]!.data[0]!.label.formatter).toBe("1");
  });

  it("draws highlighted dots larger, with a thicker outline", () => {
    const [marked, plain] = build([], { dots: DOTS, highlight: ["guangming"], values: false }).series[0]!.data;
    expect(marked!.itemStyle.color).toBe(palette.accent);
    expect(marked!.symbolSize).toBeGreaterThan(plain!.symbolSize!);
    expect(marked!.itemStyle.borderWidth).toBeGreaterThan(plain!.itemStyle.borderWidth);
    // With figures shown the fill is the severity's, so the outline carries the highlight.
    const [withValues] = build([], { dots: DOTS, highlight: ["guangming"] }).series[0]!.data;
    expect(withValues!.itemStyle.borderColor).toBe(palette.accent);
    expect(plain!.itemStyle.borderColor).not.toBe(palette.accent);
  });
});

describe("cityMapOption with an alert", () => {
  const shennan = [[113.918, 22.535], [114.02, 22.538], [114.118, 22.545]] as const;
  const congestion = metricById("traffic.congestionIndex")!;
  const calm: MapPlace[] = [
    { id: "futian", label: "福田", value: 4.1, lon: 114.05, lat: 22.54 },
    { id: "nanshan", label: "南山", value: 3, lon: 113.93, lat: 22.53 },
    { id: "longgang", label: "龙岗", value: 2, lon: 114.25, lat: 22.72 },
  ];
  const alerted = (place: MapAlert["place"]) =>
    cityMapOption({ metric: congestion, regions: calm, dots: [], highlight: [], values: true, rem: REM, alert: { severity: "critical", districtId: "futian", place, label: "深南大道 9.4", districtAt: [114.05, 22.54] } }) as unknown as Shape & { geo: { boundingCoords?: number[][] } };

  it("draws the road in the critical colour, end to end, with its name and value, and marks its green district", () => {
    const option = alerted({ kind: "road", course: shennan });
    const drawn = option.series[1]!.data;
    const line = drawn.filter((d) => d.itemStyle.color === palette.crit && !d.label.show);
    expect(line.length).toBeGreaterThan(100);
    expect(line[0]!.value).toEqual([113.918, 22.535]);
    expect(line.at(-1)!.value).toEqual([114.118, 22.545]);
    const named = drawn.find((d) => d.label.show)!;
    expect(named.label.formatter).toBe("◆ 深南大道 9.4");
    // Away from the district's own label (114.05), within the road's middle three fifths.
    expect(Math.abs(named.value![0] - 114.05)).toBeGreaterThan(0.05);
    expect(named.value![0]).toBeGreaterThan(113.918 + 0.2 * 0.2 - 0.005);
    const futian = option.geo.regions.find((r) => r.name === "futian")!;
    expect(futian.itemStyle).toMatchObject({ borderColor: palette.crit, borderWidth: REM * 0.4 });
    expect(futian.itemStyle.areaColor?.startsWith(family(palette.ok))).toBe(true);
    expect(futian.label.formatter).toBe("◆ 福田\n4.1");
  });

  it("frames the road and its district, and hides the labels the view would cut", () => {
    const option = alerted({ kind: "road", course: shennan });
    const [[west, north], [east, south]] = option.geo.boundingCoords as [[number, number], [number, number]];
    expect(west).toBeLessThan(113.918);
    expect(east).toBeGreaterThan(114.118);
    expect(south).toBeLessThan(22.535);
    expect(north).toBeGreaterThan(22.545);
    expect(option.geo.regions.find((r) => r.name === "longgang")!.label.show).toBe(false);
    expect(option.geo.regions.find((r) => r.name === "futian")!.label.show).toBe(true);
  });

  it("puts a marker with the value on a car park", () => {
    const drawn = alerted({ kind: "point", at: [114.06, 22.53] }).series[1]!.data;
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toMatchObject({ value: [114.06, 22.53], label: { show: true, formatter: "◆ 深南大道 9.4" } });
  });
});
