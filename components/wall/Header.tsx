"use client";

import { usePathname, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { withView, type Crumb } from "@/lib/drill/routes";
import { SEVERITY_MARK } from "@/lib/alerts/attention";
import { AHEAD_TOLERANCE_MS, formatAge, formatClock, formatDate, pick, t, type Lang } from "@/lib/i18n";
import type { LinkStatus } from "@/lib/realtime/link";
import type { TAlert } from "@/lib/realtime/protocol";
import { testIds } from "@/lib/testids";
import { headerTracks, keepGeometry, type ScreenColumn } from "@/lib/wall/geometry";
import { useLive } from "../realtime/LiveProvider";
import { useView } from "../drill/use-view";
import { ReplayControl, useReplayUrl } from "./ReplayControl";
import { useStaleCount } from "./stale-panels";
import { NavLink } from "../drill/NavLink";

/** Each state by word, colour and mark, so it reads from five metres and without colour. */
const linkStyle: Record<LinkStatus, { mark: string; color: string; key: Parameters<typeof t>[1] }> = {
  connected: { mark: "●", color: "text-ok", key: "link.connected" },
  silent: { mark: "◌", color: "text-warn", key: "link.silent" },
  connecting: { mark: "↻", color: "text-warn", key: "link.connecting" },
  reconnecting: { mark: "↻", color: "text-warn", key: "link.reconnecting" },
  offline: { mark: "✕", color: "text-crit", key: "link.offline" },
  reload: { mark: "⚠", color: "text-crit", key: "link.reload" },
};

/**
 * The header of the wall and of every drill-down page. The wall shows its title and the
 * replay control; a drill-down page shows where it is (`trail`, top first, then `current`).
 * On a wall of several screens (`screens`) each group of the header stays inside one screen.
 */
export function Header(props: { lang: Lang; trail?: Crumb[]; current?: string; screens?: ScreenColumn[]; problems?: string[] }) {
  const { lang, trail, current, screens, problems } = props;
  // The other language, keeping the rest of the view (range, layer) as it is now.
  const [view] = useView();
  const langHref = keepGeometry(withView(usePathname(), { ...view, lang: lang === "zh" ? "en" : "zh" }), useSearchParams());
  const live = useLive();
  const staleCount = useStaleCount();
  const link = live.linkStatus();
  const newest = live.store.newestTs();
  const newestAge = newest === undefined ? null : live.ageMs(newest);
  const newestAhead = newestAge !== null && newestAge < -AHEAD_TOLERANCE_MS;
  // The clock shows the source's time: simulated time when the simulator plays faster or elsewhere in time.
  const sourceNow = live.sourceNow();
  const navigateReplay = useReplayUrl(live);
  const replaying = live.replay !== null;
  const simulated = !replaying && (live.clock.speed !== 1 || live.clock.simOrigin !== live.clock.realOrigin);
  const drills = sourceNow === null ? [] : live.drills.filter((d) => d.startTs <= sourceNow && sourceNow < d.endTs);
  const titleGroup = trail ? (
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
    // It gives way first when the header is crowded (English, a drill running): a drill's name matters more.
    <h1 className={`min-w-[6rem] shrink-[4] truncate text-[2rem] font-bold text-ink ${lang === "zh" ? "tracking-[0.12em]" : "tracking-[0.02em]"}`}>{t(lang, "title")}</h1>
  );
  const problemBadge = problems && problems.length > 0 && (
    <span data-testid={testIds.geometryProblem} title={problems.join("\n")} className="line-clamp-2 min-w-0 rounded-[0.2rem] bg-warn/15 px-[0.4rem] text-[0.85rem] leading-[1.1] font-bold text-warn">
      ⚠ {problems.join(" · ")}
    </span>
  );
  const drillMarker = drills.length > 0 && sourceNow !== null && (
    <div
      data-testid={testIds.drillMarker}
      className="flex min-w-0 max-w-[48%] shrink-0 items-center gap-[0.6rem] rounded-[0.3rem] border-[0.15rem] border-dashed border-warn bg-warn/15 px-[0.8rem] py-[0.15rem] text-[1.25rem] font-bold text-warn"
    >
      <span className="shrink-0 rounded-[0.2rem] bg-warn px-[0.4rem] text-wall-bg">⚑ {t(lang, "drill.label")}</span>
      {drills.map((d) => (
        <span key={d.id} className="truncate">
          {pick(lang, d.name)} · {t(lang, "drill.remaining", { n: Math.max(0, Math.ceil((d.endTs - sourceNow) / 60_000)) })}
        </span>
      ))}
    </div>
  );
  // During a replay the replayed time replaces the clock, inside the replay marker.
  const clock = replaying ? (
    <ReplayControl lang={lang} navigate={navigateReplay} />
  ) : (
    <div data-testid={testIds.clock} data-ts={sourceNow ?? undefined} className="flex shrink-0 items-baseline gap-[0.8rem] tabular-nums">
      {simulated && (
        <span data-testid={testIds.simulatedClock} className="rounded-[0.2rem] border border-accent px-[0.4rem] text-[1rem] text-accent">
          {t(lang, "clock.simulated", { n: live.clock.speed })}
        </span>
      )}
      <span className="text-[1.1rem] text-ink-dim">{sourceNow !== null ? formatDate(lang, sourceNow) : ""}</span>
      <span className="text-[2rem] font-bold text-ink">{sourceNow !== null ? formatClock(lang, sourceNow) : ""}</span>
    </div>
  );
  const status = (
    <div className="flex shrink-0 items-center gap-[1.2rem] whitespace-nowrap text-[1.05rem]">
      {replaying && <LiveAlertsNotice lang={lang} alerts={live.liveAlerts} />}
      <span data-testid={testIds.linkState} data-state={link} className={`flex items-center gap-[0.45rem] font-bold ${linkStyle[link].color}`}>
        <span aria-hidden>{linkStyle[link].mark}</span>
        <span>{t(lang, linkStyle[link].key)}</span>
      </span>
      {staleCount > 0 && (
        <span data-testid={testIds.staleCount} className="rounded-[0.2rem] bg-warn/15 px-[0.4rem] font-bold text-warn">
          ⚠ {t(lang, "stale.count", { n: staleCount })}
        </span>
      )}
      <span data-testid={testIds.newestAge} data-ahead={newestAhead || undefined} className={`tabular-nums ${newestAhead ? "font-bold text-warn" : "text-ink-dim"}`}>
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
  );
  const frame = "h-[4.2rem] shrink-0 items-center border-b border-panel-edge";
  if (!screens || screens.length < 2)
    return (
      <header data-testid={testIds.header} className={`flex justify-between gap-[1.2rem] px-[1.2rem] ${frame}`}>
        {titleGroup}
        {problemBadge}
        {drillMarker}
        {clock}
        {status}
      </header>
    );
  // A wall of several screens: each group inside one screen, clear of the seams (lib/wall/geometry.ts).
  const last = screens.length - 1;
  const middle = Math.floor(screens.length / 2);
  const onScreen = (index: number, justify: string, children: ReactNode) => (
    <div style={{ gridColumn: 2 * index + 2 }} className={`flex min-w-0 items-center gap-[1.2rem] ${justify}`}>
      {children}
    </div>
  );
  return (
    <header data-testid={testIds.header} data-screens={screens.length} className={`grid ${frame}`} style={{ gridTemplateColumns: headerTracks(screens) }}>
      {screens.length === 2 ? (
        // Two screens: the title and the clock on the first, markers and the link state on the second.
        <>
          {onScreen(0, "justify-between", <>{titleGroup}{clock}</>)}
          {onScreen(1, "justify-between", <>{problemBadge}{drillMarker}<span className="flex-1" />{status}</>)}
        </>
      ) : (
        <>
          {onScreen(0, "justify-start", <>{titleGroup}{problemBadge}</>)}
          {onScreen(middle, "justify-center", <>{drillMarker}{clock}</>)}
          {onScreen(last, "justify-end", status)}
        </>
      )}
    </header>
  );
}

/**
 * During a replay the wall shows the alerts of the replayed time only; this small notice,
 * apart from them and from the attention state, says what is open now, so an operator
 * watching the past still knows something is burning in the present.
 */
function LiveAlertsNotice({ lang, alerts }: { lang: Lang; alerts: readonly TAlert[] }) {
  if (alerts.length === 0) return null;
  const critical = alerts.filter((a) => a.severity === "critical").length;
  const tone = critical > 0 ? "border-crit text-crit" : "border-warn text-warn";
  return (
    <span
      data-testid={testIds.replayLiveAlerts}
      data-critical={critical}
      data-open={alerts.length}
      title={alerts.slice(0, 10).map((a) => pick(lang, a.name)).join("\n")}
      className={`rounded-[0.2rem] border px-[0.4rem] text-[0.95rem] font-bold ${tone}`}
    >
      {critical > 0 ? `${SEVERITY_MARK.critical} ${t(lang, "replay.liveCritical", { n: critical })}` : `${SEVERITY_MARK.warning} ${t(lang, "replay.liveOpen", { n: alerts.length })}`}
    </span>
  );
}
