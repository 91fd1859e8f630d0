import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, diffSchemaToMigrations } from "./migrate";

/** The committed migrations, oldest first: their folder names start with a UTC timestamp. */
const COMMITTED = fs
  .readdirSync(path.resolve("prisma/migrations"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "onescreen-migrate-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function query<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe("applyMigrations", () => {
  // Under a folder that does not exist yet, to cover creating it.
  const file = path.join(tmp, "nested", "onescreen.db");

  it("creates the tables on a fresh file and records every committed migration, init first, in order", async () => {
    expect(COMMITTED.length).toBeGreaterThanOrEqual(2);
    for (const name of COMMITTED) expect(name).toMatch(/^\d{14}_\w+$/);
    const { applied } = await applyMigrations(file);
    expect(applied).toEqual(COMMITTED);
    expect(applied[0]).toMatch(/^\d{14}_init$/);

    const tables = query<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'table'").map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(["Entity", "MetricSample", "ReferenceFigure", "Drill", "_prisma_migrations"]));

    const rows = query<{ migration_name: string; finished_at: unknown }>(
      file,
      "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows).toEqual(applied.map((name) => ({ migration_name: name, finished_at: expect.anything() })));
  });

  it("applies nothing the second time and keeps the data", async () => {
    const db = new Database(file);
    db.prepare(`INSERT INTO "Entity" (id, kind, nameZh, nameEn) VALUES ('city', 'city', '城市', 'City')`).run();
    db.close();

    expect(await applyMigrations(file)).toEqual({ applied: [] });
    expect(query(file, `SELECT id, nameEn FROM "Entity"`)).toEqual([{ id: "city", nameEn: "City" }]);
    expect(query(file, "SELECT migration_name FROM _prisma_migrations")).toHaveLength(COMMITTED.length);
  });

  it("rejects with the database path when it cannot be created", async () => {
    const bad = "/proc/nope/x.db";
    await expect(applyMigrations(bad)).rejects.toThrow(bad);
  });
});

describe("diffSchemaToMigrations", () => {
  it("finds the committed migrations in sync with prisma/schema.prisma", async () => {
    expect(await diffSchemaToMigrations()).toBe("");
  });

  it("lets `migration-new --check` pass for the committed migrations", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/migration-new.ts", "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("schema and migrations are in sync");
    expect(run.status).toBe(0);
  });

  it("returns the whole schema when there are no migrations", async () => {
    const sql = await diffSchemaToMigrations({ migrationsDir: path.join(tmp, "no-migrations") });
    expect(sql).toContain('CREATE TABLE "MetricSample"');
    expect(sql).toContain('PRIMARY KEY ("metricId", "entityId", "ts")');
    expect(sql).toContain('CREATE INDEX "MetricSample_ts_idx" ON "MetricSample"("ts")');
  });
});
