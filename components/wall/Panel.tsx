"use client";

import type { ReactNode } from "react";
import { formatAge, formatClock, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { useReportStale } from "./stale-panels";
import { NavLink } from "../drill/NavLink";

/** How fresh a live panel's data is: its newest sample and that sample's age in real time. */
export interface Freshness {
  newestTs: number | undefined;
  /** Real milliseconds since newestTs; null while server rendering (no clock yet). */
  ageMs: number | null;
  /** True once the page runs in the browser. */
  mounted: boolean;
  /** Real milliseconds after which the newest sample is overdue. */
  staleAfterMs: number;
}

/**
 * The frame every wall panel shares: title, data age, and the stale state that
 * greys the content and says since when, keeping the last good values visible.
 */
/** `attention`: an unacknowledged critical alert concerns this panel (lib/alerts/attention.ts). */
export function Panel(props: { id: string; title: string; lang: Lang; freshness?: Freshness; href?: string; attention?: boolean; children: ReactNode }) {
  const f = props.freshness;
  const stale = f !== undefined && f.mounted && (f.newestTs === undefined || (f.ageMs ?? 0) > f.staleAfterMs);
  useReportStale(props.id, stale);
  let ageText = "";
  if (f && !f.mounted) ageText = "—";
  else if (f && stale) ageText = `⚠ ${t(props.lang, "stale.label")}${f.newestTs !== undefined ? ` · ${t(props.lang, "stale.since", { time: formatClock(props.lang, f.newestTs) })}` : ""}`;
  else if (f && f.ageMs !== null) ageText = formatAge(props.lang, f.ageMs);
  return (
    <section
      data-testid={testIds.panel(props.id)}
      data-stale={stale ? "true" : "false"}
      data-attention={props.attention ? "true" : "false"}
      className={`relative flex min-h-0 min-w-0 flex-col rounded-[0.4rem] border px-[0.9rem] pt-[0.5rem] pb-[0.6rem] ${props.attention ? "attention " : ""}${
        stale ? "border-stale bg-panel/60" : "border-panel-edge bg-panel"
      }`}
    >
      <header className="flex items-baseline justify-between gap-[0.8rem]">
        <h2 className="text-[1.35rem] font-bold tracking-wide text-ink">
          <span className="mr-[0.4rem] inline-block h-[1rem] w-[0.3rem] bg-accent align-[-0.05rem]" aria-hidden />
          {props.title}
        </h2>
        {props.href && (
          <NavLink href={props.href} testId={testIds.panelLink(props.id)} chrome className="ml-auto shrink-0 text-[0.95rem]">
            {t(props.lang, "nav.details")}
          </NavLink>
        )}
        {f && (
          <span data-testid={testIds.panelAge(props.id)} className={`text-[0.9rem] tabular-nums ${stale ? "font-bold text-warn" : "text-ink-dim"}`}>
            {ageText}
          </span>
        )}
      </header>
      <div className={`flex min-h-0 flex-1 flex-col ${stale ? "opacity-45 grayscale" : ""}`}>{props.children}</div>
    </section>
  );
}
