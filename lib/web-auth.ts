/**
 * Sign-in on the web server: who the request's session cookie belongs to, the cookie
 * itself, the CSRF check, and the side-server calls made on a signed-in user's behalf.
 * Every decision is made here, on the server; pages only hide what would be refused.
 */
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { SESSION_COOKIE, originProblem } from "./auth/roles";
import { databaseTarget, stateDirectory } from "./config";
import { sessionUser, type User } from "./db/users";
import { webDatabase, webEnv } from "./db/web";
import { resolveAdminToken } from "@/server/admin-token";

/** The signed-in user of this request (page or route handler), or null; a database not ready yet counts as signed out. */
export async function currentUser(): Promise<User | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  try {
    return await sessionUser(await webDatabase(), token);
  } catch (error) {
    console.error("[web] session lookup failed:", error instanceof Error ? error.message : error);
    return null;
  }
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure over https; no Max-Age: the server's idle limit decides. */
export function sessionCookie(token: string, request: NextRequest) {
  return { name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: "strict" as const, path: "/", secure: isHttps(request) };
}

function isHttps(request: NextRequest): boolean {
  return request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

/** A 403 naming `origin` unless the request comes from a page of this site (CSRF); null when it does. */
export function refuseCrossSite(request: NextRequest): Response | null {
  const problem = originProblem(request.headers.get("origin"), request.headers.get("x-forwarded-host") ?? request.headers.get("host"));
  return problem ? Response.json({ error: problem }, { status: 403 }) : null;
}

/** A 303 to a path of this site: relative, so it is right behind any proxy. */
export function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { location: path } });
}

/** Only a path of this site ("/alerts?lang=en"), never another site ("//evil", "https://…"). */
export function localPath(value: unknown, fallback: string): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : fallback;
}

/** GETs and validates a side-server answer for a page; null when it is unreachable or answers something else. */
export async function sideServerGet<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  try {
    const res = await fetch(`${sideServerBase()}${path}`, { cache: "no-store", signal: AbortSignal.timeout(2_000) });
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
  const env = webEnv();
  const token = resolveAdminToken(env.ADMIN_TOKEN, stateDirectory(databaseTarget(env.DATABASE_URL, process.cwd()), process.cwd()), false);
  if (!token) return { status: 503, body: { error: "side server: no admin token (set ADMIN_TOKEN, or start the side server once to create its token file)" } };
  try {
    const res = await fetch(`${sideServerBase()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch (error) {
    return { status: 503, body: { error: `side server: unreachable (${error instanceof Error ? error.message : String(error)})` } };
  }
}
