/**
 * Every variable the servers read is listed once in .env.example, at its real default, and in
 * docs/configuration.md; every other variable the code reads is a tool's or test's (documented)
 * or named below as internal. Each failure names the variable.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv, ZServerEnv, ZTestEnv, ZWebEnv } from "../config";
import { listedVariables } from "./env-file";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

const SERVER = Object.keys(ZServerEnv.shape);
const WEB = Object.keys(ZWebEnv.shape);
const SCHEMA = [...new Set([...SERVER, ...WEB])].sort();

/** Read by a command or a test, not by the servers: in configuration.md's *Tools and tests*, not in .env.example. */
const TOOLS = [
  ...Object.keys(ZTestEnv.shape),
  "ONESCREEN_PASSWORD",
  "E2E_PORT",
  "CHROMIUM_PATH",
  "E2E_REALTIME_PORT",
  "ALERT_BUDGET_SPEEDS",
  "SOAK_MINUTES",
  "SOAK_WARMUP_MINUTES",
  "SOAK_INTERVAL_S",
  "SOAK_SPEED",
  "SOAK_WINDOW_MINUTES",
  "SOAK_CSV",
  "SOAK_HEAP_SNAPSHOTS",
  "BENCH_POSTGRES_URL",
  "BENCH_BROWSER_MEASURE_MS",
  "IDEMPOTENCY_BASELINE_TREE",
  "ONESCREEN_BUILD_ID",
].sort();

/** Read by the code but set by the platform or by our own processes for their children: nobody configures them. */
const INTERNAL = new Map([
  ["NODE_ENV", "Node and Next.js; scripts/web-server.ts sets production"],
  ["PATH", "where the deploy test looks for nginx"],
  ["HOME", "the production-build test passes it to its deployment's processes, whose environment it otherwise empties"],
  ["CI", "scripts/schema-postgres.ts checks instead of writing on CI"],
  ["NEXT_PUBLIC_BUILD_ID", "next.config.js passes ONESCREEN_BUILD_ID into the bundle"],
  ["ONESCREEN_E2E_DB", "playwright.config.ts hands its database file to the workers"],
  ["ONESCREEN_E2E_ADMIN_TOKEN", "playwright.config.ts hands its admin token to the workers"],
  ["FANOUT_ROLE", "bench/fanout.ts tells its child process its role"],
  ["FANOUT_PORT", "bench/fanout.ts tells its child process the port"],
  ["INGEST_ROLE", "bench/ingest.ts tells its child process its role"],
  ["INGEST_PORT", "bench/ingest.ts tells its child process the port"],
]);

const SOURCE_DIRS = ["app", "components", "lib", "server", "scripts", "bench", "e2e"];
const SOURCE_FILES = ["proxy.ts", "next.config.js", "playwright.config.ts", "vitest.config.ts", "prisma.config.ts", "eslint.config.mjs"];
const READ = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g;

/** Every variable name the code reads as process.env.NAME or process.env["NAME"], with a file that reads it (this file aside). */
function variablesReadByCode(): Map<string, string> {
  const self = relative(ROOT, import.meta.filename);
  const files = [
    ...SOURCE_FILES,
    ...SOURCE_DIRS.flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
        .filter((file) => /\.(ts|tsx|js|mjs)$/.test(file) && !file.includes("generated/") && !file.includes("node_modules/"))
        .map((file) => relative(ROOT, join(ROOT, dir, file))),
    ),
  ];
  const found = new Map<string, string>();
  for (const file of files.filter((file) => file !== self)) {
    for (const match of read(file).matchAll(READ)) {
      const name = match[1] ?? match[2];
      if (name && !found.has(name)) found.set(name, file);
    }
  }
  return found;
}

/** The names in backticks in the first cell of each table row of `markdown` (between `from` and `until` headings). */
function tableVariables(markdown: string, from: string, until: string | null): string[] {
  const start = markdown.indexOf(from);
  const end = until === null ? markdown.length : markdown.indexOf(until, start + from.length);
  if (start < 0 || end < 0) throw new Error(`docs/configuration.md: no section from "${from}" to "${until ?? "the end"}"`);
  return markdown
    .slice(start, end)
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...(line.split("|")[1] ?? "").matchAll(/`([A-Z][A-Z0-9_]*)`/g)].flatMap((m) => m[1] ?? []));
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
}

