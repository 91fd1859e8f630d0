/**
 * What operators decide about incidents (lib/alerts/incidents.ts), as persisted: merging
 * incidents moves their alerts into the oldest one, splitting moves some alerts into an
 * incident of their own, closing records who closed it. Each is one transaction, refused
 * whole with a reason naming the field.
 */
import type { Database } from "./client";

export type IncidentChange =
  | { kind: "merge"; incidentIds: string[] }
  | { kind: "split"; incidentId: string; alertIds: string[] }
  | { kind: "close"; incidentId: string; comment: string | null };

export interface IncidentClosure {
  at: number;
  by: string;
  comment: string | null;
}

/** Refused: no such incident or alert (404), or not possible as things are (409). */
export type IncidentRefusal = { status: 404 | 409; error: string };

/** The closures of incidents closed since `fromMs` (an older incident gains no alerts: its window is long past). */
export async function incidentClosures(db: Database, fromMs: number): Promise<Map<string, IncidentClosure>> {
  const rows = await db.incidentClosure.findMany({ where: { closedTs: { gte: new Date(fromMs) } }, orderBy: { closedTs: "desc" }, take: 10_000 });
  return new Map(rows.map((r) => [r.incidentId, { at: r.closedTs.getTime(), by: r.closedBy, comment: r.comment }]));
}

/** Applies one operator's change; the incident the change leaves (merged into, split off, closed) or why not. */
export async function changeIncident(db: Database, change: IncidentChange, by: string, atMs: number): Promise<{ ok: true; incidentId: string } | ({ ok: false } & IncidentRefusal)> {
  return db.$transaction(async (tx) => {
    const ids = change.kind === "merge" ? change.incidentIds : [change.incidentId];
    const members = await tx.alert.findMany({ where: { incidentId: { in: ids } }, select: { id: true, incidentId: true, openedTs: true } });
    const missing = ids.filter((id) => !members.some((m) => m.incidentId === id));
    const field = change.kind === "merge" ? "incidentIds" : "incidentId";
    if (missing.length > 0) return { ok: false as const, status: 404 as const, error: `${field}: no incident ${missing.join(", ")}` };
    const closed = (await tx.incidentClosure.findMany({ where: { incidentId: { in: ids } }, select: { incidentId: true } })).map((c) => c.incidentId);
    if (closed.length > 0) return { ok: false as const, status: 409 as const, error: `${field}: incident ${closed.join(", ")} is closed` };

    if (change.kind === "close") {
      await tx.incidentClosure.create({ data: { incidentId: change.incidentId, closedTs: new Date(atMs), closedBy: by, comment: change.comment } });
      return { ok: true as const, incidentId: change.incidentId };
    }
    if (change.kind === "merge") {
      // Into the incident that began first: the event's story starts there.
      const first = members.toSorted((a, b) => a.openedTs.getTime() - b.openedTs.getTime() || a.id.localeCompare(b.id))[0]!.incidentId!;
      await tx.alert.updateMany({ where: { incidentId: { in: ids.filter((id) => id !== first) } }, data: { incidentId: first } });
      return { ok: true as const, incidentId: first };
    }
    const moving = members.filter((m) => change.alertIds.includes(m.id)).toSorted((a, b) => a.openedTs.getTime() - b.openedTs.getTime() || a.id.localeCompare(b.id));
    const strangers = change.alertIds.filter((id) => !moving.some((m) => m.id === id));
    if (strangers.length > 0) return { ok: false as const, status: 404 as const, error: `alertIds: ${strangers.join(", ")} not in incident ${change.incidentId}` };
    if (moving.length === members.length) return { ok: false as const, status: 409 as const, error: "alertIds: must leave at least one alert in the incident" };
    const split = `incident-${moving[0]!.id}`;
    await tx.alert.updateMany({ where: { id: { in: change.alertIds } }, data: { incidentId: split } });
    return { ok: true as const, incidentId: split };
  });
}
