/** Reference figures and entities: seeded idempotently, read by the web app. */
import { ENTITIES } from "../catalog/city";
import { REFERENCE_FIGURES, type FigureKind, type ReferenceFigure } from "../reference/figures";
import type { Database } from "./client";
import { dialectOf } from "./dialect";

const ENTITY_COLUMNS = ["id", "kind", "nameZh", "nameEn", "districtId", "capacity", "profile", "lon", "lat"] as const;
const ENTITY_ROWS_PER_STATEMENT = 500;

/**
 * Upserts by stable id, so a restart neither duplicates nor leaves stale text. The
 * 1,500 entities go in as multi-row upserts: one typed upsert each costs seconds.
 */
export async function seedReferenceData(db: Database): Promise<void> {
  const d = dialectOf(db);
  const columns = ENTITY_COLUMNS.map((c) => `"${c}"`).join(",");
  const updates = ENTITY_COLUMNS.filter((c) => c !== "id").map((c) => `"${c}" = excluded."${c}"`).join(",");
  const statements = [];
  for (let i = 0; i < ENTITIES.length; i += ENTITY_ROWS_PER_STATEMENT) {
    const chunk = ENTITIES.slice(i, i + ENTITY_ROWS_PER_STATEMENT);
    const placeholders = chunk.map(() => `(${ENTITY_COLUMNS.map(() => "?").join(",")})`).join(",");
    const params = chunk.flatMap((e) => ENTITY_COLUMNS.map((c) => e[c]));
    statements.push(db.$executeRawUnsafe(d.sql(`INSERT INTO "Entity" (${columns}) VALUES ${placeholders} ON CONFLICT("id") DO UPDATE SET ${updates}`), ...params));
  }
  await db.$transaction([
    ...statements,
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
