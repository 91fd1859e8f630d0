/**
 * Replay: the whole wall played through a past window at 1×, 10× or 60×. Pure
 * parts: which stored resolution feeds a speed, the replay clock, and the queue
 * that holds fetched samples until the replayed time reaches them.
 */
import { shenzhenIso } from "../shenzhen-time";
import { RESOLUTION_MS, type QueryPlan, type Resolution, type Retention } from "../history/plan";
import * as z from "zod/mini";
import { worstKept } from "../alerts/feed";
import { MAX_WIRE_ALERTS, ZAlert, ZSeriesHistory, type TAlert, type TClock, type TSample } from "./protocol";

export const REPLAY_SPEEDS = [1, 10, 60] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

/** Replay shows one point per series per real second, like the live wall. */
export function replayStepMs(speed: number): number {
  return 1_000 * speed;
}

/**
 * The coarsest stored resolution no coarser than one replay step, among those still
 * retained at `from` (60× reads minute rollups instead of 60 raw samples per step).
 */
export function planReplay(q: { from: number; speed: number; now: number; retention: Retention }): QueryPlan {
  const wanted = replayStepMs(q.speed);
  let resolution: Resolution = "raw";
  if (wanted >= RESOLUTION_MS["1h"] || q.from < q.now - q.retention.minuteMs) resolution = "1h";
  else if (wanted >= RESOLUTION_MS["1m"] || q.from < q.now - q.retention.rawMs) resolution = "1m";
  const step = RESOLUTION_MS[resolution];
  return { resolution, bucketMs: Math.ceil(wanted / step) * step };
}

/** The replayed time runs from `from` at `speed` from the real moment playback starts. */
export function replayClock(from: number, speed: number, realStart: number): TClock {
  return { speed, realOrigin: realStart, simOrigin: from };
}

/**
 * Fetched samples waiting for the replayed time to reach them, oldest first, and
 * how far the window has been fetched. Bounded by what the caller fetches ahead.
 */
export class ReplayQueue {
  private pending: TSample[] = [];
  /** Everything before this has been fetched (and queued or released). */
  fetchedTo: number;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    this.fetchedTo = from;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Queues the samples of the fetched interval [fetchedTo, upTo). */
  accept(samples: readonly TSample[], upTo: number): void {
    this.pending.push(...samples);
    this.pending.sort((a, b) => a.ts - b.ts);
    this.fetchedTo = Math.max(this.fetchedTo, Math.min(upTo, this.to));
  }

  /** Removes and returns every queued sample at or before `now`. */
  release(now: number): TSample[] {
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.ts <= now) n++;
    return this.pending.splice(0, n);
  }

  /** The next interval to fetch when less than `aheadMs` is fetched beyond `now`; null when enough is, or all of it. */
  nextFetch(now: number, aheadMs: number, chunkMs: number): { from: number; to: number } | null {
    if (this.fetchedTo >= this.to || this.fetchedTo - now >= aheadMs) return null;
    return { from: this.fetchedTo, to: Math.min(this.to, this.fetchedTo + chunkMs) };
  }
}

/** What /api/replay answers: one series per (metric, entity), a point per step. */
export const ZReplayAnswer = z.object({ stepMs: z.number(), series: z.array(ZSeriesHistory) });

export function samplesOf(answer: z.infer<typeof ZReplayAnswer>): TSample[] {
  return answer.series.flatMap((s) => s.points.map(([ts, value]) => ({ metricId: s.metricId, entityId: s.entityId, ts, value })));
}

/** A stored alert for a replay: as the wall received it, and when it was resolved (null: not yet). */
export const ZReplayAlert = z.extend(ZAlert, { resolvedTs: z.nullable(z.number()) });
export type TReplayAlert = z.infer<typeof ZReplayAlert>;

/** What /api/replay/alerts answers: the alerts open at some instant of [from, to), newest first. */
export const ZReplayAlertsAnswer = z.object({ alerts: z.array(ZReplayAlert) });

/** Most alerts one /api/replay/alerts answer holds (the newest opened), a storm's worth per fetched chunk. */
export const MAX_REPLAY_ALERTS = 1_000;

/**
 * The alert history a replay has fetched, played at the replayed clock: at any instant the
 * alerts open then (opened, not yet resolved), acknowledged only once they had been, newest
 * first as the live list is. Alerts that ended before the replayed time are dropped: the
 * clock only moves forward, so what it holds is bounded by what the prefetch reaches.
 */
/** Code-unit order, as the database sorts ids (not the locale's). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class ReplayAlerts {
  private readonly byId = new Map<string, { alert: TAlert; resolvedTs: number | null }>();
  private cached: { now: number; version: number; alerts: TAlert[] } | null = null;
  private version = 0;

  get size(): number {
    return this.byId.size;
  }

  accept(alerts: readonly TReplayAlert[]): void {
    for (const { resolvedTs, ...alert } of alerts) this.byId.set(alert.id, { alert, resolvedTs });
    if (alerts.length > 0) this.version++;
  }

  /** The alerts open at `now`, as the wall showed them then (asked many times per frame, so remembered). */
  at(now: number): TAlert[] {
    if (this.cached?.now === now && this.cached.version === this.version) return this.cached.alerts;
    const open = [...this.byId.values()]
      .filter(({ alert, resolvedTs }) => alert.openedTs <= now && (resolvedTs === null || resolvedTs > now))
      .map(({ alert }): TAlert => ({ ...alert, acknowledged: alert.acknowledged && alert.acknowledged.at <= now ? alert.acknowledged : null }))
      .sort((a, b) => b.openedTs - a.openedTs || byText(a.entityId, b.entityId) || byText(a.id, b.id));
    const shown = worstKept(open, MAX_WIRE_ALERTS);
    this.cached = { now, version: this.version, alerts: shown };
    return shown;
  }

  /** Forgets the alerts resolved at or before `now`. */
  prune(now: number): void {
    let dropped = false;
    for (const [id, { resolvedTs }] of this.byId) {
      if (resolvedTs !== null && resolvedTs <= now) dropped = this.byId.delete(id) || dropped;
    }
    if (dropped) this.version++;
  }
}

export interface ReplayRequest {
  from: number;
  to: number;
  speed: ReplaySpeed;
}

/** A replay in the URL (`?replay=<start>&until=<end>&speed=10`), so a pasted link opens the same replay. */
export function replayFromUrl(params: URLSearchParams): ReplayRequest | null {
  const from = Date.parse(params.get("replay") ?? "");
  const to = Date.parse(params.get("until") ?? "");
  const speed = Number(params.get("speed") ?? "1");
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return null;
  if (!(REPLAY_SPEEDS as readonly number[]).includes(speed)) return null;
  return { from, to, speed: speed as ReplaySpeed };
}

/** The URL parameters of a replay, times in Shenzhen time to stay readable in a chat message. */
export function replayToUrl(params: URLSearchParams, replay: ReplayRequest | null): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of ["replay", "until", "speed"]) next.delete(key);
  if (replay) {
    next.set("replay", shenzhenIso(replay.from));
    next.set("until", shenzhenIso(replay.to));
    next.set("speed", String(replay.speed));
  }
  return next;
}
