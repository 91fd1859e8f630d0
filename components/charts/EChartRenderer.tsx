"use client";

/**
 * ECharts itself, through echarts-for-react: init, resize, setOption and dispose.
 * Options are merged in place (never a new chart per update); `opts` is a constant
 * so the instance is never re-created by a prop change. Loaded on its own by EChart.
 */
import ReactEChartsCore from "echarts-for-react/lib/core";
import type { WallChartOption } from "@/lib/charts/types";
import type { ChartMap, EChartEvents } from "./EChart";
import { echarts } from "./echarts";

const OPTS = { renderer: "svg" } as const;
const STYLE = { width: "100%", height: "100%" } as const;

export default function EChartRenderer({ option, onEvents, map }: { option: WallChartOption; onEvents?: EChartEvents; map?: ChartMap }) {
  // Registered before the first option that names it; the outlines never change, so once is enough.
  if (map && !echarts.getMap(map.name)) echarts.registerMap(map.name, map.geoJson as Parameters<typeof echarts.registerMap>[1]);
  // Not lazyUpdate: that defers the render one more animation frame. Callers keep `option` identical
  // (memoised on their own data) when nothing changed, so a wall re-render does not redraw the chart.
  return <ReactEChartsCore echarts={echarts} option={option} opts={OPTS} style={STYLE} onEvents={onEvents} />;
}
