/**
 * Smart-city investment 2019–2024, global (left axis, 100M USD) and China
 * (right axis, trillion CNY). Reported bars are solid, forecasts hatched, derived
 * values hollow with a dashed edge — the difference is in the shape, not only the
 * colour — and every label says which it is.
 */
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { SERIES, type FigureKind, type ReferenceFigure } from "../reference/figures";
import { escapeHtml, palette } from "./theme";
import type { WallChartOption } from "./types";

export const INVESTMENT_YEARS = [2019, 2020, 2021, 2022, 2023, 2024] as const;

const kindLabel: Record<FigureKind, "investment.reported" | "investment.forecast" | "investment.derived"> = {
  reported: "investment.reported",
  forecast: "investment.forecast",
  derived: "investment.derived",
};

function itemStyle(kind: FigureKind, color: string, rem: number) {
  switch (kind) {
    case "reported":
      return { color, borderColor: color, borderWidth: 0 };
    case "forecast":
      return {
        color,
        opacity: 0.85,
        decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [rem * 0.25, rem * 0.25], rotation: Math.PI / 4, color: "rgba(5,11,24,0.55)" },
      };
    case "derived":
      return { color: "rgba(0,0,0,0)", borderColor: color, borderWidth: Math.max(1, rem * 0.12), borderType: "dashed" as const };
  }
}

function valueLabel(lang: Lang, f: ReferenceFigure): string {
  const value = f.series === SERIES.chinaInvestment && f.kind === "forecast" ? `>${f.value}` : f.kind === "derived" ? `≈${f.value}` : `${f.value}`;
  return f.kind === "reported" ? value : `${value}\n${t(lang, kindLabel[f.kind])}`;
}

function tooltipHtml(lang: Lang, f: ReferenceFigure): string {
  const lines = [
    `<b>${f.year} · ${escapeHtml(f.region === "global" ? t(lang, "investment.global") : t(lang, "investment.china"))}</b>`,
    `${escapeHtml(valueLabel(lang, f).replace("\n", " "))} ${escapeHtml(f.unit)}`,
    `${escapeHtml(t(lang, "investment.source"))}: ${escapeHtml(f.source)}`,
  ];
  if (f.note) lines.push(escapeHtml(f.note));
  if (f.derivation) lines.push(escapeHtml(f.derivation));
  return lines.join("<br/>");
}

export function investmentOption(input: { figures: readonly ReferenceFigure[]; lang: Lang; rem: number }): WallChartOption {
  const { lang, rem } = input;
  const seriesData = (series: string, color: string) =>
    INVESTMENT_YEARS.map((year) => {
      const f = input.figures.find((x) => x.series === series && x.year === year);
      if (!f) return { value: null };
      return {
        value: f.value,
        itemStyle: itemStyle(f.kind, color, rem),
        label: { formatter: valueLabel(lang, f) },
        tooltip: { formatter: tooltipHtml(lang, f) },
      };
    });
  const axisLabel = { color: palette.inkDim, fontSize: rem * 0.8 };
  const barLabel = { show: true, position: "top" as const, color: palette.ink, fontSize: rem * 0.8, lineHeight: rem * 1 };
  return {
    animation: false,
    grid: { left: rem * 3.4, right: rem * 3, top: rem * 4.4, bottom: rem * 1.8 },
    legend: { top: 0, textStyle: { color: palette.ink, fontSize: rem * 0.85 }, itemWidth: rem, itemHeight: rem * 0.7 },
    tooltip: { trigger: "item", confine: true, textStyle: { fontSize: rem * 0.85 } },
    xAxis: {
      type: "category",
      data: INVESTMENT_YEARS.map(String),
      axisLabel: { color: palette.ink, fontSize: rem * 0.85 },
      axisLine: { lineStyle: { color: palette.grid } },
    },
    yAxis: [
      { type: "value", name: lang === "zh" ? "亿美元" : "100M USD", nameTextStyle: { ...axisLabel, align: "right" as const }, axisLabel, splitLine: { lineStyle: { color: palette.grid } } },
      { type: "value", name: lang === "zh" ? "万亿元" : "tn CNY", nameTextStyle: { ...axisLabel, align: "left" as const }, axisLabel, splitLine: { show: false } },
    ],
    series: [
      { type: "bar", name: t(lang, "investment.global"), yAxisIndex: 0, barGap: "15%", itemStyle: { color: palette.accent }, label: barLabel, data: seriesData(SERIES.globalInvestment, palette.accent) },
      { type: "bar", name: t(lang, "investment.china"), yAxisIndex: 1, itemStyle: { color: palette.china }, label: barLabel, data: seriesData(SERIES.chinaInvestment, palette.china) },
    ],
  };
}
