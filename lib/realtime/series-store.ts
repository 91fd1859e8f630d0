/**
 * Latest values and bounded recent history of every series, keyed by
 * (metric, entity). The side server keeps one to answer snapshots; the browser
 * keeps one per page fed by the snapshot and then by frames. Bounded by the
 * SeriesBuffer limits, so it cannot grow past (series × maxPoints).
 */
import { domainOfMetric, type Domain } from "../catalog/metrics";
import type { TSample, TSeriesHistory, TSnapshot } from "./protocol";
import { SeriesBuffer, type Point, type SeriesBufferLimits } from "./series-buffer";
import { seriesKey } from "./protocol";

interface Series {
  metricId: TSample["metricId"];
  entityId: string;
  /** Null for series whose history is not kept (see keepHistory): latest value only. */
  buffer: SeriesBuffer | null;
  latest: TSample;
}

export class SeriesStore {
  private readonly series = new Map<string, Series>();
  /** Bumped on every change, so a UI can tell cheaply whether to re-render. */
  version = 0;

  constructor(
    private readonly limits: SeriesBufferLimits,
    /** Which entities' history to keep; the rest keep only their latest value. */
    private readonly keepHistory: (entityId: string) => boolean = () => true,
  ) {}

  add(samples: readonly TSample[]): void {
    for (const sample of samples) {
      const key = seriesKey(sample.metricId, sample.entityId);
      let entry = this.series.get(key);
      if (!entry) {
        const buffer = this.keepHistory(sample.entityId) ? new SeriesBuffer(this.limits) : null;
        entry = { metricId: sample.metricId, entityId: sample.entityId, buffer, latest: sample };
        this.series.set(key, entry);
      }
      entry.buffer?.push(sample.ts, sample.value);
      if (sample.ts >= entry.latest.ts) entry.latest = sample;
    }
    if (samples.length > 0) this.version++;
  }

  /** Adds the samples it does not hold yet (a refill from the database) and returns them: what its clients have not seen either. */
  addMissing(samples: readonly TSample[]): TSample[] {
    const missing = samples.filter((sample) => {
      const entry = this.series.get(seriesKey(sample.metricId, sample.entityId));
      return !(entry?.buffer ? entry.buffer.has(sample.ts) : entry?.latest.ts === sample.ts);
    });
    this.add(missing);
    return missing;
  }

  /** Replaces nothing: merges a snapshot in, so points already held are kept and gaps fill. */
  addSnapshot(snapshot: Pick<TSnapshot, "latest" | "history">): void {
    for (const history of snapshot.history) {
      this.add(history.points.map(([ts, value]) => ({ metricId: history.metricId, entityId: history.entityId, ts, value })));
    }
    this.add(snapshot.latest);
  }

  latest(metricId: string, entityId: string): TSample | undefined {
    return this.series.get(seriesKey(metricId, entityId))?.latest;
  }

  points(metricId: string, entityId: string): readonly Point[] {
    return this.series.get(seriesKey(metricId, entityId))?.buffer?.toArray() ?? [];
  }

  /** Newest sample time across the given domains, or undefined before any data. */
  newestTs(domain?: Domain): number | undefined {
    let newest: number | undefined;
    for (const s of this.series.values()) {
      if (domain && domainOfMetric(s.metricId) !== domain) continue;
      if (newest === undefined || s.latest.ts > newest) newest = s.latest.ts;
    }
    return newest;
  }

  /**
   * Forgets what is newer than `ts`: after the source clock went back (a side server restarted at
   * another speed or start, or on a clock set back), points ahead of it would pin every chart's end
   * in the future and make the newest data look brand new.
   */
  dropAfter(ts: number): void {
    let dropped = false;
    for (const [key, s] of this.series) {
      if (s.buffer?.dropAfter(ts)) dropped = true;
      if (s.latest.ts <= ts) continue;
      dropped = true;
      const last = s.buffer?.last();
      if (last) s.latest = { metricId: s.metricId, entityId: s.entityId, ts: last[0], value: last[1] };
      else this.series.delete(key);
    }
    if (dropped) this.version++;
  }

  /** Drops points older than the age limit, for when no data has arrived for a while. */
  trim(now: number): void {
    for (const s of this.series.values()) s.buffer?.trim(now);
  }

  snapshot(options: {
    now: number;
    windowMs: number;
    domains: readonly Domain[];
    /** Which entities' latest values to include. */
    entities: (entityId: string) => boolean;
    historyEntityIds: readonly string[];
  }): Pick<TSnapshot, "latest" | "history"> {
    const latest: TSample[] = [];
    const history: TSeriesHistory[] = [];
    const oldest = options.now - options.windowMs;
    for (const s of this.series.values()) {
      if (!options.domains.includes(domainOfMetric(s.metricId)) || !options.entities(s.entityId)) continue;
      latest.push(s.latest);
      if (!s.buffer || !options.historyEntityIds.includes(s.entityId)) continue;
      const points = s.buffer.toArray().filter(([ts]) => ts >= oldest).map(([ts, value]): [number, number] => [ts, value]);
      history.push({ metricId: s.metricId, entityId: s.entityId, points });
    }
    return { latest, history };
  }
}
