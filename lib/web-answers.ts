/**
 * Answers the web server's route handlers share when something fails. What went wrong goes
 * to the server's log; the client is told what is unavailable and nothing more: an error's
 * message may hold SQL, file paths or a library's internals.
 */
import { webLog } from "./web-log";

/** 503: `what` cannot be read just now (the database is away, a query failed). */
export function unavailable(what: string, error: unknown): Response {
  webLog().error({ what, err: error }, "unavailable");
  return Response.json({ error: `${what}: unavailable, try again shortly` }, { status: 503, headers: { "retry-after": "5" } });
}

/** 429 with Retry-After: the request is fine, but too many like it are running. */
export function tooMany(message: string, retryAfterSeconds: number): Response {
  return Response.json({ error: message }, { status: 429, headers: { "retry-after": String(retryAfterSeconds) } });
}
