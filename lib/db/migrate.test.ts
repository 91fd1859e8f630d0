import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, diffSchemaToMigrations, withoutCoveringKeyRebuilds } from "./migrate";
import { withPgClient } from "./postgres-admin";
import { POSTGRES_SCHEMA_FILE, derivePostgresSchema } from "./schema-derive";
import { createTestDatabase, postgresServer, unavailable } from "./test-databases";

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

describe("withoutCoveringKeyRebuilds", () => {
  const rebuild = (table: string, key: string) => `-- AlterTable\nALTER TABLE "${table}" DROP CONSTRAINT "${table}_pkey",\nADD CONSTRAINT "${table}_pkey" PRIMARY KEY (${key});`;
  const addColumn = `-- AlterTable\nALTER TABLE "Entity" ADD COLUMN "note" TEXT;`;

  it("drops only Prisma's offer to rebuild a covering key without its INCLUDE columns", () => {
    const diff = [rebuild("MetricSample", '"metricId", "entityId", "ts"'), addColumn, rebuild("Rollup1m", '"metricId", "entityId", "bucketTs"')].join("\n\n") + "\n";
    expect(withoutCoveringKeyRebuilds(diff).trim()).toBe(addColumn);
  });

  it("keeps a key change that is not that rebuild: it is drift", () => {
    const otherKey = rebuild("MetricSample", '"metricId", "ts"');
    const otherTable = rebuild("Entity", '"id", "kind"');
    expect(withoutCoveringKeyRebuilds(`${otherKey}\n\n${otherTable}`)).toBe(`${otherKey}\n\n${otherTable}`);
  });
});

describe("the PostgreSQL schema", () => {
  it("is prisma/schema.prisma with only the provider and the client's output changed, and the committed copy is not stale", () => {
    const source = fs.readFileSync("prisma/schema.prisma", "utf8");
    const derived = derivePostgresSchema(source);
    expect(fs.readFileSync(POSTGRES_SCHEMA_FILE, "utf8"), "run `npm run db:schema` and commit prisma/postgres/schema.prisma").toBe(derived);
    const changed = derived.split("\n").filter((line) => !line.startsWith("//") && !source.split("\n").includes(line));
    expect(changed.map((l) => l.trim())).toEqual(['output   = "../../lib/generated/prisma-postgres"', 'provider = "postgresql"']);
  });

  it("refuses a source it does not recognise rather than derive something else", () => {
    expect(() => derivePostgresSchema('datasource db {\n  provider = "mysql"\n}')).toThrow(/expected one datasource/);
  });
});

const POSTGRES_COMMITTED = fs
  .readdirSync(path.resolve("prisma/postgres/migrations"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

// Needs no server (nothing listens on port 1), so it runs where the variants below skip.
describe("migrations on an unreachable postgresql", () => {
  it("rejects naming the server, without its password, when PostgreSQL cannot be reached", async () => {
    const url = "postgresql://onescreen:s3cret@127.0.0.1:1/onescreen";
    const error = await applyMigrations({ provider: "postgresql", url }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("postgresql://onescreen:***@127.0.0.1:1/onescreen");
    expect((error as Error).message).not.toContain("s3cret");
  });
});

describe.skipIf(unavailable("postgresql"))("migrations on postgresql", () => {
  it("applies prisma/postgres/migrations in order to a new database (MetricSample partitioned by day), then nothing the second time, keeping the data", async () => {
    const created = await createTestDatabase("postgresql", "migrate");
    try {
      if (created.target.provider !== "postgresql") throw new Error("unreachable");
      const url = created.target.url;
      const { applied } = await applyMigrations(created.target);
      expect(applied).toEqual(POSTGRES_COMMITTED);
      expect(applied[0]).toMatch(/^\d{14}_init$/);
      expect(applied).toContainEqual(expect.stringMatching(/^\d{14}_daily_partitions$/));
      expect(applied).toContainEqual(expect.stringMatching(/^\d{14}_covering_keys$/));
      await withPgClient(url, async (client) => {
        const kinds = await client.query<{ relname: string; relkind: string }>(
          `SELECT relname::text, relkind::text FROM pg_class WHERE relname IN ('Entity', 'MetricSample', 'Rollup1m', '_prisma_migrations') ORDER BY relname`,
        );
        expect(kinds.rows).toEqual([
          { relname: "Entity", relkind: "r" },
          { relname: "MetricSample", relkind: "p" },
          { relname: "Rollup1m", relkind: "r" },
          { relname: "_prisma_migrations", relkind: "r" },
        ]);
        await client.query(`INSERT INTO "Entity" (id, kind, "nameZh", "nameEn") VALUES ('city', 'city', '城市', 'City')`);
      });
      expect(await applyMigrations(created.target)).toEqual({ applied: [] });
      await withPgClient(url, async (client) => {
        expect((await client.query(`SELECT id, "nameEn" FROM "Entity"`)).rows).toEqual([{ id: "city", nameEn: "City" }]);
        expect((await client.query(`SELECT migration_name FROM _prisma_migrations`)).rows).toHaveLength(POSTGRES_COMMITTED.length);
      });
    } finally {
      await created.drop();
    }
  });

  it("finds the committed migrations in sync with prisma/postgres/schema.prisma, the hand-written partitioning included", async () => {
    expect(await diffSchemaToMigrations({ provider: "postgresql", postgresServer: postgresServer! })).toBe("");
  });

  it("lets `migration-new --check --provider postgresql` pass", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/migration-new.ts", "--check", "--provider", "postgresql", "--server", postgresServer!], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("schema and migrations are in sync (postgresql)");
    expect(run.status).toBe(0);
  });

  it("returns the whole schema when there are no migrations", async () => {
    const sql = await diffSchemaToMigrations({ provider: "postgresql", postgresServer: postgresServer!, migrationsDir: path.join(tmp, "no-pg-migrations") });
    expect(sql).toContain('CREATE TABLE "MetricSample"');
    expect(sql).toContain('"ts" TIMESTAMP(3) NOT NULL');
    expect(sql).toContain('CREATE INDEX "MetricSample_ts_idx" ON "MetricSample"("ts")');
  });
});
