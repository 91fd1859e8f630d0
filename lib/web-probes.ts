/**
 * The web server's probes (scripts/web-server.ts answers them before Next sees the request,
 * so no session is needed even with PUBLIC_READ=false). /livez: the process answers. /readyz:
 * Next is prepared (the server listens only once it is) and the side server says it is ready,
 * since a page without the side server is an empty wall and acknowledgements that go nowhere.
 */
export const WEB_PROBE_PATHS = ["/livez", "/readyz"] as const;

/** What asking the side server's /readyz gave: its status and body, or why there was no answer. */
export type SideServerAnswer = { status: number; body: unknown } | { unreachable: string };

export interface WebReadiness {
  ready: boolean;
  reasons: string[];
  checks: { next: "ready"; sideServer: { url: string; status: number | null; reasons: string[] } };
}

function reasonsOf(body: unknown): string[] {
  if (typeof body !== "object" || body === null || !("reasons" in body) || !Array.isArray(body.reasons)) return [];
  return body.reasons.filter((r): r is string => typeof r === "string").slice(0, 10);
}

export function webReadiness(url: string, side: SideServerAnswer): WebReadiness {
  const reasons: string[] = [];
  const status = "status" in side ? side.status : null;
  const sideReasons = "status" in side ? reasonsOf(side.body) : [];
  if ("unreachable" in side) reasons.push(`side server unreachable at ${url}: ${side.unreachable}`);
  else if (side.status !== 200) reasons.push(`side server not ready (HTTP ${side.status})${sideReasons.length > 0 ? `: ${sideReasons.join("; ")}` : ""}`);
  return { ready: reasons.length === 0, reasons, checks: { next: "ready", sideServer: { url, status, reasons: sideReasons } } };
}
