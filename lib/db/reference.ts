/** Reference figures and entities: seeded idempotently, read by the web app. */
import { ENTITIES } from "../catalog/entities";
import { REFERENCE_FIGURES, type FigureKind, type ReferenceFigure } from "../reference/figures";
import type { Database } from "./client";

/** Upserts by stable id, so a restart neither duplicates nor leaves stale text. */
export async function seedReferenceData(db: Database): Promise<void> {
  await db.$transaction([
    ...ENTITIES.map((e) => db.entity.upsert({ where: { id: e.id }, create: e, update: e })),
    ...REFERENCE_FIGURES.map((f) => db.referenceFigure.upsert({ where: { id: f.id }, create: f, update: f })),
  ]);
}

export async function referenceFigures(db: Database, series?: readonly string[]): Promise<ReferenceFigure[]> {
  const rows = await db.referenceFigure.findMany({
    where: series ? { series: { in: [...series] } } : undefined,
    orderBy: [{ series: "asc" }, { year: "asc" }],
  });
  return rows.map((r) => ({ ...r, kind: r.kind as FigureKind }));
}
