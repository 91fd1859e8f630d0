/**
 * For tests: the persistence contract runs on every provider. Each test file makes its own
 * databases (a temporary SQLite file, or a scratch PostgreSQL database on the server
 * server/test/postgres-setup.ts found) and drops them. PostgreSQL variants skip when that
 * server is not reachable (under CI the run fails instead); the setup says so once for the whole run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import type { DatabaseTarget, Provider } from "../config";
import type { Need } from "../testing/summary";
import { openDatabase, type Database } from "./client";
import { applyMigrations } from "./migrate";
import { createDatabase, dropDatabase, scratchDatabaseName } from "./postgres-admin";

declare module "vitest" {
  export interface ProvidedContext {
    /** TEST_POSTGRES_URL when reachable at the start of the run, else null. */
    postgresServer: string | null;
    /** Why TEST_POSTGRES_URL was not reachable, or null when it was. */
    postgresMissing: string | null;
  }
}

export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];

/** The PostgreSQL server to create test databases on, or null (its variants skip). */
export const postgresServer: string | null = inject("postgresServer") ?? null;

/** For a suite that needs PostgreSQL beyond the contract's variants (server/test/needs.ts). */
export const postgres: Need = { service: "PostgreSQL", missing: inject("postgresMissing") ?? null };

/** True when the tests of `provider` cannot run here (use with describe.skipIf). */
export const unavailable = (provider: Provider): boolean => provider === "postgresql" && postgresServer === null;

export interface TestDatabase {
  target: DatabaseTarget;
  /** Deletes the database (the SQLite file's folder, or DROP DATABASE … WITH (FORCE)). */
  drop(): Promise<void>;
}

/** A new, empty database of `provider`; `label` (lower-case letters) names it for whoever looks. */
export async function createTestDatabase(provider: Provider, label: string): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `onescreen-${label}-`));
    return { target: { provider, file: join(dir, `${label}.db`) }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!postgresServer) throw new Error("PostgreSQL is not reachable (see server/test/postgres-setup.ts)");
  const server = postgresServer;
  const name = scratchDatabaseName(`onescreen_test_${label}`);
  return { target: { provider, url: await createDatabase(server, name) }, drop: () => dropDatabase(server, name) };
}

/** A new database of `provider`, migrated as at start-up and opened; close() disconnects and drops it. */
export async function openTestDatabase(provider: Provider, label: string): Promise<{ db: Database; target: DatabaseTarget; close(): Promise<void> }> {
  const created = await createTestDatabase(provider, label);
  await applyMigrations(created.target);
  const db = await openDatabase(created.target);
  return {
    db,
    target: created.target,
    async close() {
      await db.$disconnect();
      await created.drop();
    },
  };
}
