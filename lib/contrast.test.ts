/**
 * Text on the dark wall is legible: every colour used for text has at least WCAG's 4.5:1
 * contrast (AA, normal text) against the panel and the page background. The chart
 * palette and the CSS theme name the same colours; this also keeps them in step.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { palette } from "./charts/theme";

const css = readFileSync(join(process.cwd(), "app", "globals.css"), "utf8");
const themeColour = (name: string): string => {
  const match = new RegExp(`--color-${name}:\\s*(#[0-9a-f]{6})`, "i").exec(css);
  if (!match?.[1]) throw new Error(`--color-${name} is not in app/globals.css`);
  return match[1].toLowerCase();
};

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const TEXT = { ink: "ink", inkDim: "ink-dim", accent: "accent", ok: "ok", warn: "warn", crit: "crit" } as const;

describe("wall colours", () => {
  it("the chart palette and the CSS theme agree", () => {
    for (const [key, name] of Object.entries({ ...TEXT, stale: "stale" })) expect(palette[key as keyof typeof palette], name).toBe(themeColour(name));
  });

  it.each(Object.entries({ ...TEXT, replay: "replay" }))("%s text reads at 4.5:1 or better on panels and on the page", (_key, name) => {
    for (const background of ["panel", "wall-bg"]) expect(contrast(themeColour(name), themeColour(background)), `${name} on ${background}`).toBeGreaterThanOrEqual(4.5);
  });

  it("the contrast formula gives WCAG's reference values", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});
