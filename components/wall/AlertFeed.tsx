"use client";

import { entityById } from "@/lib/catalog";
import { SEVERITY_MARK, attentionOf } from "@/lib/alerts/attention";
import { alertValueText } from "@/lib/alerts/value";
import { formatAge, pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { useLive } from "../realtime/LiveProvider";
import { Panel } from "./Panel";
// Alerts come from the same side server as the figures: when its data stops, "no open alerts" is no longer known.
import { freshnessOf } from "./freshness";

/** Two rows fit above the district table on every layout; the title counts them all. */
const SHOWN = 2;
const TONE = { critical: "text-crit", warning: "text-warn", info: "text-accent" } as const;

/**
 * The unresolved alerts, newest first (the one drawing attention pinned on top): severity by mark, word and colour, what and where,
 * the value that opened it, how long ago, and whether a desk has acknowledged it.
 */
export function AlertFeed({ lang }: { lang: Lang }) {
  const live = useLive();
  const attention = attentionOf(live.alerts);
  // Newest first, but the alert the wall draws attention to is always in sight.
  const alerts = attention ? [attention.alert, ...live.alerts.filter((a) => a.id !== attention.alert.id)] : live.alerts;
  const now = live.sourceNow();
  return (
    <Panel id="alerts" title={`${t(lang, "alerts.title")}${alerts.length > 0 ? ` · ${alerts.length}` : ""}`} lang={lang} href={lang === "en" ? "/alerts?lang=en" : "/alerts"} attention={attention !== null} freshness={freshnessOf(live)}>
      {alerts.length === 0 && <p className="text-[1rem] text-ok">{t(lang, "alerts.none")}</p>}
      <ul data-testid={testIds.alertFeed} aria-live="polite" className="flex flex-col gap-[0.15rem]">
        {alerts.slice(0, SHOWN).map((a) => {
          const entity = entityById(a.entityId);
          const value = alertValueText(lang, a);
          const acked = a.acknowledged !== null;
          return (
            <li key={a.id} data-testid={testIds.alertItem(a.id)} data-severity={a.severity} data-acknowledged={acked} className={`flex items-baseline gap-[0.5rem] truncate text-[1rem] ${acked ? "opacity-60" : ""}`}>
              <span className={`font-bold ${TONE[a.severity]}`}>
                {SEVERITY_MARK[a.severity]} {t(lang, `alerts.${a.severity}`)}
              </span>
              <span className="truncate">
                {pick(lang, a.name)} · {entity ? (lang === "zh" ? entity.nameZh : entity.nameEn) : a.entityId}
                {value !== null && ` · ${value}`}
              </span>
              <span className="ml-auto shrink-0 tabular-nums text-ink-dim">
                {acked ? `✓ ${t(lang, "alerts.acked")} · ` : ""}
                {now !== null ? formatAge(lang, (now - a.openedTs) / live.clock.speed) : ""}
              </span>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
