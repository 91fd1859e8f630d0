/**
 * vitest globalSetup: is the PostgreSQL of TEST_POSTGRES_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres) reachable? Asked once per run, so the
 * suite says it in one line when it is not, and the PostgreSQL variants of the persistence
 * contract tests skip (lib/db/test-databases.ts). CI has PostgreSQL; a laptop may not.
 */
import type { TestProject } from "vitest/node";
import { ZTestEnv, describeTarget, parseEnv } from "@/lib/config";
import { withPgClient } from "@/lib/db/postgres-admin";

export default async function setup(project: TestProject): Promise<void> {
  const { TEST_POSTGRES_URL: url } = parseEnv(ZTestEnv, process.env);
  try {
    await withPgClient(url, (client) => client.query("SELECT 1"), 2_000);
    project.provide("postgresServer", url);
  } catch (error) {
    console.warn(`PostgreSQL not reachable at ${describeTarget({ provider: "postgresql", url })} (${error instanceof Error ? error.message || error.name : String(error)}): its persistence tests are skipped (set TEST_POSTGRES_URL to run them)`);
    project.provide("postgresServer", null);
  }
}
