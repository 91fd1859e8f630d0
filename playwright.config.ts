import { existsSync } from "node:fs";
import { chromium, defineConfig, type ReporterDescription } from "@playwright/test";
import { chooseChromium, noChromiumHint } from "./lib/testing/chromium";
import { E2E_RESULTS_VARIABLE } from "./lib/testing/summary";
import { PORT, REALTIME_PORT, STACK_ENV, givenStack } from "./e2e/stack";

// A system Chromium, else Playwright's own (npm test's pretest installs it where the network
// allows: scripts/test-browser.ts); with neither, the run stops here saying what to install.
const browser = chooseChromium({ override: process.env.CHROMIUM_PATH, platform: process.platform, managed: chromium.executablePath(), exists: existsSync });
if (browser.kind === "none") throw new Error(noChromiumHint(browser.problem));

export const REALTIME_URL = `http://127.0.0.1:${REALTIME_PORT}`;

/** The JSON report scripts/test.ts counts the tests of. */
const results = process.env[E2E_RESULTS_VARIABLE];

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  // The HTML report (playwright-report/, not in git) holds each failure's trace and screenshot:
  // `npx playwright show-report` opens it.
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }], ...(results ? [["json", { outputFile: results }] satisfies ReporterDescription] : [])],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1920, height: 1080 },
    // A click that cannot happen fails with its reason, instead of the whole test timing out.
    actionTimeout: 15_000,
    // Kept only for tests that fail, so a green run writes nothing. DOM snapshots, network and console,
    // without the screencast filmstrip: encoding frames of the live wall costs CPU the specs' timings need.
    trace: { mode: "retain-on-failure", screenshots: false },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: browser.kind === "managed" ? undefined : browser.path,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    // Exactly what a user runs (npm start): builds when needed, then the side server and the web server.
    command: "node --import tsx scripts/start.ts",
    url: `http://127.0.0.1:${PORT}`,
    timeout: 240_000,
    // Off CI, a stack started by `npm run e2e:server` (whose database and token this run was given) is
    // used as it is; a stray server on the port without them is an error, not silently tested against.
    reuseExistingServer: !process.env.CI && givenStack,
    stdout: "pipe",
    env: STACK_ENV,
  },
});
