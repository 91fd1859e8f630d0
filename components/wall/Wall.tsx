"use client";

import type { ReactNode } from "react";
import { DOMAINS } from "@/lib/catalog";
import type { Lang } from "@/lib/i18n";
import { WALL_GRIDS } from "@/lib/wall/layout";
import { WALL_SUBSCRIPTION, type TSnapshot } from "@/lib/realtime/protocol";
import { LiveProvider } from "../realtime/LiveProvider";
import { AlertFeed } from "./AlertFeed";
import { AttentionChime } from "./AttentionChime";
import { DistrictTable } from "./DistrictTable";
import { DomainMetricsPanel } from "./DomainMetricsPanel";
import { DomainPanel } from "./DomainPanel";
import { Header } from "./Header";
import { WallFrame } from "./WallFrame";
import { MapPanel } from "./MapPanel";
import { useWallLayout } from "./hooks";

export interface WallProps {
  lang: Lang;
  snapshot: TSnapshot | null;
  realtime: { configuredUrl: string | null; port: number };
}

/** One grid cell, named as in WALL_GRIDS: the panel inside fills it. */
function Cell({ area, children }: { area: string; children: ReactNode }) {
  return (
    <div style={{ gridArea: area }} className="flex min-h-0 min-w-0 *:flex-1">
      {children}
    </div>
  );
}

/**
 * The wall at `/`: domains on the sides, the map over the districts in the middle; a
 * 32:9 or 48:9 wall adds each domain's full metric set (lib/wall/layout.ts).
 */
export function Wall(props: WallProps) {
  const { lang } = props;
  const layout = useWallLayout();
  const grid = WALL_GRIDS[layout];
  const wide = layout !== "standard";
  return (
    <LiveProvider configuredUrl={props.realtime.configuredUrl} realtimePort={props.realtime.port} subscription={WALL_SUBSCRIPTION} snapshot={props.snapshot}>
      <WallFrame>
        <Header lang={lang} />
        <AttentionChime />
        <main
          data-layout={layout}
          className="grid min-h-0 flex-1 grid-rows-2 gap-[0.7rem] p-[0.7rem]"
          style={{ gridTemplateColumns: `repeat(${grid.columns}, minmax(0, 1fr))`, gridTemplateAreas: grid.areas.map((row) => `"${row}"`).join(" ") }}
        >
          {DOMAINS.map((domain) => (
            <Cell key={domain} area={domain}>
              <DomainPanel domain={domain} lang={lang} stacked={layout === "ultrawide"} />
            </Cell>
          ))}
          {wide &&
            DOMAINS.map((domain) => (
              <Cell key={`${domain}All`} area={`${domain}All`}>
                <DomainMetricsPanel domain={domain} lang={lang} columns={layout === "ultrawide" ? 1 : 2} />
              </Cell>
            ))}
          <Cell area="map">
            <MapPanel lang={lang} />
          </Cell>
          <Cell area="districts">
            <div className="flex min-h-0 flex-col gap-[0.7rem] *:last:flex-1">
              <AlertFeed lang={lang} />
              <DistrictTable lang={lang} />
            </div>
          </Cell>
        </main>
      </WallFrame>
    </LiveProvider>
  );
}
