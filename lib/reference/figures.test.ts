import { describe, expect, it } from "vitest";
import { FIGURE_KINDS, REFERENCE_FIGURES, SEED_SOURCE, SERIES, type FigureKind } from "./figures";

const seriesByYear = (series: string) => new Map(REFERENCE_FIGURES.filter((f) => f.series === series).map((f) => [f.year, f]));
const globalByYear = seriesByYear(SERIES.globalInvestment);
const chinaByYear = seriesByYear(SERIES.chinaInvestment);

describe("reference figures", () => {
  it("have unique ids", () => {
    const ids = REFERENCE_FIGURES.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("every figure names the seed article as its source and has a known kind and a finite value", () => {
    for (const f of REFERENCE_FIGURES) {
      expect(f.source, f.id).toBe(SEED_SOURCE);
      expect(FIGURE_KINDS, f.id).toContain(f.kind);
      expect(Number.isFinite(f.value), f.id).toBe(true);
      expect(f.unit.trim(), f.id).not.toBe("");
    }
  });

  it("only derived figures carry a derivation, and every derived figure says how", () => {
    for (const f of REFERENCE_FIGURES) {
      if (f.kind === "derived") expect(f.derivation?.trim(), f.id).toBeTruthy();
      else expect(f.derivation, f.id).toBeNull();
    }
  });

  it("one series has at most one figure per year and kind, so the charts cannot show two bars for one year", () => {
    const investment = REFERENCE_FIGURES.filter((f) => f.series === SERIES.globalInvestment || f.series === SERIES.chinaInvestment);
    const keys = investment.map((f) => `${f.series}|${f.year}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("global smart-city investment (100M USD)", () => {
  it.each<[number, FigureKind, number | null]>([
    [2019, "reported", 1030],
    [2020, "forecast", 1144],
    [2021, "derived", null],
    [2022, "derived", null],
    [2023, "derived", null],
    [2024, "forecast", 1973],
  ])("%i is %s", (year, kind, value) => {
    const f = globalByYear.get(year);
    expect(f?.kind).toBe(kind);
    if (value !== null) expect(f?.value).toBe(value);
  });

  it("covers exactly 2019–2024", () => {
    expect([...globalByYear.keys()].sort()).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
  });

  it.each([2021, 2022, 2023])("%i is 1144 grown at the article's 14.6%% CAGR, rounded", (year) => {
    expect(globalByYear.get(year)?.value).toBe(Math.round(1144 * 1.146 ** (year - 2020)));
  });

  it("the derived curve reproduces the 2024 forecast of 1973 within 1%", () => {
    const from2023 = (globalByYear.get(2023)?.value ?? NaN) * 1.146;
    expect(Math.abs(from2023 - 1973) / 1973).toBeLessThan(0.01);
    expect(Math.abs(1144 * 1.146 ** 4 - 1973) / 1973).toBeLessThan(0.01);
  });

  it("grows every year", () => {
    const values = [2019, 2020, 2021, 2022, 2023, 2024].map((y) => globalByYear.get(y)?.value ?? NaN);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] ?? Infinity);
  });
});

describe("China smart-city investment (trillion CNY)", () => {
  it("has 2019 reported at 10.5 and 2024 forecast at 25", () => {
    expect(chinaByYear.get(2019)).toMatchObject({ kind: "reported", value: 10.5 });
    expect(chinaByYear.get(2024)).toMatchObject({ kind: "forecast", value: 25 });
  });

  it("has no 2020 figure, because the article gives none", () => {
    expect(chinaByYear.has(2020)).toBe(false);
  });

  it.each([2021, 2022, 2023])("%i is derived from the 2024 forecast at 11.9%% CAGR", (year) => {
    const f = chinaByYear.get(year);
    expect(f?.kind).toBe("derived");
    expect(f?.value).toBeCloseTo(25 / 1.119 ** (2024 - year), 1);
  });
});
