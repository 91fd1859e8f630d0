/**
 * The second half of `npm run build` (after `next build`): bundles the side server, the web
 * server, the supervisor and the admin commands into dist/*.js with esbuild. Our own code,
 * the `@/` imports and the generated Prisma client (lib/generated) go into each bundle;
 * packages stay imports of node_modules, so what a deployment installs is what runs.
 *   tsx scripts/build-servers.ts [--outdir <dir>]     (default dist/; the tests build elsewhere)
 */
import { rmSync } from "node:fs";
import { build } from "esbuild";
import { COMPILED_ENTRIES, DIST } from "./compiled";

const outdirFlag = process.argv.indexOf("--outdir");
const outdir = outdirFlag === -1 ? DIST : process.argv[outdirFlag + 1];
if (!outdir) throw new Error("--outdir needs a directory");

rmSync(outdir, { recursive: true, force: true });
const started = Date.now();
const result = await build({
  entryPoints: COMPILED_ENTRIES,
  outdir,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20.19",
  // Stack traces name the TypeScript lines (the processes run with --enable-source-maps).
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + (output.entryPoint ? output.bytes : 0), 0);
console.log(`[build] ${Object.keys(COMPILED_ENTRIES).length} entries → ${outdir}/ (${Math.round(bytes / 1024)} KB of JavaScript) in ${Date.now() - started} ms`);
