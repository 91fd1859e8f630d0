/** One metric across the districts, each bar coloured by its severity. */
import type { MetricDefinition } from "../catalog/metrics";
import { severityOf } from "./severity";
import { palette, severityColor } from "./theme";
import type { WallChartOption } from "./types";

export interface DistrictBar {
  name: string;
  value: number | null;
}

export function districtBarsOption(input: { metric: MetricDefinition; bars: readonly DistrictBar[]; rem: number }): WallChartOption {
  const { metric, rem } = input;
  return {
    animation: false,
    grid: { left: rem * 4.6, right: rem * 2.8, top: rem * 0.3, bottom: rem * 0.3 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: rem * 0.9 } },
    xAxis: { type: "value", show: false, max: metric.range.max <= 100 ? metric.range.max : undefined },
    yAxis: {
      type: "category",
      inverse: true,
      data: input.bars.map((b) => b.name),
      axisLabel: { color: palette.ink, fontSize: rem * 0.8 },
      axisLine: { show: false },
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        barWidth: "62%",
        data: input.bars.map((b) => ({
          value: b.value,
          itemStyle: { color: b.value === null ? palette.stale : severityColor(severityOf(b.value, metric.thresholds)) },
        })),
        label: {
          show: true,
          position: "right",
          color: palette.ink,
          fontSize: rem * 0.8,
          formatter: ({ value }) => (typeof value === "number" ? value.toFixed(metric.decimals) : "—"),
        },
      },
    ],
  };
}
