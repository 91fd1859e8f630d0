"use client";

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

/** Which panels are stale now: each panel reports its own state, the header counts them. */
class StalePanels {
  private readonly stale = new Set<string>();
  private readonly listeners = new Set<() => void>();

  report(id: string, stale: boolean): void {
    if (stale === this.stale.has(id)) return;
    if (stale) this.stale.add(id);
    else this.stale.delete(id);
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  count = (): number => this.stale.size;
}

const StaleContext = createContext<StalePanels | null>(null);
const none = () => 0;
const noSubscription = () => () => undefined;

export function StalePanelsProvider({ children }: { children: ReactNode }) {
  const [panels] = useState(() => new StalePanels());
  return <StaleContext.Provider value={panels}>{children}</StaleContext.Provider>;
}

/** A panel says whether it is stale; a panel that goes away stops counting. */
export function useReportStale(id: string, stale: boolean): void {
  const panels = useContext(StaleContext);
  useEffect(() => {
    panels?.report(id, stale);
  }, [panels, id, stale]);
  useEffect(() => () => panels?.report(id, false), [panels, id]);
}

/** Reads the count without re-rendering on each change: for the watchdog, which samples it. */
export function useStaleCounter(): () => number {
  return useContext(StaleContext)?.count ?? none;
}

export function useStaleCount(): number {
  const panels = useContext(StaleContext);
  return useSyncExternalStore(panels?.subscribe ?? noSubscription, panels?.count ?? none, none);
}
