"use client";

import { DISTRICTS, metricById, type MetricId } from "@/lib/catalog";
import { districtPath, withView } from "@/lib/drill/routes";
import { pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { ValueCell } from "../drill/ValueCell";
import { useLive } from "../realtime/LiveProvider";
import { Panel } from "./Panel";
import { freshnessOf } from "./freshness";
import { NavLink } from "../drill/NavLink";

const COLUMNS: MetricId[] = ["traffic.congestionIndex", "parking.occupancy", "health.waitMinutes", "broadband.downloadMbps"];

/** Every district's key figure per domain, one row each, severity by colour and mark. */
export function DistrictTable({ lang }: { lang: Lang }) {
  const live = useLive();
  const { store } = live;
  return (
    <Panel id="districts" title={t(lang, "districts.title")} lang={lang} freshness={freshnessOf(live)}>
      <table data-testid={testIds.districtTable} className="mt-[0.3rem] h-full w-full table-fixed text-[1rem] tabular-nums">
        <thead>
          <tr className="text-[0.85rem] text-ink-dim">
            <th className="w-[22%] py-[0.2rem] text-left font-normal">{t(lang, "districts.name")}</th>
            {COLUMNS.map((id) => {
              const m = metricById(id);
              return (
                <th key={id} className="py-[0.2rem] text-right font-normal">
                  {m ? pick(lang, m.label) : id}
                  {m && pick(lang, m.unit) ? ` (${pick(lang, m.unit)})` : ""}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {DISTRICTS.map((d) => (
            <tr key={d.id} className="border-t border-panel-edge/60">
              <td className="text-left">
                <NavLink href={withView(districtPath(d.id), { lang })} >
                  {lang === "zh" ? d.nameZh : d.nameEn}
                </NavLink>
              </td>
              {COLUMNS.map((id) => (
                <ValueCell key={id} metric={metricById(id)} value={store.latest(id, d.id)?.value} lang={lang} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
