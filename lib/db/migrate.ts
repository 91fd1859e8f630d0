// Applies the migrations at start-up and diffs the schema against them, through the
// WebAssembly schema engine: the native engine the Prisma CLI wants cannot be downloaded
// here, so `prisma migrate` is unavailable. One folder per provider: prisma/migrations
// (SQLite) and prisma/postgres/migrations (PostgreSQL), each diffed from its own schema
// (prisma/postgres/schema.prisma is derived from prisma/schema.prisma, see schema-derive.ts).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import { describeTarget, type DatabaseTarget, type Provider } from "../config";
import { createPrivately, makePrivateDirectories } from "./private-files";
import { createDatabase, dropDatabase, finishedPostgresMigrations, introspectionConfig, scratchDatabaseName } from "./postgres-admin";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaContainer, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };
const LOCKFILE = "migration_lock.toml";

const FOLDERS: Record<Provider, { migrations: string; schema: string }> = {
  sqlite: { migrations: "prisma/migrations", schema: "prisma/schema.prisma" },
  postgresql: { migrations: "prisma/postgres/migrations", schema: "prisma/postgres/schema.prisma" },
};
export const defaultMigrationsDir = (provider: Provider = "sqlite"): string => path.resolve(process.cwd(), FOLDERS[provider].migrations);
export const defaultSchemaFile = (provider: Provider = "sqlite"): string => path.resolve(process.cwd(), FOLDERS[provider].schema);

/** A string is a SQLite file path (the established call); otherwise a parsed DATABASE_URL. */
const asTarget = (target: string | DatabaseTarget): DatabaseTarget => (typeof target === "string" ? { provider: "sqlite", file: target } : target);

/** The adapter factory the schema engine connects through: the same driver adapters the app uses. */
function engineAdapter(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === "sqlite") return new PrismaBetterSqlite3({ url: `file:${target.file}` });
  return new PrismaPg(introspectionConfig(target.url));
}

// The wasm-bindgen glue caches views of the wasm memory in module state, so a second
// instantiation would corrupt it. This file can be evaluated more than once per process
// (vitest isolation, Next dev reloads) while the glue is not, hence a cache on globalThis
// keyed by the glue module itself. The package's own entry point needs
// --experimental-wasm-modules on Node 20, which is why the wasm is instantiated by hand.
const CACHE_KEY = Symbol.for("onescreen.schemaEngineWasm");
function loadWasm(): Promise<void> {
  const store = globalThis as { [CACHE_KEY]?: WeakMap<object, Promise<void>> };
  const cache = (store[CACHE_KEY] ??= new WeakMap());
  let ready = cache.get(glue);
  if (!ready) {
    ready = (async () => {
      const require = createRequire(import.meta.url);
      const glueFile = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
      const bytes = await fs.promises.readFile(path.join(path.dirname(glueFile), "schema_engine_bg.wasm"));
      const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
      glue.__wbg_set_wasm(instance.exports);
      const start = instance.exports.__wbindgen_start;
      if (typeof start === "function") start();
    })();
    cache.set(glue, ready);
  }
  return ready;
}

/**
 * Runs `fn` with a schema engine connected to `target`. The engine never closes the
 * connections it opens (and on SQLite sets `PRAGMA locking_mode=EXCLUSIVE`), so they are
 * tracked and closed here; otherwise the app could not open the file afterwards, and a
 * PostgreSQL pool would keep the process alive.
 */
async function withEngine<T>(
  target: DatabaseTarget,
  schema: SchemaContainer | undefined,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const base = engineAdapter(target);
  const opened: SqlDriverAdapter[] = [];
  const track = async (connection: Promise<SqlDriverAdapter>) => {
    const adapter = await connection;
    opened.push(adapter);
    return adapter;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => track(base.connect()),
    connectToShadowDb: () => track(base.connectToShadowDb()),
  };
  const engine = await glue.SchemaEngine.new(
    { datamodels: schema && [[schema.path, schema.content]] },
    () => {}, // JSON log lines; failures arrive as rejections anyway
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

/** Reads the migrations folder the way the Prisma CLI does (folders sorted by name). */
export async function readMigrations(migrationsDir = defaultMigrationsDir()): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const lockContent = await fs.promises.readFile(path.join(baseDir, LOCKFILE), "utf8").catch(() => null);
  const entries = await fs.promises.readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    folders.map(async (folder) => ({
      path: folder,
      migrationFile: {
        path: "migration.sql",
        content: await fs.promises
          .readFile(path.join(baseDir, folder, "migration.sql"), "utf8")
          .then((value) => ({ tag: "ok" as const, value }))
          .catch((error: unknown) => ({ tag: "error" as const, value: errorMessage(error) })),
      },
    })),
  );
  return { baseDir, lockfile: { path: LOCKFILE, content: lockContent }, shadowDbInitScript: "", migrationDirectories };
}

/**
 * Applies the pending migrations (as `prisma migrate deploy`) and returns their names:
 * to a SQLite file (a string, or a sqlite target) from prisma/migrations, or to a
 * PostgreSQL database from prisma/postgres/migrations.
 */
