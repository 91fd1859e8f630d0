/**
 * What an ECharts chart (SVG renderer) shows, read from its drawn SVG: the stretches a
 * line is drawn over and their segments, the grey "no data" shading, the symbols drawn in
 * a colour. Screen pixels, as the operator sees them, not the option the code built.
 */
import type { Locator } from "@playwright/test";

export interface DrawnChart {
  /** Each drawn run of the line (a path's subpath of two or more points), as [x, y] points. */
  runs: [number, number][][];
  /** Width of the plot area covered by the line's runs, as a share of the chart's width. */
  lineShare: number;
  /** Width covered by grey "no data" shading, as a share of the chart's width. */
  greyShare: number;
}

/** The chart's line (stroked in `stroke`, unfilled) and its "no data" shading. */
export async function drawnChart(chart: Locator, stroke: string): Promise<DrawnChart> {
  return chart.evaluate((root, strokeColour) => {
    const svg = root.querySelector("svg");
    const width = svg?.getBoundingClientRect().width ?? 1;
    const runs: [number, number][][] = [];
    for (const path of root.querySelectorAll("path")) {
      if (path.getAttribute("stroke") !== strokeColour || (path.getAttribute("fill") ?? "none") !== "none") continue;
      const tokens = (path.getAttribute("d") ?? "").match(/[ML]|-?\d*\.?\d+(?:e-?\d+)?/gi) ?? [];
      let run: [number, number][] = [];
      for (let i = 0; i < tokens.length; i++) {
        const command = tokens[i]!.toUpperCase();
        if (command !== "M" && command !== "L") continue;
        const point: [number, number] = [Number(tokens[i + 1]), Number(tokens[i + 2])];
        if (command === "M") {
          if (run.length > 1) runs.push(run);
          run = [];
        }
        run.push(point);
      }
      if (run.length > 1) runs.push(run);
    }
    const lineWidth = runs.reduce((sum, run) => sum + Math.max(...run.map((p) => p[0])) - Math.min(...run.map((p) => p[0])), 0);
    // The shading ECharts draws for markArea: rgba(100,116,139,0.22) becomes this fill.
    let greyWidth = 0;
    for (const shape of root.querySelectorAll("path, rect")) {
      if (shape.getAttribute("fill") !== "rgb(100,116,139)") continue;
      greyWidth += shape.getBoundingClientRect().width;
    }
    return { runs, lineShare: lineWidth / width, greyShare: greyWidth / width };
  }, stroke);
}

/** Symbols filled in `fill` (the ◆/▲ marks of a level reached): their size and centre in the chart's pixels. */
export async function filledSymbols(chart: Locator, fill: string): Promise<{ width: number; height: number; x: number; y: number }[]> {
  return chart.evaluate((root, colour) => {
    const origin = root.querySelector("svg")?.getBoundingClientRect() ?? { left: 0, top: 0 };
    return [...root.querySelectorAll("path")]
      .filter((p) => p.getAttribute("fill") === colour)
      .map((p) => {
        const box = p.getBoundingClientRect();
        return { width: box.width, height: box.height, x: box.left - origin.left + box.width / 2, y: box.top - origin.top + box.height / 2 };
      });
  }, fill);
}
