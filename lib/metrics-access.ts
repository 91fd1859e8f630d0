/**
 * Who may read /metrics, on both servers. Unset METRICS_TOKEN: anyone, like /healthz (the page
 * holds counts only: no entity, user, token name or address). Set: only a request bearing it,
 * compared in constant time. PUBLIC_READ does not apply: Prometheus has no session to sign in with.
 */
import { timingSafeEqual } from "node:crypto";

/** Why a request may not read /metrics (the message names the header), or null when it may. */
export function metricsRefusal(authorization: string | undefined, token: string | undefined): string | null {
  if (!token) return null;
  const given = Buffer.from(/^Bearer (\S+)$/i.exec(authorization ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  return "authorization: /metrics needs 'Authorization: Bearer <METRICS_TOKEN>'";
}
