"use client";

import type { ReactNode } from "react";
import { DOMAINS, type Domain } from "@/lib/catalog";
import { t, type Lang } from "@/lib/i18n";
import { WALL_GRIDS, type WallLayout } from "@/lib/wall/layout";
import { fittedRem, tiledWall, type ParsedGeometry, type TiledWall, type WallPanel } from "@/lib/wall/geometry";
import { WALL_SUBSCRIPTION, type TSnapshot } from "@/lib/realtime/protocol";
import { LiveProvider } from "../realtime/LiveProvider";
import { ReportReplayAttention } from "../kiosk/replay-attention";
import { AlertFeed } from "./AlertFeed";
import { AttentionChime } from "./AttentionChime";
import { DistrictTable } from "./DistrictTable";
import { DomainMetricsPanel } from "./DomainMetricsPanel";
import { DomainPanel } from "./DomainPanel";
import { Header } from "./Header";
import { WallFrame } from "./WallFrame";
import { MapPanel } from "./MapPanel";
import { useDistanceRem, useRem, useWallLayout, useWindowSize } from "./hooks";

export interface WallProps {
  lang: Lang;
  snapshot: TSnapshot | null;
  realtime: { configuredUrl: string | null; port: number };
  /** The wall's screens, bezels and viewing distance from the URL (lib/wall/geometry.ts). */
  geometry: ParsedGeometry;
}

/** One grid cell, named as in WALL_GRIDS: the panel inside fills it. */
function Cell({ area, children }: { area: string; children: ReactNode }) {
  return (
    <div style={{ gridArea: area }} className="flex min-h-0 min-w-0 *:flex-1">
      {children}
    </div>
  );
}

/** One panel of the wall by its name in WALL_GRIDS and lib/wall/geometry.ts. */
function WallPanelOf({ panel, lang, stacked, metricColumns }: { panel: WallPanel; lang: Lang; stacked: boolean; metricColumns: 1 | 2 }) {
  if (panel === "map") return <MapPanel lang={lang} />;
  if (panel === "districts")
    return (
      // The feed takes what the district table leaves, and never less than a critical and the count of the rest.
      <div className="flex min-h-0 min-w-0 flex-col gap-[0.7rem]">
        <div className="flex min-h-[7rem] flex-[1_1_0] *:flex-1">
          <AlertFeed lang={lang} />
        </div>
        <div className="flex min-h-0 shrink *:flex-1">
          <DistrictTable lang={lang} />
        </div>
      </div>
    );
  if (panel.endsWith("All")) return <DomainMetricsPanel domain={panel.slice(0, -3) as Domain} lang={lang} columns={metricColumns} />;
  return <DomainPanel domain={panel as Domain} lang={lang} stacked={stacked} />;
}

/**
 * The wall at `/`: domains on the sides, the map over the districts in the middle; a
 * 32:9 or 48:9 wall adds each domain's full metric set (lib/wall/layout.ts). A wall of
 * several screens, or one read from further than its size allows, is laid out screen by
 * screen instead (lib/wall/geometry.ts).
 */
export function Wall(props: WallProps) {
  const { lang } = props;
  const geometry = props.geometry.geometry;
  const layout = useWallLayout();
  const distance = useDistanceRem(geometry);
  const rem = useRem();
  const size = useWindowSize();
  // A distance that raises the rem leaves less room than the designed layouts need.
  const raised = distance !== null && size !== null && distance.rem > fittedRem(size.width, size.height, size.devicePixelRatio) + 0.01;
  const tiled = geometry && size && (geometry.across * geometry.down > 1 || raised) ? tiledWall(size.width, size.height, rem, geometry) : null;
  const problems = [...props.geometry.problems];
  if (distance?.short) problems.push({ key: "geometry.short", vars: { need: distance.short.needPx, have: distance.short.havePx } });
  return (
    <LiveProvider configuredUrl={props.realtime.configuredUrl} realtimePort={props.realtime.port} subscription={WALL_SUBSCRIPTION} snapshot={props.snapshot}>
      <WallFrame>
        <Header lang={lang} screens={tiled?.columns} problems={problems.map((p) => t(lang, p.key, p.vars))} />
        <AttentionChime />
        <ReportReplayAttention />
        {tiled ? <TiledMain tiled={tiled} lang={lang} rem={rem} /> : <DesignedMain layout={layout} lang={lang} />}
      </WallFrame>
    </LiveProvider>
  );
}

function DesignedMain({ layout, lang }: { layout: WallLayout; lang: Lang }) {
  const grid = WALL_GRIDS[layout];
  const panels: WallPanel[] = [...DOMAINS, "map", "districts", ...(layout === "standard" ? [] : DOMAINS.map((d) => `${d}All` as const))];
  return (
    <main
      data-layout={layout}
      className="grid min-h-0 flex-1 grid-rows-2 gap-[0.7rem] p-[0.7rem]"
      style={{ gridTemplateColumns: `repeat(${grid.columns}, minmax(0, 1fr))`, gridTemplateAreas: grid.areas.map((row) => `"${row}"`).join(" ") }}
    >
      {panels.map((panel) => (
        <Cell key={panel} area={panel}>
          <WallPanelOf panel={panel} lang={lang} stacked={layout === "ultrawide"} metricColumns={layout === "ultrawide" ? 1 : 2} />
        </Cell>
      ))}
    </main>
  );
}

/** Each screen its own grid, placed in page pixels below the header, clear of every seam. */
function TiledMain({ tiled, lang, rem }: { tiled: TiledWall; lang: Lang; rem: number }) {
  const header = 4.2 * rem;
  return (
    <main data-layout="tiled" className="relative min-h-0 flex-1">
      {tiled.tiles.map((tile, index) => (
        <div
          key={index}
          className="absolute grid gap-[0.7rem]"
          style={{
            left: tile.left,
            top: tile.top - header,
            width: tile.width,
            height: tile.height,
            gridTemplateColumns: `repeat(${tile.columns}, minmax(0, 1fr))`,
            gridTemplateRows: `repeat(${tile.rows}, minmax(0, 1fr))`,
          }}
        >
          {tile.panels.map(({ panel, column, row, rowSpan }) => {
            const [cellWidth, cellHeight] = [tile.width / tile.columns, (tile.height / tile.rows) * rowSpan];
            // A tall cell stacks a domain's bars under its trend; a wide one gives its metric set two columns.
            return (
              <div key={panel} style={{ gridColumn: column, gridRow: `${row} / span ${rowSpan}` }} className="flex min-h-0 min-w-0 *:flex-1">
                <WallPanelOf panel={panel} lang={lang} stacked={cellHeight > cellWidth * 0.9} metricColumns={cellWidth / rem > 50 ? 2 : 1} />
              </div>
            );
          })}
        </div>
      ))}
    </main>
  );
}
