import type { NextRequest } from "next/server";
import { localPath } from "@/lib/auth/local-path";
import { LoginThrottle } from "@/lib/auth/login-throttle";
import { MAX_PASSWORD_LENGTH, SESSION_COOKIE, USER_NAME } from "@/lib/auth/roles";
import { clientOf } from "@/lib/web-client";
import { TaskQueue } from "@/lib/concurrency";
import { authenticate, ensureInitialAdmin, openSession } from "@/lib/db/users";
import { webDatabase, webEnv } from "@/lib/db/web";
import { refuseCrossSite, seeOther, sessionCookie } from "@/lib/web-auth";
import { countLogin } from "@/lib/web-metrics";
import { webLog } from "@/lib/web-log";

export const dynamic = "force-dynamic";

// One per web process: the waits are a brake on guessing, not a record that must survive a restart.
let limits: { throttle: LoginThrottle; hashing: TaskQueue } | undefined;
function loginLimits() {
  const env = webEnv();
  limits ??= {
    throttle: new LoginThrottle({ perMinute: env.LOGIN_CHECKS_PER_MINUTE, capacity: env.LOGIN_TRACKED_MAX }),
    hashing: new TaskQueue({ running: env.PASSWORD_CHECKS_AT_ONCE, waiting: env.PASSWORD_CHECKS_WAITING }),
  };
  return limits;
}

/**
 * POST /api/auth/login (the form of /login: name, password, next, lang). Right: a session
 * cookie and a 303 to `next`; wrong: a 303 back to /login saying so, the same for an
 * unknown name and a wrong password. Refused before any check (too many tries for the name
 * or from the client's address, or too many passwords being hashed already): a 303 back
 * saying how long to wait, with Retry-After.
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
  const invalid = () => {
    countLogin("invalid");
    return back({ error: "invalid" });
  };
  const wait = (error: "throttled" | "busy", ms: number) => {
    countLogin(error);
    const seconds = String(Math.max(1, Math.ceil(ms / 1_000)));
    const response = back({ error, wait: seconds });
    response.headers.set("retry-after", seconds);
    return response;
  };

  // From here to hashing.run, one synchronous step: what is admitted is recorded before any other request is looked at.
  const { throttle, hashing } = loginLimits();
  if (hashing.full) return wait("busy", 1_000);
  const waitMs = throttle.admit(name, clientOf(request.headers), Date.now());
  if (waitMs > 0) return wait("throttled", waitMs);
  // Admitted, and counted as wrong until proven right. No user has such a name or password: nothing to hash.
  if (!USER_NAME.test(name) || password.length > MAX_PASSWORD_LENGTH) return invalid();
  try {
    const user = await hashing.run(async () => {
      const db = await webDatabase();
      await ensureInitialAdmin(db, webEnv().ADMIN_PASSWORD);
      return authenticate(db, name, password);
    });
    if (!user) return invalid();
    throttle.succeeded(name);
    countLogin("success");
    const response = seeOther(next);
    const cookie = sessionCookie(await openSession(await webDatabase(), user.name), request);
    response.headers.append("set-cookie", serialize(cookie));
    return response;
  } catch (error) {
    webLog("auth").error({ err: error }, "login failed");
    countLogin("error");
    return Response.json({ error: "database: unavailable, try again" }, { status: 503 });
  }
}

function serialize(c: ReturnType<typeof sessionCookie>): string {
  return `${SESSION_COOKIE}=${c.value}; Path=${c.path}; HttpOnly; SameSite=Strict${c.secure ? "; Secure" : ""}`;
}
