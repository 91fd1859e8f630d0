"use client";

import { CITY_ID } from "@/lib/catalog";
import { wallCrumb } from "@/lib/drill/routes";
import { t, type Lang } from "@/lib/i18n";
import type { ReferenceFigure } from "@/lib/reference/figures";
import type { TSubscription } from "@/lib/realtime/protocol";
import { InvestmentPanel } from "../wall/InvestmentPanel";
import { DrillShell, type DrillPageProps } from "./DrillShell";

/** No live figures here; the smallest subscription keeps the header's clock and link state honest. */
const HEADER_ONLY: TSubscription = { domains: ["traffic"], level: "summary", scope: CITY_ID };

/** `/reference`: the seed article's figures, each with its provenance. */
export function ReferenceView({ lang, figures, ...page }: DrillPageProps & { lang: Lang; figures: ReferenceFigure[] | null }) {
  return (
    <DrillShell {...page} lang={lang} trail={[wallCrumb()]} current={t(lang, "nav.reference")} subscription={HEADER_ONLY}>
      <div className="flex h-[36rem] flex-col">
        <InvestmentPanel figures={figures} lang={lang} />
      </div>
    </DrillShell>
  );
}
