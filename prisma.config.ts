import { defineConfig } from "prisma/config";

// The CLI is only used for `prisma generate` (offline); migrations are applied at
// start by lib/db/migrate.ts through the WebAssembly schema engine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
