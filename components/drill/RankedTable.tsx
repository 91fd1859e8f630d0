"use client";

import { CITY_ID, entityById, metricById, type Domain, type EntityDefinition } from "@/lib/catalog";
import { RANKINGS, rankEntities } from "@/lib/drill/rankings";
import { entityPath, withView } from "@/lib/drill/routes";
import { formatAge, pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { useLive } from "../realtime/LiveProvider";
import { ValueCell } from "./ValueCell";
import { NavLink } from "./NavLink";

/** The worst entities of a domain within a scope, re-ranked on every update; each row opens its entity. */
export function RankedTable({ domain, scope, limit, lang, captioned = true }: { domain: Domain; scope: string; limit: number; lang: Lang; captioned?: boolean }) {
  const live = useLive();
  const ranking = RANKINGS[domain];
  const metric = metricById(ranking.metricId);
  const rows = rankEntities(ranking, (m, e) => live.store.latest(m, e), scope, limit);
  const unit = metric ? pick(lang, metric.unit) : "";
  // Within one district its name in every row says nothing.
  const citywide = scope === CITY_ID;
  return (
    <table data-testid={testIds.rankTable(domain)} className="w-full table-fixed text-[1rem] tabular-nums">
      <caption className={captioned ? "pb-[0.3rem] text-left text-[1.05rem] font-bold text-ink" : "sr-only"}>{rankingTitle(domain, limit, lang)}</caption>
      <thead>
        <tr className="text-[0.85rem] text-ink-dim">
          <th className="w-[2.4rem] text-left font-normal">{t(lang, "drill.rank")}</th>
          <th className="text-left font-normal">{t(lang, "drill.name")}</th>
          {citywide && <th className="w-[6rem] text-left font-normal">{t(lang, "districts.name")}</th>}
          <th className="w-[8rem] text-right font-normal">
            {metric ? pick(lang, metric.label) : ranking.metricId}
            {unit ? ` (${unit})` : ""}
          </th>
          <th className="w-[6rem] text-right font-normal">{t(lang, "drill.updated")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={citywide ? 5 : 4} className="py-[0.4rem] text-ink-dim">
              {t(lang, "drill.noneYet")}
            </td>
          </tr>
        )}
        {rows.map((row, i) => {
          const district = row.entity.districtId ? entityById(row.entity.districtId) : undefined;
          const age = live.ageMs(row.ts);
          return (
            <tr key={row.entity.id} data-entity={row.entity.id} className="border-t border-panel-edge/60">
              <td className="py-[0.2rem] text-ink-dim">{i + 1}</td>
              <td className="truncate py-[0.2rem]">
                <NavLink href={withView(entityPath(row.entity), { lang })} >
                  {citywide ? displayName(row.entity, lang) : withoutDistrict(row.entity, lang)}
                </NavLink>
              </td>
              {citywide && <td className="truncate py-[0.2rem] text-ink-dim">{district ? (lang === "zh" ? district.nameZh : district.nameEn) : ""}</td>}
              <ValueCell metric={metric} value={row.value} lang={lang} className="py-[0.2rem]" />
              <td className="py-[0.2rem] text-right text-ink-dim">{age === null ? "—" : formatAge(lang, age)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "最满停车场 · 前 10": what a ranked table lists. */
export function rankingTitle(domain: Domain, limit: number, lang: Lang): string {
  return `${pick(lang, RANKINGS[domain].title)} · ${t(lang, "drill.top", { n: limit })}`;
}

const displayName = (e: EntityDefinition, lang: Lang) => (lang === "zh" ? e.nameZh : e.nameEn);

/** "南山公共停车场 001" → "公共停车场 001" where the page is 南山's already. */
function withoutDistrict(entity: EntityDefinition, lang: Lang): string {
  const district = entity.districtId ? entityById(entity.districtId) : undefined;
  if (!district) return displayName(entity, lang);
  const prefix = lang === "zh" ? district.nameZh.replace(/新区$|区$/, "") : `${district.nameEn} `;
  const name = displayName(entity, lang);
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name;
}
