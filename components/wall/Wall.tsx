"use client";

import type { Lang } from "@/lib/i18n";
import { WALL_SUBSCRIPTION, type TSnapshot } from "@/lib/realtime/protocol";
import { LiveProvider } from "../realtime/LiveProvider";
import { DistrictTable } from "./DistrictTable";
import { DomainPanel } from "./DomainPanel";
import { Header } from "./Header";
import { WallFrame } from "./WallFrame";
import { MapPanel } from "./MapPanel";

export interface WallProps {
  lang: Lang;
  snapshot: TSnapshot | null;
  realtime: { configuredUrl: string | null; port: number };
}

/** The wall at `/`: three columns, domains on the sides, the map and the districts in the middle. */
export function Wall(props: WallProps) {
  const { lang } = props;
  return (
    <LiveProvider configuredUrl={props.realtime.configuredUrl} realtimePort={props.realtime.port} subscription={WALL_SUBSCRIPTION} snapshot={props.snapshot}>
      <WallFrame>
        <Header lang={lang} />
        <main className="grid min-h-0 flex-1 grid-cols-3 grid-rows-2 gap-[0.7rem] p-[0.7rem]">
          <DomainPanel domain="traffic" lang={lang} />
          <MapPanel lang={lang} />
          <DomainPanel domain="parking" lang={lang} />
          <DomainPanel domain="health" lang={lang} />
          <DistrictTable lang={lang} />
          <DomainPanel domain="broadband" lang={lang} />
        </main>
      </WallFrame>
    </LiveProvider>
  );
}
