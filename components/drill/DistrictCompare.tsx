"use client";

import { metricsOf, type Domain } from "@/lib/catalog";
import { RANKINGS, rankDistricts } from "@/lib/drill/rankings";
import { districtPath, withView } from "@/lib/drill/routes";
import { pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { useLive } from "../realtime/LiveProvider";
import { ValueCell } from "./ValueCell";
import { NavLink } from "./NavLink";

/** Every district on every metric of a domain, worst first by the domain's ranking metric; each row opens the district. */
export function DistrictCompare({ domain, lang }: { domain: Domain; lang: Lang }) {
  const live = useLive();
  const ranking = RANKINGS[domain];
  const metrics = metricsOf(domain).filter((m) => m.entityKinds.includes("district"));
  const rows = rankDistricts(ranking.metricId, ranking.worstFirst, (m, e) => live.store.latest(m, e));
  return (
    <table data-testid={testIds.compareTable(domain)} className="w-full table-fixed text-[1rem] tabular-nums">
      <caption className="sr-only">{t(lang, "drill.compare")}</caption>
      <thead>
        <tr className="text-[0.85rem] text-ink-dim">
          <th className="w-[7rem] text-left font-normal">{t(lang, "districts.name")}</th>
          {metrics.map((m) => (
            <th key={m.id} className="text-right font-normal">
              {pick(lang, m.label)}
              {pick(lang, m.unit) ? ` (${pick(lang, m.unit)})` : ""}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ entity }) => (
          <tr key={entity.id} data-entity={entity.id} className="border-t border-panel-edge/60">
            <td className="py-[0.2rem]">
              <NavLink href={withView(districtPath(entity.id), { lang })} >
                {lang === "zh" ? entity.nameZh : entity.nameEn}
              </NavLink>
            </td>
            {metrics.map((m) => (
              <ValueCell key={m.id} metric={m} value={live.store.latest(m.id, entity.id)?.value} lang={lang} className="py-[0.2rem]" />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
