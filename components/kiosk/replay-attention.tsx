"use client";

/**
 * What a kiosk holds on during a replay: the replayed alerts' attention, never a live
 * alert's. The wall reports it here while it replays (null otherwise: then the kiosk asks
 * the web server about the live alerts). A plain holder, read when the rotation turns.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { attentionOf } from "@/lib/alerts/attention";
import { useLive } from "../realtime/LiveProvider";

class ReplayAttention {
  /** During a replay: whether a replayed critical alert nobody had acknowledged is open; null when not replaying. */
  critical: boolean | null = null;

  report(critical: boolean | null): void {
    this.critical = critical;
  }
}

const NOT_REPLAYING = new ReplayAttention();
const ReplayAttentionContext = createContext<ReplayAttention | null>(null);

export function ReplayAttentionProvider({ children }: { children: ReactNode }) {
  const [holder] = useState(() => new ReplayAttention());
  return <ReplayAttentionContext.Provider value={holder}>{children}</ReplayAttentionContext.Provider>;
}

export function useReplayAttention(): ReplayAttention {
  return useContext(ReplayAttentionContext) ?? NOT_REPLAYING;
}

/** Rendered inside the wall: reports the replayed attention while a replay runs. */
export function ReportReplayAttention() {
  const live = useLive();
  const holder = useContext(ReplayAttentionContext);
  const critical = live.replay ? attentionOf(live.alerts) !== null : null;
  useEffect(() => {
    holder?.report(critical);
    return () => holder?.report(null);
  }, [holder, critical]);
  return null;
}
