/**
 * `npm run e2e:server`: the stack the e2e tests run against (e2e/stack.ts), started once and
 * kept running for someone iterating on a spec: `npx playwright test` in another terminal,
 * given the same database and admin token, reuses it instead of building and starting its
 * own each run (playwright.config.ts). The database is not fresh for each run then: restart
 * this for one. Stops with Ctrl-C, as `npm start` does.
 */
import { spawn } from "node:child_process";
import { PORT, REALTIME_PORT, STACK_ENV } from "@/e2e/stack";

const shared = { ONESCREEN_E2E_DB: process.env.ONESCREEN_E2E_DB, ONESCREEN_E2E_ADMIN_TOKEN: process.env.ONESCREEN_E2E_ADMIN_TOKEN, E2E_PORT: String(PORT), E2E_REALTIME_PORT: String(REALTIME_PORT) };
console.log(`e2e stack on ports ${PORT} and ${REALTIME_PORT}. In the terminal you test from:\n  export ${Object.entries(shared).map(([name, value]) => `${name}=${value}`).join(" ")}`);

const stack = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { stdio: "inherit", env: { ...process.env, ...STACK_ENV } });
// Ctrl-C reaches npm start by itself (same process group); a plain kill of this process is passed on.
process.on("SIGTERM", () => stack.kill("SIGTERM"));
stack.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
