"use client";

import { useLayoutEffect, useRef, useState, type RefObject } from "react";
import { CITY, entityById, metricById } from "@/lib/catalog";
import { SEVERITY_MARK, attentionOf } from "@/lib/alerts/attention";
import { SEVERITIES, fitFeed, type FeedRow } from "@/lib/alerts/feed";
import { alertValueText } from "@/lib/alerts/value";
import { formatAge, pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { useLive } from "../realtime/LiveProvider";
import { Panel } from "./Panel";
// Alerts come from the same side server as the figures: when its data stops, "no open alerts" is no longer known.
import { freshnessOf } from "./freshness";

const TONE = { critical: "text-crit", warning: "text-warn", info: "text-accent" } as const;

/** How many rows the list has room for, measured from its box and a row's height (before the first measure: two). */
function useLines(list: RefObject<HTMLUListElement | null>): number {
  const [lines, setLines] = useState(2);
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const measure = () => {
      const style = getComputedStyle(element);
      const gap = parseFloat(style.rowGap) || 0;
      const row = element.firstElementChild?.getBoundingClientRect().height || parseFloat(style.lineHeight) || 24;
      setLines(Math.max(2, Math.floor((element.clientHeight + gap) / (row + gap))));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [list]);
  return lines;
}

function where(lang: Lang, row: FeedRow): string {
  return entityName(lang, row.members.length > 1 ? (row.districtId ?? row.worst.entityId) : row.worst.entityId);
}

function entityName(lang: Lang, id: string): string {
  const entity = entityById(id);
  return entity ? (lang === "zh" ? entity.nameZh : entity.nameEn) : id;
}

function placeOf(lang: Lang, districtId: string | null): string {
  return districtId === null ? (lang === "zh" ? CITY.nameZh : CITY.nameEn) : entityName(lang, districtId);
}

function valueOf(lang: Lang, row: FeedRow): string | null {
  const value = alertValueText(lang, row.worst);
  if (row.incident) return [value, t(lang, "alerts.incident.count", { n: row.members.length })].filter((part) => part !== null).join(" · ");
  if (row.members.length === 1 || value === null) return value;
  const below = !row.worst.counted && metricById(row.worst.metricId)?.thresholds?.direction === "below";
  return t(lang, below ? "alerts.group.below" : "alerts.group.above", { n: row.members.length, value });
}

/**
 * The open alerts, worst first (lib/alerts/feed.ts): severity by mark, word and colour, what and
 * where, the value (a group: how many and the worst), who acknowledged it, how long ago; as many
 * rows as the panel has room for, every critical among them, and a line counting the rest.
 */
export function AlertFeed({ lang }: { lang: Lang }) {
  const live = useLive();
  const list = useRef<HTMLUListElement>(null);
  const lines = useLines(list);
  const attention = attentionOf(live.alerts);
  const { rows, hidden } = fitFeed(live.alerts, lines);
  const more = SEVERITIES.filter((s) => hidden[s] > 0).map((s) => t(lang, `alerts.more.${s}`, { n: hidden[s] }));
  const now = live.sourceNow();
  const total = live.alerts.length;
  return (
    <Panel id="alerts" title={`${t(lang, "alerts.title")}${total > 0 ? ` · ${total}` : ""}`} lang={lang} href={lang === "en" ? "/alerts?lang=en" : "/alerts"} attention={attention !== null} freshness={freshnessOf(live)}>
      {total === 0 && <p className="text-[1rem] text-ok">{t(lang, "alerts.none")}</p>}
      <ul ref={list} data-testid={testIds.alertFeed} data-lines={lines} aria-live="polite" className="flex min-h-0 flex-1 flex-col gap-[0.15rem] overflow-hidden">
        {rows.map((row) => {
          const value = valueOf(lang, row);
          // An incident is named by its worst alert: whether someone has acknowledged that one is what the row says.
          const ack = row.acknowledged || row.incident ? row.worst.acknowledged : null;
          return (
            <li
              key={row.key}
              data-testid={testIds.alertItem(row.members.length === 1 ? row.worst.id : row.key)}
              data-severity={row.severity}
              data-acknowledged={row.acknowledged}
              data-count={row.members.length}
              className={`flex shrink-0 items-baseline gap-[0.5rem] truncate text-[1rem] leading-[1.45] ${row.acknowledged ? "opacity-70" : ""}`}
            >
              <span className={`font-bold ${TONE[row.severity]}`}>
                {SEVERITY_MARK[row.severity]} {t(lang, row.incident ? "alerts.incident" : `alerts.${row.severity}`)}
              </span>
              {/* Where and how bad outrank the rule's name when the row is short of room. */}
              {/* Shrink factors of 1 and more: below a sum of 1, flexbox leaves part of the overflow unabsorbed. */}
              <span className="min-w-[2rem] shrink-[50] truncate">
                {row.incident ? `${placeOf(lang, row.districtId)} · ${row.incident.domains.map((d) => t(lang, `domain.${d}`)).join(" → ")}` : pick(lang, row.worst.name)}
              </span>{" "}
              <span className="min-w-0 truncate">
                · {row.incident ? entityName(lang, row.worst.entityId) : where(lang, row)}
                {value !== null && ` · ${value}`}
              </span>
              <span className="ml-auto shrink-0 tabular-nums text-ink-dim">
                {ack ? `✓ ${ack.by || t(lang, "alerts.acked")} · ` : ""}
                {now !== null ? formatAge(lang, (now - row.openedTs) / live.clock.speed) : ""}
              </span>
            </li>
          );
        })}
        {more.length > 0 && (
          <li data-testid={testIds.alertMore} className="shrink-0 truncate text-[1rem] leading-[1.45] text-ink-dim">
            {t(lang, "alerts.more", { list: more.join(lang === "zh" ? "、" : ", ") })}
          </li>
        )}
      </ul>
    </Panel>
  );
}
