/**
 * The web server's log (scripts/web-server.ts, and Next's pages and route handlers in the
 * same process): one logger per process, made from the validated config on first use.
 */
import { createLogger, type Log } from "./log";
import { webEnv } from "./web-env";

const globalForLog = globalThis as unknown as { onescreenWebLog?: Log };

/** A child of the web server's logger for `component` (web, auth, export, …). */
export function webLog(component = "web"): Log {
  if (!globalForLog.onescreenWebLog) {
    const env = webEnv();
    globalForLog.onescreenWebLog = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, isTTY: process.stdout.isTTY });
  }
  return globalForLog.onescreenWebLog.child({ component });
}
