"use client";

import { useEffect, useState } from "react";
import type { AlertPeriod } from "@/lib/alerts/rules";
import type { HistoryPoint } from "@/lib/history/series";

export interface HistoryQuery {
  metric: string;
  entity: string;
  from: number;
  to: number;
  maxPoints: number;
}

export interface HistoryState {
  status: "idle" | "loading" | "ok" | "error";
  points: HistoryPoint[];
  bucketMs: number;
  /** When alerts on the series were open within the range. */
  alerts: AlertPeriod[];
  message?: string;
}

/** The last answer and the query it answers: while a newer query loads, its points stay on screen. */
interface Answer {
  key: string | null;
  points: HistoryPoint[];
  bucketMs: number;
  alerts: AlertPeriod[];
  message?: string;
}

/**
 * One series from /api/history, refetched whenever the query changes (callers quantise
 * `to` so that is about once a minute, not every second). The previous points stay
 * on screen while the next answer loads; a superseded request is aborted.
 */
export function useHistory(query: HistoryQuery | null): HistoryState {
  const [answer, setAnswer] = useState<Answer>({ key: null, points: [], bucketMs: 1_000, alerts: [] });
  const key = query ? `${query.metric}|${query.entity}|${query.from}|${query.to}|${query.maxPoints}` : null;
  useEffect(() => {
    if (key === null) return;
    const [metric = "", entity = "", from = "", to = "", maxPoints = ""] = key.split("|");
    const controller = new AbortController();
    const params = new URLSearchParams({ metric, entity, from, to, maxPoints });
    fetch(`/api/history?${params}`, { signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json()) as { points?: HistoryPoint[]; bucketMs?: number; alerts?: AlertPeriod[]; error?: string };
        if (!response.ok || !body.points) throw new Error(body.error ?? `HTTP ${response.status}`);
        setAnswer({ key, points: body.points, bucketMs: body.bucketMs ?? 1_000, alerts: body.alerts ?? [] });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setAnswer((a) => ({ ...a, key, message: error instanceof Error ? error.message : String(error) }));
      });
    return () => controller.abort();
  }, [key]);
  if (key === null) return { status: "idle", points: [], bucketMs: 1_000, alerts: [] };
  const status = answer.key !== key ? "loading" : answer.message !== undefined ? "error" : "ok";
  return { status, points: answer.points, bucketMs: answer.bucketMs, alerts: answer.alerts, message: answer.message };
}
