import { describe, expect, it } from "vitest";
import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy, newNonce, pageSecurityHeaders, realtimeSources } from "./http-security";

const site = { host: "ops-server:3000", https: false };
const realtime = { configuredUrl: null, port: 4000 };

describe("the page policy", () => {
  it("allows scripts by nonce only, the socket to the side server, and frames as configured", () => {
    const csp = contentSecurityPolicy({ nonce: "abc", site, realtime, frameAncestors: "'none'" });
    expect(csp.split("; ")).toEqual([
      "default-src 'self'",
      "script-src 'self' 'nonce-abc' 'strict-dynamic'",
      "style-src 'self' 'nonce-abc'",
      "style-src-attr 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self' http://ops-server:4000 ws://ops-server:4000",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]);
    expect(csp).not.toContain("unsafe-eval");
  });

  it("finds the side server as the browser does: REALTIME_PUBLIC_URL, or the page's host at REALTIME_PORT, secure when the page is", () => {
    expect(realtimeSources({ configuredUrl: "https://wall.ops.example/realtime", port: 4000 }, site)).toEqual(["https://wall.ops.example", "wss://wall.ops.example"]);
    expect(realtimeSources(realtime, { host: "[::1]:3000", https: true })).toEqual(["https://[::1]:4000", "wss://[::1]:4000"]);
    expect(realtimeSources(realtime, { host: null, https: false })).toEqual([]);
    // A Host header that is no host cannot write into the policy.
    expect(contentSecurityPolicy({ nonce: "n", site: { host: "x; script-src *", https: false }, realtime, frameAncestors: "'none'" })).not.toContain("script-src *");
  });

  it("sends HSTS only over https, and the old frame header for 'none' and 'self'", () => {
    expect(pageSecurityHeaders({ nonce: "n", site, realtime, frameAncestors: "'none'" })).toMatchObject({ "X-Frame-Options": "DENY" });
    expect(pageSecurityHeaders({ nonce: "n", site, realtime, frameAncestors: "'none'" })).not.toHaveProperty("Strict-Transport-Security");
    const framed = pageSecurityHeaders({ nonce: "n", site: { ...site, https: true }, realtime, frameAncestors: "'self' https://portal.ops.example" });
    expect(framed).toMatchObject({ "Strict-Transport-Security": "max-age=31536000" });
    expect(framed).not.toHaveProperty("X-Frame-Options");
    expect(framed["Content-Security-Policy"]).toContain("frame-ancestors 'self' https://portal.ops.example");
  });

  it("makes a new 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64").length).toBe(16);
  });

  it("next.config.js sends the same static headers to everything", async () => {
    // @ts-expect-error next.config.js is plain JavaScript, typed by its JSDoc only for Next.
    const nextConfig = (await import("../next.config.js")).default as NextConfig;
    const rules = await nextConfig.headers!();
    expect(rules).toEqual([{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }]);
  });
});
