/** Test support for the simulator's tests (not used by the product). */
import type { EntityDefinition, MetricId } from "../catalog";
import type { TSample } from "../realtime/protocol";

/** One instant of the stream, indexed by (metric, entity). */
export class Tick {
  private readonly byKey = new Map<string, number>();

  constructor(readonly samples: readonly TSample[]) {
    for (const s of samples) this.byKey.set(`${s.metricId}|${s.entityId}`, s.value);
  }

  get(metricId: MetricId, entityId: string): number | undefined {
    return this.byKey.get(`${metricId}|${entityId}`);
  }

  value(metricId: MetricId, entityId: string): number {
    const v = this.get(metricId, entityId);
    if (v === undefined) throw new Error(`no sample for ${metricId} @ ${entityId}`);
    return v;
  }

  /** The values reported by those of `entities` that reported `metricId` this tick. */
  reported(metricId: MetricId, entities: readonly EntityDefinition[]): { entity: EntityDefinition; value: number }[] {
    return entities.flatMap((entity) => {
      const value = this.get(metricId, entity.id);
      return value === undefined ? [] : [{ entity, value }];
    });
  }
}
