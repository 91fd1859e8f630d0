/**
 * The web app's security headers (issue 20, item 6), pure: proxy.ts adds them to every page
 * with a fresh nonce, next.config.js the ones that never change to everything.
 *
 * Scripts run only with the page's nonce (Next puts it on its own inline and chunk scripts
 * when it renders the page: every page is rendered per request) or when loaded by such a
 * script ('strict-dynamic': the chunks, ECharts among them). Style elements need the nonce
 * too; style attributes are allowed, because React's server HTML and ECharts' SVG set them
 * and they cannot run code. The socket may reach the side server, at REALTIME_PUBLIC_URL or
 * the page's host at REALTIME_PORT, over HTTP (polling) and WebSocket.
 */
import type { RequestSite } from "./request-site";

/** Sent with every answer of the web app (next.config.js) and of the side server (server/http-json.ts). */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  // Not "no-referrer": a POST's Origin would then be "null", and the CSRF check refuses that.
  "Referrer-Policy": "same-origin",
};

/** A year, once a browser has seen the site over https. */
export const HSTS = "max-age=31536000";

export interface PagePolicy {
  nonce: string;
  site: RequestSite;
  realtime: { configuredUrl: string | null; port: number };
  /** FRAME_ANCESTORS: 'none', 'self' or origins. */
  frameAncestors: string;
}

/** Where the page's socket goes, as CSP sources: the HTTP and the WebSocket form of the side server's origin; none when unknown. */
export function realtimeSources({ configuredUrl, port }: PagePolicy["realtime"], site: RequestSite): string[] {
  let origin: URL;
  try {
    // As the browser works it out (components/realtime/live-client.ts realtimeUrl).
    origin = new URL(configuredUrl ?? `${site.https ? "https" : "http"}://${site.host ?? ""}`);
    if (!configuredUrl) origin.port = String(port);
  } catch {
    return [];
  }
  // The URL parser leaves only host characters; a Host header that is no host name gives no source.
  if (!/^[a-z0-9.\-[\]:]+$/i.test(origin.host)) return [];
  const secure = origin.protocol === "https:";
  return [`${secure ? "https" : "http"}://${origin.host}`, `${secure ? "wss" : "ws"}://${origin.host}`];
}

export function contentSecurityPolicy(policy: PagePolicy): string {
  const nonce = `'nonce-${policy.nonce}'`;
  return [
    "default-src 'self'",
    `script-src 'self' ${nonce} 'strict-dynamic'`,
    `style-src 'self' ${nonce}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...realtimeSources(policy.realtime, policy.site)].join(" "),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${policy.frameAncestors.trim().split(/\s+/).join(" ")}`,
  ].join("; ");
}

/** The headers of one page: its policy, the frame rule for browsers before CSP 2, and HSTS over https. */
export function pageSecurityHeaders(policy: PagePolicy): Record<string, string> {
  const frames = policy.frameAncestors.trim();
  return {
    "Content-Security-Policy": contentSecurityPolicy(policy),
    ...(frames === "'none'" ? { "X-Frame-Options": "DENY" } : frames === "'self'" ? { "X-Frame-Options": "SAMEORIGIN" } : {}),
    ...transportSecurityHeaders(policy.site),
  };
}

/** HSTS, only on an answer that went out over https: sent over http it would mean nothing, and it is sticky. */
export function transportSecurityHeaders(site: RequestSite): Record<string, string> {
  return site.https ? { "Strict-Transport-Security": HSTS } : {};
}

/** 128 random bits, base64. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
