"use client";

import { formatAge, formatClock, formatDate, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { useLive } from "../realtime/LiveProvider";
import type { LinkState } from "../realtime/live-client";

/** After this long without a connection the link reads "offline" instead of "reconnecting". */
const OFFLINE_AFTER_MS = 10_000;

const linkStyle: Record<LinkState | "offline", { dot: string; key: Parameters<typeof t>[1] }> = {
  connecting: { dot: "bg-warn", key: "link.connecting" },
  connected: { dot: "bg-ok", key: "link.connected" },
  reconnecting: { dot: "bg-warn", key: "link.reconnecting" },
  offline: { dot: "bg-crit", key: "link.offline" },
  reload: { dot: "bg-crit", key: "link.reload" },
};

export function Header({ lang, langHref }: { lang: Lang; langHref: string }) {
  const live = useLive();
  const now = live.now;
  const offline = live.link === "reconnecting" && live.disconnectedAt !== null && now !== null && now - live.disconnectedAt > OFFLINE_AFTER_MS;
  const link = offline ? "offline" : live.link;
  const newest = live.store.newestTs();
  return (
    <header data-testid={testIds.header} className="flex h-[4.2rem] shrink-0 items-center justify-between border-b border-panel-edge px-[1.2rem]">
      <h1 className="text-[2rem] font-bold tracking-[0.12em] text-ink">{t(lang, "title")}</h1>
      <div data-testid={testIds.clock} className="flex items-baseline gap-[0.8rem] tabular-nums">
        <span className="text-[1.1rem] text-ink-dim">{now !== null ? formatDate(lang, now) : ""}</span>
        <span className="text-[2rem] font-bold text-ink">{now !== null ? formatClock(lang, now) : ""}</span>
      </div>
      <div className="flex items-center gap-[1.2rem] text-[1.05rem]">
        <span data-testid={testIds.linkState} data-state={link} className="flex items-center gap-[0.45rem]">
          <span className={`inline-block h-[0.8rem] w-[0.8rem] rounded-full ${linkStyle[link].dot}`} aria-hidden />
          <span className="font-bold">{t(lang, linkStyle[link].key)}</span>
        </span>
        <span data-testid={testIds.newestAge} className="tabular-nums text-ink-dim">
          {t(lang, "age.newest")}: {now !== null && newest !== undefined ? formatAge(lang, now - newest) : t(lang, "age.none")}
        </span>
        <a href={langHref} className="rounded border border-panel-edge px-[0.5rem] text-ink-dim hover:text-ink">
          {t(lang, "lang.switch")}
        </a>
      </div>
    </header>
  );
}
