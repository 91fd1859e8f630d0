/**
 * Which browser pages may open the socket. A page's Origin is checked against
 * ALLOWED_ORIGINS: "*" is anyone, a comma-separated list is exactly those origins, and
 * empty (the default) is pages served from the side server's own host name on any port —
 * the web app at host:3000 reaching the side server at host:4000.
 * A request without an Origin is not a browser page (a feed, a test client): the check
 * exists to stop other sites' pages from riding a viewer's browser, so it lets those in.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string): boolean {
  if (origin === undefined) return true;
  const list = allowed.split(",").map((o) => o.trim()).filter(Boolean);
  if (list.includes("*") || list.includes(origin)) return true;
  if (list.length > 0 || !host) return false;
  try {
    return new URL(origin).hostname === new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
}
