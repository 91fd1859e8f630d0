"use client";

/**
 * The one chart component: owns init, resize, setOption and dispose through
 * echarts-for-react. Options are merged in place (never a new chart per update);
 * `opts` is a constant so the instance is never re-created by a prop change.
 */
import ReactEChartsCore from "echarts-for-react/lib/core";
import type { EChartsType } from "echarts/core";
import type { WallChartOption } from "@/lib/charts/types";
import { echarts } from "./echarts";

const OPTS = { renderer: "svg" } as const;
const STYLE = { width: "100%", height: "100%" } as const;

export type EChartInstance = EChartsType;
/** ECharts events by name; pass a stable object (useMemo), or handlers are rebound every render. */
export type EChartEvents = Record<string, (params: unknown, chart: EChartInstance) => void>;

export function EChart({ option, testId, label, onEvents }: { option: WallChartOption; testId: string; label: string; onEvents?: EChartEvents }) {
  return (
    <div data-testid={testId} role="img" aria-label={label} className="h-full w-full min-h-0 min-w-0">
      {/* Not lazyUpdate: that defers the render one more animation frame. Callers keep `option` identical
          (memoised on their own data) when nothing changed, so a wall re-render does not redraw the chart. */}
      <ReactEChartsCore echarts={echarts} option={option} opts={OPTS} style={STYLE} onEvents={onEvents} />
    </div>
  );
}
