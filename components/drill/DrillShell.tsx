"use client";

import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { withView, type Crumb } from "@/lib/drill/routes";
import { t, type Lang } from "@/lib/i18n";
import type { TSnapshot, TSubscription } from "@/lib/realtime/protocol";
import { LiveProvider } from "../realtime/LiveProvider";
import { Header } from "../wall/Header";

export interface DrillPageProps {
  snapshot: TSnapshot | null;
  realtime: { configuredUrl: string | null; port: number };
}

/**
 * A drill-down page at a desk: its own subscription (only the streams it shows), the
 * header with where it is, a scrolling body, and Escape for one level up.
 */
export function DrillShell(props: DrillPageProps & { lang: Lang; trail: Crumb[]; current: string; subscription: TSubscription; children: ReactNode }) {
  const { lang, trail } = props;
  const router = useRouter();
  const up = withView(trail[trail.length - 1]?.href ?? "/", { lang });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (event.target instanceof HTMLElement && event.target.closest("input, select, textarea")) return;
      router.push(up);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router, up]);

  return (
    <LiveProvider configuredUrl={props.realtime.configuredUrl} realtimePort={props.realtime.port} subscription={props.subscription} snapshot={props.snapshot}>
      <div className="flex h-screen w-screen flex-col overflow-hidden">
        <Header lang={lang} trail={trail} current={props.current} />
        <main className="min-h-0 flex-1 overflow-y-auto p-[0.8rem]">
          {props.children}
          <p data-chrome className="mt-[0.6rem] text-right text-[0.85rem] text-ink-dim">{t(lang, "nav.escHint")}</p>
        </main>
      </div>
    </LiveProvider>
  );
}
