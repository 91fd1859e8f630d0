/**
 * `npm test`'s pretest: gives the e2e tests a Chromium. A system one (or CHROMIUM_PATH), or
 * Playwright's own, is used as it is (lib/testing/chromium.ts); with neither, Playwright's is
 * installed (`playwright install chromium`) and, when that cannot be done (no network), one
 * line says what to install. It never fails itself: typecheck, lint and the unit tests still
 * run, and the e2e step then fails with the same hint (playwright.config.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "@playwright/test";
import { chooseChromium, noChromiumHint } from "@/lib/testing/chromium";

const managed = chromium.executablePath();
const choice = chooseChromium({ override: process.env.CHROMIUM_PATH, platform: process.platform, managed, exists: existsSync });

if (choice.kind !== "none") {
  console.log(`e2e browser: ${choice.path} (${choice.kind === "managed" ? "Playwright's own" : choice.kind === "override" ? "CHROMIUM_PATH" : "the system's"})`);
} else if (process.env.CHROMIUM_PATH) {
  // Named by hand: installing another would hide the mistake.
  console.warn(noChromiumHint(choice.problem));
} else {
  console.log("e2e browser: none on this machine; installing Playwright's (npx playwright install chromium)");
  const cli = createRequire(import.meta.url).resolve("@playwright/test/cli");
  // Bounded: a network that drops packets instead of refusing would otherwise hang npm test here.
  const install = spawnSync(process.execPath, [cli, "install", "chromium"], { stdio: ["ignore", "inherit", "inherit"], timeout: 10 * 60_000 });
  if (install.status === 0 && existsSync(managed)) {
    console.log(`e2e browser: ${managed} (Playwright's own, just installed)`);
  } else {
    // Its own error is printed just above; this line says what to do about it.
    const why = install.error ? install.error.message : `exit code ${install.status}`;
    console.warn(`e2e browser: \`npx playwright install chromium\` failed (${why}). ${noChromiumHint(choice.problem)}`);
  }
}
