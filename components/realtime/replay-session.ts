/**
 * One replay of the wall: fetches the window from /api/replay (and its alerts from
 * /api/replay/alerts) a couple of minutes of playback ahead, and releases samples into
 * its own store as the replayed time reaches them; the alerts shown are those open at
 * the replayed instant. The live store and the live alerts keep updating meanwhile, so
 * leaving replay is instant and loses nothing.
 */
import { CITY_ID, METRICS, metricsOf, type Domain } from "@/lib/catalog";
import { reportingIntervalMs } from "@/lib/history/series";
import { clockNow, type TAlert, type TClock, type TSample } from "@/lib/realtime/protocol";
import { ReplayAlerts, ReplayQueue, ZReplayAlertsAnswer, ZReplayAnswer, replayClock, replayStepMs, samplesOf, type ReplayRequest, type TReplayAlert } from "@/lib/realtime/replay";
import { SeriesStore } from "@/lib/realtime/series-store";

export type ReplayStatus = "loading" | "playing" | "ended" | "error";

/** In replay steps (one per real second): the trend window, how far ahead to fetch, and how much at once. */
const WINDOW_STEPS = 15 * 60;
const AHEAD_STEPS = 60;
const CHUNK_STEPS = 120;

export class ReplaySession {
  readonly store: SeriesStore;
  readonly windowMs: number;
  clock: TClock;
  status: ReplayStatus = "loading";
  error: string | null = null;
  private readonly queue: ReplayQueue;
  private readonly alertHistory = new ReplayAlerts();
  private fetching = false;
  private readonly abort = new AbortController();

  constructor(
    readonly request: ReplayRequest,
    private readonly onChange: () => void,
  ) {
    this.windowMs = WINDOW_STEPS * replayStepMs(request.speed);
    this.store = new SeriesStore({ maxPoints: WINDOW_STEPS + 60, maxAgeMs: this.windowMs });
    this.queue = new ReplayQueue(request.from, request.to);
    this.clock = replayClock(request.from, request.speed, Date.now());
  }

  /** The replayed time: `from` until playback starts, then within [from, to]. */
  now(realNow: number): number {
    if (this.status === "loading" || this.status === "error") return this.request.from;
    // realNow is the wall's last tick, which may precede the moment playback started.
    return Math.min(this.request.to, Math.max(this.request.from, clockNow(this.clock, realNow)));
  }

  /** The alerts open at the replayed instant, from stored alert history: never a live one. */
  alerts(realNow: number): TAlert[] {
    return this.alertHistory.at(this.now(realNow));
  }

  /**
   * How often the recording reports (source-clock ms), as the city's series of the domain
   * show: a recording made once a minute is not stale between its minutes.
   */
  recordedIntervalMs(domain?: Domain): number {
    const metric = (domain ? metricsOf(domain) : METRICS)[0]!;
    return reportingIntervalMs(this.store.points(metric.id, CITY_ID), replayStepMs(this.request.speed));
  }

  /** Loads the trend window before `from` and the first minutes, then starts the clock. */
  async start(): Promise<void> {
    const { from, speed } = this.request;
    try {
      const [before] = await Promise.all([this.fetch(from - this.windowMs, from, CITY_ID), this.fetchAhead(from)]);
      this.store.add(before);
      this.clock = replayClock(from, speed, Date.now());
      this.status = "playing";
      this.tick(Date.now());
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.status = "error";
      this.error = error instanceof Error ? error.message : String(error);
    }
    this.onChange();
  }

  /** Releases what the replayed time has reached and keeps the fetch ahead of it. */
  tick(realNow: number): void {
    if (this.status !== "playing") return;
    const now = this.now(realNow);
    this.store.add(this.queue.release(now));
    this.store.trim(now);
    this.alertHistory.prune(now);
    if (now >= this.request.to && this.queue.size === 0) this.status = "ended";
    void this.fetchAhead(now).catch(() => undefined); // retried at the next tick; late data shows as stale panels
  }

  stop(): void {
    this.abort.abort();
  }

  private async fetchAhead(now: number): Promise<void> {
    const step = replayStepMs(this.request.speed);
    const next = this.queue.nextFetch(now, AHEAD_STEPS * step, CHUNK_STEPS * step);
    if (!next || this.fetching) return;
    this.fetching = true;
    try {
      // A chunk's samples and alerts are taken together: the replayed time never reaches samples whose alerts are unknown.
      const [samples, alerts] = await Promise.all([this.fetch(next.from, next.to), this.fetchAlerts(next.from, next.to)]);
      this.alertHistory.accept(alerts);
      this.queue.accept(samples, next.to);
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.fetching = false;
    }
  }

  private async fetch(from: number, to: number, entity?: string): Promise<TSample[]> {
    return samplesOf(ZReplayAnswer.parse(await this.get("/api/replay", { from: String(from), to: String(to), speed: String(this.request.speed), ...(entity ? { entity } : {}) })));
  }

  private async fetchAlerts(from: number, to: number): Promise<TReplayAlert[]> {
    return ZReplayAlertsAnswer.parse(await this.get("/api/replay/alerts", { from: String(from), to: String(to) })).alerts;
  }

  private async get(path: string, query: Record<string, string>): Promise<unknown> {
    const response = await fetch(`${path}?${new URLSearchParams(query)}`, { signal: this.abort.signal });
    const body: unknown = await response.json();
    if (!response.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
    return body;
  }
}