export async function applyMigrations(
  target: string | DatabaseTarget,
  options: { migrationsDir?: string } = {},
): Promise<{ applied: string[] }> {
  const resolved = asTarget(target);
  const migrationsList = await readMigrations(options.migrationsDir ?? defaultMigrationsDir(resolved.provider));
  const names = migrationsList.migrationDirectories.map((d) => d.path).join(", ") || "(none)";
  const where = describeTarget(resolved);
  try {
    // On SQLite the engine takes an exclusive lock, which fails while another process (the
    // web server) has the file open; a restart with nothing to apply must not need it. On
    // PostgreSQL it spares loading the engine at every start.
    const done = resolved.provider === "sqlite" ? finishedMigrations(resolved.file) : await finishedPostgresMigrations(resolved.url);
    if (migrationsList.migrationDirectories.every((d) => done.has(d.path))) return { applied: [] };
    if (resolved.provider === "sqlite") {
      makePrivateDirectories(path.dirname(path.resolve(resolved.file)));
      createPrivately(resolved.file);
    }
    const result = await withEngine(resolved, undefined, (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTERS }));
    return { applied: result.appliedMigrationNames };
  } catch (error) {
    throw new Error(`Failed to apply migrations [${names}] from ${migrationsList.baseDir} to database ${where}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Names of the migrations recorded as applied in `databaseFile`; empty for a new file. */
function finishedMigrations(databaseFile: string): Set<string> {
  if (!fs.existsSync(databaseFile)) return new Set();
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!table) return new Set();
    const rows = db
      .prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
      .all() as { migration_name: string }[];
    return new Set(rows.map((r) => r.migration_name));
  } finally {
    db.close();
  }
}

/** Where a PostgreSQL diff may create its scratch database when no server is named. */
export const DEFAULT_POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * The SQL of the migration `prisma migrate dev` would create next, i.e. what the
 * migrations lack to match the provider's schema; "" when they are in sync. PostgreSQL
 * needs a server: a scratch database is created on `postgresServer` and dropped after.
 */
export async function diffSchemaToMigrations(options: { migrationsDir?: string; provider?: Provider; postgresServer?: string } = {}): Promise<string> {
  const provider = options.provider ?? "sqlite";
  const migrationsList = await readMigrations(options.migrationsDir ?? defaultMigrationsDir(provider));
  const schemaFile = defaultSchemaFile(provider);
  const schema: SchemaContainer = { path: schemaFile, content: await fs.promises.readFile(schemaFile, "utf8") };
  // Not `from: { tag: "migrations" }`: replaying migrations on the shadow database
  // sends each whole script to executeRaw, which better-sqlite3 rejects as more than
  // one statement. Applying them to a scratch main database (as `migrate deploy`
  // does) and diffing that is equivalent. On SQLite the engine holds one connection,
  // so the in-memory database survives between the two calls.
  const diff = (target: DatabaseTarget) =>
    withEngine(target, schema, async (engine) => {
      await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      const result = await engine.diff({
        from: { tag: "schemaDatasource", files: [schema], configDir: path.dirname(schema.path) },
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      });
      return result.stdout ?? "";
    });
  let sql: string;
  if (provider === "sqlite") sql = await diff({ provider: "sqlite", file: ":memory:" });
  else {
    const server = options.postgresServer ?? DEFAULT_POSTGRES_SERVER;
    const name = scratchDatabaseName("onescreen_diff");
    const url = await createDatabase(server, name);
    try {
      sql = await diff({ provider: "postgresql", url });
    } finally {
      await dropDatabase(server, name);
    }
  }
  if (provider === "postgresql") sql = withoutCoveringKeyRebuilds(sql);
  // In sync, the script is "-- This is an empty migration.", not "".
  return isOnlyComments(sql) ? "" : sql;
}

/**
 * The keys prisma/postgres/migrations/*_covering_keys gave INCLUDE columns, for index-only
 * history scans. Prisma cannot declare INCLUDE and reads the included columns as key
 * columns (prisma/prisma#8547), so its diff always offers to rebuild these keys without
 * them. Exactly that statement is not drift; any other change to these tables still is
 * (a new migration then holds the rebuild too: delete it by hand).
 */
const COVERING_KEYS: Record<string, string> = {
  MetricSample: '"metricId", "entityId", "ts"',
  Rollup1m: '"metricId", "entityId", "bucketTs"',
  Rollup1h: '"metricId", "entityId", "bucketTs"',
};

export function withoutCoveringKeyRebuilds(sql: string): string {
  const rebuilds = new Set(
    Object.entries(COVERING_KEYS).map(([table, key]) => `-- AlterTable\nALTER TABLE "${table}" DROP CONSTRAINT "${table}_pkey",\nADD CONSTRAINT "${table}_pkey" PRIMARY KEY (${key});`),
  );
  return sql
    .split(/\n{2,}/)
    .filter((block) => !rebuilds.has(block.trim()))
    .join("\n\n");
}

function isOnlyComments(sql: string): boolean {
  return sql.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("--"));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
