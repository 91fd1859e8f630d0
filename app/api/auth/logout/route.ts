import type { NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/roles";
import { closeSession } from "@/lib/db/users";
import { webDatabase } from "@/lib/db/web";
import { refuseCrossSite, seeOther, siteOf } from "@/lib/web-auth";
import { webLog } from "@/lib/web-log";

export const dynamic = "force-dynamic";

/** POST /api/auth/logout: ends the session in the database (not only the cookie), then back to /alerts. */
export async function POST(request: NextRequest): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  try {
    await closeSession(await webDatabase(), token);
  } catch (error) {
    webLog("auth").error({ err: error }, "logout failed");
  }
  const lang = request.nextUrl.searchParams.get("lang") === "en" ? "?lang=en" : "";
  const response = seeOther(`/alerts${lang}`);
  const secure = siteOf(request).https;
  response.headers.append("set-cookie", `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`);
  return response;
}
