/**
 * vitest globalSetup: is the PostgreSQL of TEST_POSTGRES_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres) reachable? Asked once per run. When it is
 * not, the PostgreSQL variants of the persistence contract tests skip (lib/db/test-databases.ts)
 * and the run says so once, in the summary of `npm test` too; under CI the run fails instead
 * (server/test/needs.ts): CI has PostgreSQL, a laptop may not.
 */
import type { TestProject } from "vitest/node";
import { ZTestEnv, describeTarget, parseEnv } from "@/lib/config";
import { withPgClient } from "@/lib/db/postgres-admin";
import { lacking } from "./needs";

export default async function setup(project: TestProject): Promise<void> {
  const { TEST_POSTGRES_URL: url } = parseEnv(ZTestEnv, process.env);
  try {
    await withPgClient(url, (client) => client.query("SELECT 1"), 2_000);
    project.provide("postgresServer", url);
    project.provide("postgresMissing", null);
  } catch (error) {
    const missing = `no server at ${describeTarget({ provider: "postgresql", url })}: ${error instanceof Error ? error.message || error.name : String(error)}; start one or set TEST_POSTGRES_URL`;
    lacking("the PostgreSQL variants", { service: "PostgreSQL", missing });
    project.provide("postgresServer", null);
    project.provide("postgresMissing", missing);
  }
}
