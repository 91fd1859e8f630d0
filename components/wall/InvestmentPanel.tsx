"use client";

import { useMemo } from "react";
import { investmentOption } from "@/lib/charts/investment";
import { t, type Lang } from "@/lib/i18n";
import { SEED_SOURCE, type ReferenceFigure } from "@/lib/reference/figures";
import { testIds } from "@/lib/testids";
import { EChart } from "../charts/EChart";
import { Panel } from "./Panel";
import { useRem } from "./hooks";

/** The legend of provenance: the same shapes as the bars, with words. */
function KindLegend({ lang }: { lang: Lang }) {
  return (
    <div className="flex flex-wrap items-center gap-x-[1.2rem] text-[0.9rem] text-ink-dim">
      <span className="flex items-center gap-[0.35rem]">
        <span className="inline-block h-[0.8rem] w-[1.2rem] bg-ink-dim" aria-hidden /> {t(lang, "investment.reported")}
      </span>
      <span className="flex items-center gap-[0.35rem]">
        <span className="inline-block h-[0.8rem] w-[1.2rem] bg-[repeating-linear-gradient(45deg,#8fa6c8_0_3px,#0b1730_3px_6px)]" aria-hidden />
        {t(lang, "investment.forecast")}
      </span>
      <span className="flex items-center gap-[0.35rem]">
        <span className="inline-block h-[0.8rem] w-[1.2rem] border-2 border-dashed border-ink-dim" aria-hidden /> {t(lang, "investment.derived")}
      </span>
    </div>
  );
}

export function InvestmentPanel({ figures, lang }: { figures: ReferenceFigure[] | null; lang: Lang }) {
  const rem = useRem();
  const option = useMemo(() => investmentOption({ figures: figures ?? [], lang, rem }), [figures, lang, rem]);
  return (
    <Panel id="investment" title={t(lang, "investment.title")} lang={lang}>
      {figures === null ? (
        <p className="m-auto text-[1.2rem] text-warn">{t(lang, "investment.unavailable")}</p>
      ) : (
        <>
          <div className="min-h-0 flex-1">
            <EChart option={option} testId={testIds.chart("investment")} label={t(lang, "investment.title")} />
          </div>
          <KindLegend lang={lang} />
          <p className="truncate text-[0.8rem] text-ink-dim">
            {t(lang, "investment.source")}: {SEED_SOURCE}
          </p>
        </>
      )}
    </Panel>
  );
}
