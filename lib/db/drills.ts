/** Drills as persisted: a restart keeps a running drill, and history can tell drill samples apart. */
import type { ActiveDrill, ScenarioId } from "../sim/scenarios";
import type { Database } from "./client";

export async function saveDrill(db: Database, drill: ActiveDrill, startedBy: string): Promise<void> {
  await db.drill.create({
    data: { id: drill.id, scenarioId: drill.scenarioId, startTs: new Date(drill.startMs), endTs: new Date(drill.endMs), startedBy },
  });
}

export async function stopDrill(db: Database, id: string, atMs: number): Promise<void> {
  await db.drill.update({ where: { id }, data: { stoppedTs: new Date(atMs), endTs: new Date(atMs) } });
}

/** Drills not yet over at `simNowMs`. */
export async function openDrills(db: Database, simNowMs: number): Promise<ActiveDrill[]> {
  const rows = await db.drill.findMany({ where: { endTs: { gt: new Date(simNowMs) }, stoppedTs: null }, orderBy: { startTs: "asc" } });
  return rows.map((r) => ({ id: r.id, scenarioId: r.scenarioId as ScenarioId, startMs: r.startTs.getTime(), endMs: r.endTs.getTime() }));
}

/** Drills running at some instant of [from, to), oldest first, at most `limit` (a shift handover lists them). */
export async function drillsOverlapping(db: Database, q: { from: number; to: number; limit: number }) {
  const rows = await db.drill.findMany({ where: { startTs: { lt: new Date(q.to) }, endTs: { gt: new Date(q.from) } }, orderBy: [{ startTs: "asc" }, { id: "asc" }], take: q.limit });
  return rows.map((r) => ({ id: r.id, scenarioId: r.scenarioId, startMs: r.startTs.getTime(), endMs: r.endTs.getTime(), stopped: r.stoppedTs !== null, startedBy: r.startedBy }));
}
