/**
 * The one place ECharts is registered: only the charts and components the builders
 * in lib/charts use (see WallChartOption), rendered as SVG so text stays sharp at
 * any wall size and device pixel ratio.
 */
import * as echarts from "echarts/core";
import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  DataZoomInsideComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkAreaComponent,
  DataZoomInsideComponent,
  TooltipComponent,
  AriaComponent,
  SVGRenderer,
]);

export { echarts };
