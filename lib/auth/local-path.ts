/**
 * Where to send a browser after sign-in or an alert action (`next`): only a path of this
 * site. The value is read by the URL parser, as the browser will read the Location header,
 * against a stand-in origin; anything that lands elsewhere (`//evil`, `/\evil`, a tab or a
 * newline the parser drops, `javascript:`) is refused. What comes back is the parser's own
 * serialisation, so the browser reads exactly what was checked.
 */
const OWN = new URL("http://onescreen.invalid/");

export function localPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, OWN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil" parses as a path "//evil" on our origin, which a browser would then read as a host.
  return path.startsWith("//") ? fallback : path;
}
