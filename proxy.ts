import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageSecurityHeaders, transportSecurityHeaders } from "@/lib/http-security";
import { requestSite } from "@/lib/request-site";
import { readGate } from "@/lib/web-auth";
import { webEnv } from "@/lib/web-env";

/**
 * With PUBLIC_READ=false, a request without a session is refused or sent to sign in first.
 * Every page gets a Content-Security-Policy with a fresh nonce (lib/http-security.ts): Next
 * reads the policy from the request and puts the nonce on the scripts it renders. API
 * answers get HSTS over https. A path with a malformed %-escape (a mangled link) names no
 * page: answer 400 saying so, instead of the 500 Next gives when it fails to decode the
 * route's parameters.
 */
export async function proxy(request: NextRequest) {
  const env = webEnv();
  const site = requestSite(request.headers, request.nextUrl.protocol, env.TRUSTED_PROXIES.length > 0);
  // PUBLIC_READ=false: reading needs a session (lib/web-auth.ts readGate).
  const refused = env.PUBLIC_READ ? null : await readGate(request);
  if (refused) return withHeaders(new NextResponse(refused.body, refused), transportSecurityHeaders(site));
  if (request.nextUrl.pathname.startsWith("/api/")) return withHeaders(NextResponse.next(), transportSecurityHeaders(site));
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return new NextResponse("400 Bad Request: the path has a malformed %-escape\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const headers = pageSecurityHeaders({ nonce: newNonce(), site, realtime: { configuredUrl: env.REALTIME_PUBLIC_URL ?? null, port: env.REALTIME_PORT }, frameAncestors: env.FRAME_ANCESTORS });
  const forward = new Headers(request.headers);
  forward.set("content-security-policy", headers["Content-Security-Policy"]!);
  return withHeaders(NextResponse.next({ request: { headers: forward } }), headers);
}

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

// Everything but the build's static files (next.config.js gives them nosniff).
export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };
