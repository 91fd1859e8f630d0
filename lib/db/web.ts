/**
 * The web server's access to the side server's data: one Prisma client per
 * process (the one sanctioned global) and the first snapshot for server rendering.
 * The side server owns migrations; the web only reads.
 */
import { databaseTarget, stateDirectory } from "../config";
import { resolveAdminToken } from "@/server/admin-token";
import { ZSnapshot, type TSnapshot, type TSubscription } from "../realtime/protocol";
import { webEnv } from "../web-env";
import { openDatabase, type Database } from "./client";

export { webEnv };

const globalForDb = globalThis as unknown as { onescreenDb?: Promise<Database> };

export function webDatabase(): Promise<Database> {
  globalForDb.onescreenDb ??= openDatabase(databaseTarget(webEnv().DATABASE_URL, process.cwd())).catch((error: unknown) => {
    globalForDb.onescreenDb = undefined; // retry on the next request instead of caching the failure
    throw error;
  });
  return globalForDb.onescreenDb;
}

/** The side server's snapshot, or null when it is not reachable (the socket fills the wall later). */
export async function fetchSnapshot(subscription: TSubscription): Promise<TSnapshot | null> {
  const env = webEnv();
  const base = env.REALTIME_INTERNAL_URL ?? `http://127.0.0.1:${env.REALTIME_PORT}`;
  try {
    const query = new URLSearchParams({ domains: subscription.domains.join(","), level: subscription.level, scope: subscription.scope });
    const res = await fetch(`${base}/snapshot?${query}`, { cache: "no-store", headers: sideServerAuthorization(), signal: AbortSignal.timeout(1_500) });
    if (!res.ok) return null;
    const parsed = ZSnapshot.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // side server down or slow: render the empty wall, the socket will connect when it is back
  }
}

/** Where the browser finds the side server: configured, or the page's own host at this port. */
export function realtimeLocation(): { configuredUrl: string | null; port: number } {
  const env = webEnv();
  return { configuredUrl: env.REALTIME_PUBLIC_URL ?? null, port: env.REALTIME_PORT };
}

/**
 * The side server's admin token as a header, for the web server's own calls: its writes on an
 * operator's behalf and, with PUBLIC_READ=false, its reads. Empty when there is none yet.
 */
export function sideServerAuthorization(): Record<string, string> {
  const env = webEnv();
  const token = resolveAdminToken(env.ADMIN_TOKEN, stateDirectory(databaseTarget(env.DATABASE_URL, process.cwd()), process.cwd()), false);
  return token ? { authorization: `Bearer ${token}` } : {};
}
