"use client";
/**
 * Keeps the alert desk live: its socket hears every alert change the side server announces
 * (followAlertChanges) and re-renders the page on the server (router.refresh), which keeps
 * the filter, the page, the selection and anything typed.
 */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { Lang } from "@/lib/i18n";
import { followAlertChanges, realtimeUrl } from "../realtime/live-client";

/** At most one refresh this often: a burst of announcements (a drill opening many) makes one, never a queue of them. */
const REFRESH_GAP_MS = 400;

const WORDS = {
  connecting: { zh: "◌ 连接中", en: "◌ Connecting" },
  live: { zh: "● 实时更新", en: "● Live" },
  reconnecting: { zh: "↻ 重连中 · 列表可能过时", en: "↻ Reconnecting · the list may be out of date" },
} as const;
const TONE = { connecting: "text-warn", live: "text-ok", reconnecting: "text-warn" } as const;

export function DeskLive({ realtime, lang }: { realtime: { configuredUrl: string | null; port: number }; lang: Lang }) {
  const router = useRouter();
  const [link, setLink] = useState<keyof typeof WORDS>("connecting");
  const { configuredUrl, port } = realtime;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        router.refresh();
      }, REFRESH_GAP_MS);
    };
    const stop = followAlertChanges(realtimeUrl(configuredUrl, port), { changed: refresh, link: setLink });
    return () => {
      if (timer) clearTimeout(timer);
      stop();
    };
  }, [router, configuredUrl, port]);
  return (
    <span className={`font-bold ${TONE[link]}`} data-testid="desk-link" data-state={link}>
      {WORDS[link][lang]}
    </span>
  );
}
