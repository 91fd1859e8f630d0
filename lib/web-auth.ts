/**
 * Sign-in on the web server: who the request's session cookie belongs to, the cookie
 * itself, the CSRF check, and the side-server calls made on a signed-in user's behalf.
 * Every decision is made here, on the server; pages only hide what would be refused.
 */
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { DEVICE_COOKIE_MAX_AGE_SECONDS, SESSION_COOKIE, originProblem } from "./auth/roles";
import { renewDeviceSession, sessionUser, type User } from "./db/users";
import { requestSite, type RequestSite } from "./request-site";
import { sideServerAuthorization, webDatabase, webEnv } from "./db/web";
import { webLog } from "./web-log";

/** The signed-in user of this request (page or route handler), or null; a database not ready yet counts as signed out. */
export async function currentUser(): Promise<User | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  try {
    return await sessionUser(await webDatabase(), token);
  } catch (error) {
    webLog("auth").error({ err: error }, "session lookup failed");
    return null;
  }
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure over https; no Max-Age: the server's idle limit decides. */
export function sessionCookie(token: string, request: NextRequest) {
  return { name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: "strict" as const, path: "/", secure: isHttps(request) };
}

/**
 * PUBLIC_READ=false (proxy.ts): whether this request may read. Open to all are the sign-in
 * page and its API, and the build id a kiosk polls; everything else needs a session, a
 * person's or a device's, looked up on every request, so a revoked device or a closed
 * session is refused from its next one. A page without one is sent to the sign-in page, an
 * API answered 401. `?device=<token>` (a kiosk's first load) is traded for the device's
 * cookie and the page loaded again without it. Null: go on.
 */
export async function readGate(request: NextRequest): Promise<Response | null> {
  const { pathname, search } = request.nextUrl;
  if (OPEN_PATHS.has(pathname)) return null;
  try {
    const db = await webDatabase();
    const offered = request.nextUrl.searchParams.get(DEVICE_PARAM);
    if (offered) {
      const renewed = await renewDeviceSession(db, offered);
      const rest = new URLSearchParams(search);
      rest.delete(DEVICE_PARAM);
      const again = `${pathname}${rest.size > 0 ? `?${rest}` : ""}`;
      if (renewed) {
        const response = seeOtherAbsolute(request, again);
        response.headers.append("set-cookie", `${SESSION_COOKIE}=${renewed.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}${isHttps(request) ? "; Secure" : ""}`);
        return response;
      }
      return seeOtherAbsolute(request, `/login?next=${encodeURIComponent(again)}&error=device`);
    }
    if (await sessionUser(db, request.cookies.get(SESSION_COOKIE)?.value)) return null;
  } catch (error) {
    webLog("auth").error({ err: error }, "session lookup failed");
    return Response.json({ error: "session: cannot be checked now (the database is unreachable); try again" }, { status: 503, headers: { "retry-after": "5" } });
  }
  if (pathname.startsWith("/api/")) return Response.json({ error: "session: reading needs a signed-in session or a device credential (PUBLIC_READ=false)" }, { status: 401 });
  return seeOtherAbsolute(request, `/login?next=${encodeURIComponent(`${pathname}${search}`)}`);
}

/** A 303 to a path of this site, absolute (a proxy's redirect must be), on the host and scheme the browser used. */
function seeOtherAbsolute(request: NextRequest, path: string): Response {
  const site = siteOf(request);
  const origin = site.host ? `${site.https ? "https" : "http"}://${site.host}` : request.nextUrl.origin;
  return new Response(null, { status: 303, headers: { location: new URL(path, origin).toString() } });
}

/** The query parameter a kiosk's enrolment token arrives in (npm run user -- device create). */
export const DEVICE_PARAM = "device";
const OPEN_PATHS = new Set(["/login", "/api/auth/login", "/api/auth/logout", "/api/version", "/icon.svg", "/favicon.ico"]);

function isHttps(request: NextRequest): boolean {
  return siteOf(request).https;
}

/** The host and scheme the browser used; X-Forwarded-* only when TRUSTED_PROXIES names a proxy (lib/request-site.ts). */
export function siteOf(request: NextRequest): RequestSite {
  return requestSite(request.headers, request.nextUrl.protocol, webEnv().TRUSTED_PROXIES.length > 0);
}

/** A 403 naming `origin` unless the request comes from a page of this site (CSRF); null when it does. */
export function refuseCrossSite(request: NextRequest): Response | null {
  const problem = originProblem(request.headers.get("origin"), siteOf(request).host);
  return problem ? Response.json({ error: problem }, { status: 403 }) : null;
}

/** A 303 to a path of this site: relative, so it is right behind any proxy. */
export function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { location: path } });
}

/** GETs and validates a side-server answer for a page; null when it is unreachable or answers something else. */
export async function sideServerGet<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  try {
    const res = await fetch(`${sideServerBase()}${path}`, { cache: "no-store", headers: sideServerAuthorization(), signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return null;
    const parsed = schema.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function sideServerBase(): string {
  const env = webEnv();
  return (env.REALTIME_INTERNAL_URL ?? `http://127.0.0.1:${env.REALTIME_PORT}`).replace(/\/$/, "");
}

/** Where the new-rule form posts: "_" can be no rule's id (ids start with a letter or digit). */
export const NEW_RULE = "_";
/** Where the new-channel form posts: "_" can be no channel's id (ch-…). */
export const NEW_CHANNEL = "_";

/** Sends JSON to the side server with its admin token (server to server; the browser never sees the token). */
export async function sideServerRequest(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, timeoutMs = 5_000): Promise<{ status: number; body: Record<string, unknown> }> {
  const authorization = sideServerAuthorization();
  if (!authorization.authorization) return { status: 503, body: { error: "side server: no admin token (set ADMIN_TOKEN, or start the side server once to create its token file)" } };
  try {
    const res = await fetch(`${sideServerBase()}${path}`, {
      method,
      headers: { ...authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch (error) {
    webLog().error({ method, path, err: error }, "side server request failed");
    return { status: 503, body: { error: "side server: unreachable, try again shortly" } };
  }
}
