/** The side server's plain HTTP routes: health and the snapshot for server rendering. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DOMAINS, type Domain } from "@/lib/catalog";
import { ZDomain, type TSnapshot } from "@/lib/realtime/protocol";

export interface Health {
  status: "ok" | "degraded";
  protocolVersion: number;
  uptimeSeconds: number;
  connectedClients: number;
  samplesPersisted: number;
  persistFailures: number;
  lastPersistAt: string | null;
  database: { reachable: boolean; error?: string };
}

export interface HttpRoutesDeps {
  health(): Promise<Health>;
  snapshot(domains: readonly Domain[]): TSnapshot;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

/** Parses ?domains=traffic,parking; absent means all. Returns an error message for a bad value. */
function parseDomains(param: string | null): Domain[] | string {
  if (param === null || param === "") return [...DOMAINS];
  const domains: Domain[] = [];
  for (const part of param.split(",")) {
    const parsed = ZDomain.safeParse(part);
    if (!parsed.success) return `domains: unknown domain "${part}" (expected ${DOMAINS.join(", ")})`;
    domains.push(parsed.data);
  }
  return domains;
}

export function createHttpRoutes(deps: HttpRoutesDeps) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") {
      const health = await deps.health();
      sendJson(res, health.status === "ok" ? 200 : 503, health);
      return true;
    }
    if (url.pathname === "/snapshot") {
      if (req.method !== "GET") {
        sendJson(res, 405, { error: "method not allowed: use GET" });
        return true;
      }
      const domains = parseDomains(url.searchParams.get("domains"));
      if (typeof domains === "string") sendJson(res, 400, { error: domains });
      else sendJson(res, 200, deps.snapshot(domains));
      return true;
    }
    return false;
  };
}
