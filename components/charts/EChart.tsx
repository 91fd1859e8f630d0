"use client";

/**
 * The one chart component. ECharts is two thirds of the wall's JavaScript, so it
 * arrives in a chunk of its own, fetched alongside the page: the numbers (plain
 * text) show at first paint and the charts draw when the chunk has loaded.
 */
import dynamic from "next/dynamic";
import type { EChartsType } from "echarts/core";
import type { WallChartOption } from "@/lib/charts/types";

const EChartRenderer = dynamic(() => import("./EChartRenderer"), { ssr: false });

export type EChartInstance = EChartsType;
/** ECharts events by name; pass a stable object (useMemo), or handlers are rebound every render. */
export type EChartEvents = Record<string, (params: unknown, chart: EChartInstance) => void>;

/** A GeoJSON map a geo option names, registered with ECharts before it renders. */
export interface ChartMap {
  name: string;
  geoJson: object;
}

export function EChart({ option, testId, label, onEvents, map }: { option: WallChartOption; testId: string; label: string; onEvents?: EChartEvents; map?: ChartMap }) {
  return (
    <div data-testid={testId} role="img" aria-label={label} className="h-full w-full min-h-0 min-w-0">
      <EChartRenderer option={option} onEvents={onEvents} map={map} />
    </div>
  );
}
