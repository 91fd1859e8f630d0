/**
 * The stack the e2e tests run against: `npm start` on E2E_PORT (3210) and E2E_REALTIME_PORT
 * (4210), one SQLite file and one admin token per run. Playwright starts it
 * (playwright.config.ts), or `npm run e2e:server` starts it once for runs that reuse it.
 */
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Overridable so two checkouts on one machine can run their suites side by side.
export const PORT = Number(process.env.E2E_PORT ?? 3210);
export const REALTIME_PORT = Number(process.env.E2E_REALTIME_PORT ?? 4210);

/**
 * Set by whoever started the stack (specs read them to open its database and call its admin
 * API), before anything below defaults them: a run that finds them set may reuse a running stack.
 */
export const givenStack = Boolean(process.env.ONESCREEN_E2E_DB && process.env.ONESCREEN_E2E_ADMIN_TOKEN);

// One fresh database per run; workers inherit it through the environment.
process.env.ONESCREEN_E2E_DB ??= join(tmpdir(), `onescreen-e2e-${Date.now()}.db`);
process.env.ONESCREEN_E2E_ADMIN_TOKEN ??= randomBytes(24).toString("hex");

/** What `npm start` gets, beyond this process's environment. */
export const STACK_ENV: Record<string, string> = {
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
};
