"use client";

import { DOMAINS } from "@/lib/catalog";
import type { Lang } from "@/lib/i18n";
import type { TSnapshot } from "@/lib/realtime/protocol";
import type { ReferenceFigure } from "@/lib/reference/figures";
import { LiveProvider } from "../realtime/LiveProvider";
import { DistrictTable } from "./DistrictTable";
import { DomainPanel } from "./DomainPanel";
import { Header } from "./Header";
import { WallFrame } from "./WallFrame";
import { InvestmentPanel } from "./InvestmentPanel";

export interface WallProps {
  lang: Lang;
  langHref: string;
  snapshot: TSnapshot | null;
  figures: ReferenceFigure[] | null;
  realtime: { configuredUrl: string | null; port: number };
}

/** The wall at `/`: three columns, domains on the sides, reference and districts in the middle. */
export function Wall(props: WallProps) {
  const { lang } = props;
  return (
    <LiveProvider configuredUrl={props.realtime.configuredUrl} realtimePort={props.realtime.port} domains={DOMAINS} snapshot={props.snapshot}>
      <WallFrame>
        <Header lang={lang} langHref={props.langHref} />
        <main className="grid min-h-0 flex-1 grid-cols-3 grid-rows-2 gap-[0.7rem] p-[0.7rem]">
          <DomainPanel domain="traffic" lang={lang} />
          <InvestmentPanel figures={props.figures} lang={lang} />
          <DomainPanel domain="parking" lang={lang} />
          <DomainPanel domain="health" lang={lang} />
          <DistrictTable lang={lang} />
          <DomainPanel domain="broadband" lang={lang} />
        </main>
      </WallFrame>
    </LiveProvider>
  );
}
