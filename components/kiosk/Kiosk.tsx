"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { BUNDLE_BUILD_ID } from "@/lib/build-id";
import { keepGeometry } from "@/lib/wall/geometry";
import { kioskHref, nextView, parseKiosk, secondsOn, viewOfPath } from "@/lib/wall/kiosk";
import { useReplayAttention } from "./replay-attention";

const IDLE_CURSOR_MS = 3_000;

/** Whether a critical alert nobody has acknowledged is open; null when the web server does not answer. */
async function criticalOpen(): Promise<boolean | null> {
  try {
    const res = await fetch("/api/alerts/attention", { cache: "no-store", signal: AbortSignal.timeout(5_000) });
    return res.ok ? ((await res.json()) as { critical: number }).critical > 0 : null;
  } catch {
    return null;
  }
}

/** Whether the web server now runs another build than this bundle's; null when it does not answer. */
async function deployedSince(): Promise<boolean | null> {
  try {
    const res = await fetch("/api/version", { cache: "no-store", signal: AbortSignal.timeout(5_000) });
    return res.ok ? ((await res.json()) as { buildId: string }).buildId !== BUNDLE_BUILD_ID : null;
  } catch {
    return null;
  }
}

/**
 * Kiosk mode (`?kiosk=1`, lib/wall/kiosk.ts) on any page: no cursor once the mouse rests,
 * no selection, no interactive chrome (anything marked `data-chrome`), and the rotation
 * through the spotlight views. Each view change first asks the web server for its build: a
 * new deploy is then loaded whole (a reload at a moment when nothing is lost), and while
 * the web server does not answer the wall stays on its view rather than navigate to an error.
 * While a critical alert nobody has acknowledged is open, the rotation goes to the wall and
 * stays there; during a replay, a replayed one does (a live alert does not hold a replay).
 */
export function Kiosk() {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const replayAttention = useReplayAttention();
  const query = params.toString();
  const config = useMemo(() => parseKiosk(new URLSearchParams(query)), [query]);

  useEffect(() => {
    if (!config) return;
    const root = document.documentElement;
    root.dataset.kiosk = "1";
    let idleTimer = setTimeout(() => (root.dataset.idle = "1"), IDLE_CURSOR_MS);
    const onMove = () => {
      delete root.dataset.idle;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => (root.dataset.idle = "1"), IDLE_CURSOR_MS);
    };
    window.addEventListener("pointermove", onMove);
    return () => {
      delete root.dataset.kiosk;
      delete root.dataset.idle;
      clearTimeout(idleTimer);
      window.removeEventListener("pointermove", onMove);
    };
  }, [config]);

  useEffect(() => {
    if (!config) return;
    const current = viewOfPath(pathname);
    // The wall's screens and viewing distance travel with it from view to view.
    const href = keepGeometry(kioskHref(nextView(config, current).view, config, params.has("views")), params);
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const later = () => (timer = setTimeout(() => void turn(), secondsOn(config, current) * 1_000));
    const turn = async () => {
      const [deployed, critical] = await Promise.all([deployedSince(), replayAttention.critical ?? criticalOpen()]);
      if (stopped) return;
      // An unacknowledged critical alert holds the rotation on the wall, where it draws attention.
      const next = critical ? keepGeometry(kioskHref("wall", config, params.has("views")), params) : href;
      if (deployed === null || (critical && current === "wall")) later();
      else if (deployed) window.location.assign(next);
      else router.replace(next);
    };
    timer = setTimeout(() => void turn(), secondsOn(config, current) * 1_000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [config, pathname, params, router, replayAttention]);

  return null;
}
