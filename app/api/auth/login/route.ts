import type { NextRequest } from "next/server";
import { localPath } from "@/lib/auth/local-path";
import { LoginThrottle } from "@/lib/auth/login-throttle";
import { SESSION_COOKIE } from "@/lib/auth/roles";
import { authenticate, ensureInitialAdmin, openSession } from "@/lib/db/users";
import { webDatabase, webEnv } from "@/lib/db/web";
import { refuseCrossSite, seeOther, sessionCookie } from "@/lib/web-auth";

export const dynamic = "force-dynamic";

// One per web process: the wait is a brake on guessing, not a record that must survive a restart.
const throttle = new LoginThrottle();

/**
 * POST /api/auth/login (the form of /login: name, password, next, lang). Right: a session
 * cookie and a 303 to `next`; wrong: a 303 back to /login saying so, the same for an
 * unknown name and a wrong password. Too many wrong in a row for a name: a 303 back saying
 * how long to wait (and Retry-After), the password not even checked.
 */
export async function POST(request: NextRequest): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ error: "body: must be a form (name, password)" }, { status: 415 });
  }
  const name = String(form.get("name") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const lang = form.get("lang") === "en" ? "en" : "zh";
  const next = localPath(form.get("next"), lang === "en" ? "/alerts?lang=en" : "/alerts");
  const back = (query: Record<string, string>) => seeOther(`/login?${new URLSearchParams({ ...query, next, ...(lang === "en" ? { lang } : {}) })}`);
  const waitSeconds = Math.ceil(throttle.waitMs(name, Date.now()) / 1_000);
  if (waitSeconds > 0) {
    const response = back({ error: "throttled", wait: String(waitSeconds) });
    response.headers.set("retry-after", String(waitSeconds));
    return response;
  }
  try {
    const db = await webDatabase();
    await ensureInitialAdmin(db, webEnv().ADMIN_PASSWORD);
    const user = password.length <= 256 ? await authenticate(db, name, password) : null;
    if (!user) {
      throttle.failed(name, Date.now());
      return back({ error: "invalid" });
    }
    throttle.succeeded(name);
    const response = seeOther(next);
    const cookie = sessionCookie(await openSession(db, user.name), request);
    response.headers.append("set-cookie", serialize(cookie));
    return response;
  } catch (error) {
    console.error("[web] login failed:", error instanceof Error ? error.message : error);
    return Response.json({ error: "database: unavailable, try again" }, { status: 503 });
  }
}

function serialize(c: ReturnType<typeof sessionCookie>): string {
  return `${SESSION_COOKIE}=${c.value}; Path=${c.path}; HttpOnly; SameSite=Strict${c.secure ? "; Secure" : ""}`;
}