/** A variable's value as its server reads it; empty and "nothing" (an empty list) alike are unset. */
function asRead(name: string, value: string | undefined): unknown {
  const schema = SERVER.includes(name) ? ZServerEnv : ZWebEnv;
  const parsed = parseEnv(schema, value === undefined ? {} : { [name]: value }) as Record<string, unknown>;
  const read = parsed[name];
  return read === "" || (Array.isArray(read) && read.length === 0) ? undefined : read;
}

describe(".env.example", () => {
  const listed = listedVariables(read(".env.example"));
  const names = listed.map((v) => v.name);

  it("lists every variable of the servers' schemas", () => {
    expect(SCHEMA.filter((name) => !names.includes(name)), "in lib/config.ts, missing from .env.example").toEqual([]);
  });

  it("lists nothing the servers do not read", () => {
    expect(names.filter((name) => !SCHEMA.includes(name)), "in .env.example, not in lib/config.ts").toEqual([]);
  });

  it("lists each variable once", () => {
    expect(duplicates(names), "listed twice in .env.example").toEqual([]);
  });

  it("gives each variable its real default, commented out", () => {
    const wrong = listed
      .filter((v) => SCHEMA.includes(v.name))
      .filter((v) => !Object.is(JSON.stringify(asRead(v.name, v.value === "" ? undefined : v.value)), JSON.stringify(asRead(v.name, undefined))))
      .map((v) => `${v.name}=${v.value} (line ${v.line}); the default is ${JSON.stringify(asRead(v.name, undefined)) ?? "unset"}`);
    expect(wrong).toEqual([]);
    const unset = listed.filter((v) => SCHEMA.includes(v.name) && v.value === "" && asRead(v.name, undefined) !== undefined).map((v) => `${v.name} (line ${v.line}) has a default`);
    expect(unset, "write the default in .env.example").toEqual([]);
    const live = read(".env.example").split("\n").filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line));
    expect(live, "uncommented in .env.example: a copy to .env would change it").toEqual([]);
  });
});

describe("docs/configuration.md", () => {
  const markdown = read("docs/configuration.md");
  const servers = tableVariables(markdown, "| variable | default | meaning |", "## Tools and tests");
  const tools = tableVariables(markdown, "## Tools and tests", null);

  it("has a row for every variable of the servers' schemas, once, and for nothing else", () => {
    expect(SCHEMA.filter((name) => !servers.includes(name)), "in lib/config.ts, missing from the table").toEqual([]);
    expect(servers.filter((name) => !SCHEMA.includes(name)), "in the table, not in lib/config.ts").toEqual([]);
    expect(duplicates(servers), "twice in the table").toEqual([]);
  });

  it("has a row under Tools and tests for every variable a tool or test reads", () => {
    expect(TOOLS.filter((name) => !tools.includes(name)), "missing under Tools and tests").toEqual([]);
    expect(tools.filter((name) => !TOOLS.includes(name)), "under Tools and tests, unknown to this test").toEqual([]);
  });
});

describe("the code", () => {
  it("reads no variable that is neither configuration, a tool's, nor named internal here", () => {
    const unknown = [...variablesReadByCode()]
      .filter(([name]) => !SCHEMA.includes(name) && !TOOLS.includes(name) && !INTERNAL.has(name))
      .map(([name, file]) => `${name} (read in ${file})`);
    expect(unknown, "add it to lib/config.ts, .env.example and docs/configuration.md (or to TOOLS / INTERNAL here, saying why)").toEqual([]);
  });

  it("still reads every variable named internal here", () => {
    const read = variablesReadByCode();
    expect([...INTERNAL.keys()].filter((name) => !read.has(name)), "no longer read: delete it from INTERNAL").toEqual([]);
  });
});
