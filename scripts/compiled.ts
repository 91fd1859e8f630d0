/**
 * What `npm run build` compiles to JavaScript (scripts/build-servers.ts) and where: the
 * processes a deployment runs with plain `node`, after `npm install --omit=dev` (no tsx,
 * no TypeScript). The web app itself is Next's build in `.next`.
 */
export const DIST = "dist";

/** Output name (dist/<name>.js) → TypeScript entry. */
export const COMPILED_ENTRIES = {
  start: "scripts/start.ts",
  realtime: "server/main.ts",
  "web-server": "scripts/web-server.ts",
  // Loaded as a worker thread by the side server, from beside its bundle (server/sample-writer.ts).
  "sample-writer-worker": "server/sample-writer-worker.ts",
  user: "scripts/user.ts",
  "ingest-token": "scripts/ingest-token.ts",
  drill: "scripts/drill.ts",
} as const;

export type CompiledEntry = keyof typeof COMPILED_ENTRIES;

export const compiledFile = (name: CompiledEntry): string => `${DIST}/${name}.js`;
