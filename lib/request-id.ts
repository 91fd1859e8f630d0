/**
 * The id that ties one HTTP request's log lines together, across the proxy, the web server
 * and the side server: a caller's X-Request-Id is kept when it is a plain token of sane
 * length (it is written into every line, so never free text), otherwise a new one is made.
 */
export const REQUEST_ID_HEADER = "x-request-id";
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(incoming: string | string[] | undefined): string {
  const given = Array.isArray(incoming) ? incoming[0] : incoming;
  return given !== undefined && SANE_REQUEST_ID.test(given) ? given : globalThis.crypto.randomUUID();
}
