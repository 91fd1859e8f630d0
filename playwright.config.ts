import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, defineConfig } from "@playwright/test";

// A Playwright-managed browser when one is installed, Debian's chromium otherwise
// (`npx playwright install` needs a download some machines cannot make; .ci/run installs Debian's).
const managed = chromium.executablePath();
const executablePath = existsSync(managed) ? undefined : "/usr/bin/chromium";

// Overridable so two checkouts on one machine can run their suites side by side.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const REALTIME_PORT = Number(process.env.E2E_REALTIME_PORT ?? 4210);
// One fresh database per run; workers inherit it through the environment.
process.env.ONESCREEN_E2E_DB ??= join(tmpdir(), `onescreen-e2e-${Date.now()}.db`);
process.env.ONESCREEN_E2E_ADMIN_TOKEN ??= randomBytes(24).toString("hex");
export const REALTIME_URL = `http://127.0.0.1:${REALTIME_PORT}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1920, height: 1080 },
    // A click that cannot happen fails with its reason, instead of the whole test timing out.
    actionTimeout: 15_000,
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    // Exactly what a user runs (npm start): builds when needed, then the side server and the web server.
    command: "node --import tsx scripts/start.ts",
    url: `http://127.0.0.1:${PORT}`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      REALTIME_PORT: String(REALTIME_PORT),
      DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}`,
      ADMIN_TOKEN: process.env.ONESCREEN_E2E_ADMIN_TOKEN,
      // As behind a proxy on this machine: a spec that sends X-Forwarded-For is a client of its own,
      // so the sign-in limits per address of one spec do not spend another's (e2e/security.spec.ts).
      TRUSTED_PROXIES: "127.0.0.1,::1",
      NEXT_TELEMETRY_DISABLED: "1",
      // A failed notification is retried after 1 s (doubling) instead of 5 s: e2e/notify.spec.ts waits for it.
      NOTIFY_RETRY_SECONDS: "1",
    },
  },
});
