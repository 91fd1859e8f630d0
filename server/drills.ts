/**
 * The drills running in the simulated city: started and stopped by a trainer,
 * persisted so a restart keeps them, handed to the simulator every tick, and
 * announced to every client whenever the set changes.
 */
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { openDrills, saveDrill, stopDrill } from "@/lib/db/drills";
import type { TDrill } from "@/lib/realtime/protocol";
import { SCENARIOS, type ActiveDrill, type ScenarioId } from "@/lib/sim/scenarios";

export interface DrillDeps {
  db: Database;
  /** Current simulated time. */
  simNow(): number;
  announce(drills: TDrill[]): void;
}

export function toWire(drill: ActiveDrill): TDrill {
  return { id: drill.id, scenarioId: drill.scenarioId, name: SCENARIOS[drill.scenarioId].name, startTs: drill.startMs, endTs: drill.endMs };
}

export async function createDrills(deps: DrillDeps) {
  let drills: ActiveDrill[] = await openDrills(deps.db, deps.simNow());
  const announce = () => deps.announce(drills.map(toWire));

  return {
    /** Drills not yet over, oldest first. */
    list: (): readonly ActiveDrill[] => drills,

    /** The drills running at `simMs`, and forgets (and announces) those that ended. */
    runningAt(simMs: number): ActiveDrill[] {
      const before = drills.length;
      drills = drills.filter((d) => d.endMs > simMs);
      if (drills.length !== before) announce();
      return drills.filter((d) => d.startMs <= simMs);
    },

    async start(scenarioId: ScenarioId, minutes: number, startedBy: string): Promise<ActiveDrill> {
      const startMs = deps.simNow();
      const drill: ActiveDrill = { id: randomUUID(), scenarioId, startMs, endMs: startMs + minutes * 60_000 };
      await saveDrill(deps.db, drill, startedBy);
      drills = [...drills, drill];
      announce();
      return drill;
    },

    /** Reads them again from the database: another side server of the cluster started or stopped one. */
    async reload(): Promise<void> {
      drills = await openDrills(deps.db, deps.simNow());
    },

    /** Ends a drill now; false when no such drill is running. */
    async stop(id: string): Promise<boolean> {
      if (!drills.some((d) => d.id === id)) return false;
      await stopDrill(deps.db, id, deps.simNow());
      drills = drills.filter((d) => d.id !== id);
      announce();
      return true;
    },
  };
}

export type Drills = Awaited<ReturnType<typeof createDrills>>;
