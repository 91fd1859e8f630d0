// `npm install`'s postinstall, in plain Node so that it runs on any platform (no shell's
// `VAR=value` prefix) and before any TypeScript tooling: checks the Node version, derives
// prisma/postgres/schema.prisma, then generates both Prisma clients into lib/generated.
// After `npm install --omit=dev` the Prisma CLI and tsx are absent: there is nothing to
// generate for, since the compiled servers in dist/ carry the client generated at build time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { checkNodeVersion } from "./node-version.mjs";

checkNodeVersion("postinstall");

const require = createRequire(import.meta.url);
/** A package's file, or null when the package is not installed (--omit=dev). */
function resolveOptional(specifier) {
  try {
    return require.resolve(specifier);
  } catch {
    return null;
  }
}

const prismaCli = resolveOptional("prisma/build/index.js");
const tsx = resolveOptional("tsx/package.json");
if (prismaCli === null || tsx === null) {
  const missing = [prismaCli === null && "the Prisma CLI", tsx === null && "tsx"].filter(Boolean).join(", ");
  const next = existsSync("dist/realtime.js") ? "dist/ carries the client `npm run build` generated" : "run `npm run build` with the dev dependencies before deploying";
  console.log(`[postinstall] not installed (--omit=dev?): ${missing}; nothing to generate; ${next}`);
  process.exit(0);
}

function run(args, env = process.env) {
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// `prisma generate` looks for the native schema engine and, when it is missing, downloads it
// before generating anything; that download is not possible here and the engine is never used
// (migrations run through the WebAssembly engine, lib/db/migrate.ts). The CLI accepts any
// existing file as the engine when it only generates: this Node binary exists on every platform.
const generateEnv = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath };
const schemas = process.argv.includes("--postgres-only") ? ["prisma/postgres/schema.prisma"] : ["prisma/schema.prisma", "prisma/postgres/schema.prisma"];

run(["--import", "tsx", "scripts/schema-postgres.ts"]);
for (const schema of schemas) run([prismaCli, "generate", "--schema", schema], generateEnv);
