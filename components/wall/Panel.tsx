"use client";

import type { ReactNode } from "react";
import { formatAge, formatClock, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { isStale } from "./freshness";

/**
 * The frame every wall panel shares: title, data age, and the stale state that
 * greys the content and says since when, keeping the last good values visible.
 */
export function Panel(props: {
  id: string;
  title: string;
  lang: Lang;
  /** Newest sample time shown in this panel; omit for static reference panels. */
  newestTs?: number;
  live?: boolean;
  /** Current time from the live client; null while server rendering. */
  now?: number | null;
  children: ReactNode;
}) {
  const now = props.now ?? null;
  const stale = props.live === true && now !== null && isStale(props.newestTs, now);
  return (
    <section
      data-testid={testIds.panel(props.id)}
      data-stale={stale ? "true" : "false"}
      className={`relative flex min-h-0 min-w-0 flex-col rounded-[0.4rem] border px-[0.9rem] pt-[0.5rem] pb-[0.6rem] ${
        stale ? "border-stale bg-panel/60" : "border-panel-edge bg-panel"
      }`}
    >
      <header className="flex items-baseline justify-between gap-[0.8rem]">
        <h2 className="text-[1.35rem] font-bold tracking-wide text-ink">
          <span className="mr-[0.4rem] inline-block h-[1rem] w-[0.3rem] bg-accent align-[-0.05rem]" aria-hidden />
          {props.title}
        </h2>
        {props.live && (
          <span data-testid={testIds.panelAge(props.id)} className={`text-[0.9rem] tabular-nums ${stale ? "font-bold text-warn" : "text-ink-dim"}`}>
            {now === null
              ? "—"
              : stale
                ? `⚠ ${t(props.lang, "stale.label")}${props.newestTs ? ` · ${t(props.lang, "stale.since", { time: formatClock(props.lang, props.newestTs) })}` : ""}`
                : props.newestTs !== undefined
                  ? formatAge(props.lang, now - props.newestTs)
                  : t(props.lang, "age.none")}
          </span>
        )}
      </header>
      <div className={`flex min-h-0 flex-1 flex-col ${stale ? "opacity-45 grayscale" : ""}`}>{props.children}</div>
    </section>
  );
}
