"use client";

import { usePathname } from "next/navigation";
import { withView, type Crumb } from "@/lib/drill/routes";
import { formatAge, formatClock, formatDate, pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { useLive } from "../realtime/LiveProvider";
import type { LinkState } from "../realtime/live-client";
import { useView } from "../drill/use-view";
import { ReplayControl, useReplayUrl } from "./ReplayControl";
import { useStaleCount } from "./stale-panels";
import { NavLink } from "../drill/NavLink";

/** After this long without a connection the link reads "offline" instead of "reconnecting". */
const OFFLINE_AFTER_MS = 10_000;

const linkStyle: Record<LinkState | "offline", { dot: string; key: Parameters<typeof t>[1] }> = {
  connecting: { dot: "bg-warn", key: "link.connecting" },
  connected: { dot: "bg-ok", key: "link.connected" },
  reconnecting: { dot: "bg-warn", key: "link.reconnecting" },
  offline: { dot: "bg-crit", key: "link.offline" },
  reload: { dot: "bg-crit", key: "link.reload" },
};

/**
 * The header of the wall and of every drill-down page. The wall shows its title and the
 * replay control; a drill-down page shows where it is (`trail`, top first, then `current`).
 */
export function Header({ lang, trail, current }: { lang: Lang; trail?: Crumb[]; current?: string }) {
  // The other language, keeping the rest of the view (range, layer) as it is now.
  const [view] = useView();
  const langHref = withView(usePathname(), { ...view, lang: lang === "zh" ? "en" : "zh" });
  const live = useLive();
  const staleCount = useStaleCount();
  const now = live.now;
  const offline = live.link === "reconnecting" && live.disconnectedAt !== null && now !== null && now - live.disconnectedAt > OFFLINE_AFTER_MS;
  const link = offline ? "offline" : live.link;
  const newest = live.store.newestTs();
  const newestAge = newest === undefined ? null : live.ageMs(newest);
  // The clock shows the source's time: simulated time when the simulator plays faster or elsewhere in time.
  const sourceNow = live.sourceNow();
  const navigateReplay = useReplayUrl(live);
  const replaying = live.replay !== null;
  const simulated = !replaying && (live.clock.speed !== 1 || live.clock.simOrigin !== live.clock.realOrigin);
  const drills = sourceNow === null ? [] : live.drills.filter((d) => d.startTs <= sourceNow && sourceNow < d.endTs);
  return (
    <header data-testid={testIds.header} className="flex h-[4.2rem] shrink-0 items-center justify-between gap-[1.2rem] border-b border-panel-edge px-[1.2rem]">
      {trail ? (
        <nav aria-label={t(lang, "nav.trail")} data-testid={testIds.trail} className="flex min-w-0 items-baseline gap-[0.5rem] truncate text-[1.3rem]">
          {trail.map((crumb) => (
            <span key={crumb.href} className="flex items-baseline gap-[0.5rem]">
              <NavLink href={withView(crumb.href, { lang })}>{pick(lang, crumb.label)}</NavLink>
              <span className="text-ink-dim" aria-hidden>
                ›
              </span>
            </span>
          ))}
          <h1 aria-current="page" className="truncate text-[1.7rem] font-bold text-ink">
            {current}
          </h1>
        </nav>
      ) : (
        // One line whatever the language: the English title is far longer than 一屏统览.
        <h1 className={`min-w-0 truncate text-[2rem] font-bold text-ink ${lang === "zh" ? "tracking-[0.12em]" : "tracking-[0.02em]"}`}>{t(lang, "title")}</h1>
      )}
      {drills.length > 0 && sourceNow !== null && (
        <div
          data-testid={testIds.drillMarker}
          className="flex items-center gap-[0.6rem] rounded-[0.3rem] border-[0.15rem] border-dashed border-warn bg-warn/15 px-[0.8rem] py-[0.15rem] text-[1.25rem] font-bold text-warn"
        >
          <span className="rounded-[0.2rem] bg-warn px-[0.4rem] text-wall-bg">⚑ {t(lang, "drill.label")}</span>
          {drills.map((d) => (
            <span key={d.id}>
              {pick(lang, d.name)} · {t(lang, "drill.remaining", { n: Math.max(0, Math.ceil((d.endTs - sourceNow) / 60_000)) })}
            </span>
          ))}
        </div>
      )}
      {/* During a replay the replayed time replaces the clock, inside the replay marker. */}
      {replaying ? (
        <ReplayControl lang={lang} navigate={navigateReplay} />
      ) : (
        <div data-testid={testIds.clock} className="flex items-baseline gap-[0.8rem] tabular-nums">
          {simulated && (
            <span data-testid={testIds.simulatedClock} className="rounded-[0.2rem] border border-accent px-[0.4rem] text-[1rem] text-accent">
              {t(lang, "clock.simulated", { n: live.clock.speed })}
            </span>
          )}
          <span className="text-[1.1rem] text-ink-dim">{sourceNow !== null ? formatDate(lang, sourceNow) : ""}</span>
          <span className="text-[2rem] font-bold text-ink">{sourceNow !== null ? formatClock(lang, sourceNow) : ""}</span>
        </div>
      )}
      <div className="flex shrink-0 items-center gap-[1.2rem] whitespace-nowrap text-[1.05rem]">
        <span data-testid={testIds.linkState} data-state={link} className="flex items-center gap-[0.45rem]">
          <span className={`inline-block h-[0.8rem] w-[0.8rem] rounded-full ${linkStyle[link].dot}`} aria-hidden />
          <span className="font-bold">{t(lang, linkStyle[link].key)}</span>
        </span>
        {staleCount > 0 && (
          <span data-testid={testIds.staleCount} className="rounded-[0.2rem] bg-warn/15 px-[0.4rem] font-bold text-warn">
            ⚠ {t(lang, "stale.count", { n: staleCount })}
          </span>
        )}
        <span data-testid={testIds.newestAge} className="tabular-nums text-ink-dim">
          {t(lang, "age.newest")}: {newestAge !== null ? formatAge(lang, newestAge) : t(lang, "age.none")}
        </span>
        <span data-chrome className="contents">
          {!replaying && !trail && <ReplayControl lang={lang} navigate={navigateReplay} />}
          {!trail && (
            <NavLink href={withView("/reference", { lang })} look="button">
              {t(lang, "nav.reference")}
            </NavLink>
          )}
          <a href={langHref} className="rounded border border-panel-edge px-[0.5rem] text-ink-dim hover:text-ink">
            {t(lang, "lang.switch")}
          </a>
        </span>
      </div>
    </header>
  );
}
