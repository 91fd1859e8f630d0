import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "server/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**"],
    // Finds the PostgreSQL the persistence contract also runs on; says so once when absent.
    globalSetup: ["./server/test/postgres-setup.ts"],
    // Integration tests boot real servers on real ports; keep them from starving each other on 2 cores.
    fileParallelism: true,
    testTimeout: 30_000,
    // A side server on an empty database fills a day of simulated history in the background (seconds of
    // CPU); tests that want it set it, the rest (and the servers they spawn, which inherit this) do without.
    env: { SIM_BACKFILL_HOURS: "0" },
  },
});
