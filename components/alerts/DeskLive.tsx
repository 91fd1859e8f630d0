"use client";
/**
 * Keeps the alert desk live: its socket hears every alert change the side server announces
 * and re-renders the page on the server (router.refresh), which keeps the filter, the page,
 * the selection and anything typed. Every socket is in the side server's everyone-room from
 * its connection, so the desk says no hello: it follows no data, only the announcements.
 */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { Event } from "@/lib/realtime/protocol";
import type { Lang } from "@/lib/i18n";
import { realtimeUrl } from "../realtime/live-client";

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
    const socket = io(realtimeUrl(configuredUrl, port), { transports: ["websocket", "polling"], withCredentials: true, reconnectionDelay: 500, reconnectionDelayMax: 2_000 });
    socket.on("connect", () => {
      setLink("live");
      // What changed while the socket was away (or before it first connected) was announced to no one here.
      refresh();
    });
    socket.on("disconnect", () => setLink("reconnecting"));
    socket.on(Event.alerts, refresh);
    return () => {
      if (timer) clearTimeout(timer);
      socket.close();
    };
  }, [router, configuredUrl, port]);
  return (
    <span className={`font-bold ${TONE[link]}`} data-testid="desk-link" data-state={link}>
      {WORDS[link][lang]}
    </span>
  );
}
