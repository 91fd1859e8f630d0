/**
 * The web server: the built Next.js app (`.next`, from `npm run build`) behind Node's own
 * HTTP server, so every request is stamped with the client it came from (the socket's peer,
 * or what a trusted proxy forwarded: lib/client-address.ts) and a request id (X-Request-Id,
 * echoed). Next's route handlers never see the socket, and its own X-Forwarded-For is
 * whatever the client wrote. It answers /livez, /readyz (lib/web-probes.ts) and /metrics itself.
 * `npm start` runs this; run it alone with `node dist/web-server.js` once built, or `node --import tsx
 * scripts/web-server.ts` (PORT, TRUSTED_PROXIES, …). With `--dev` (`npm run dev`) it serves
 * `next dev` instead: compiled on request, reloaded on change.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { CLIENT_ADDRESS_HEADER, clientAddress, markClientAddressStamped, normalizeAddress } from "@/lib/client-address";
import { ConfigError, ZWebEnv, parseEnv } from "@/lib/config";
import { STATIC_SECURITY_HEADERS } from "@/lib/http-security";
import { startFailure } from "@/lib/log";
import { metricsRefusal } from "@/lib/metrics-access";
import { REQUEST_ID_HEADER, requestIdOf } from "@/lib/request-id";
import { webLog } from "@/lib/web-log";
import { webRegistry } from "@/lib/web-metrics";
import { webReadiness, type SideServerAnswer } from "@/lib/web-probes";
import { checkNodeVersion } from "./node-version.mjs";

/**
 * GET /metrics, answered here rather than by a route handler: the proxy's sign-in gate
 * (PUBLIC_READ=false) does not apply to Prometheus, which METRICS_TOKEN guards instead.
 */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
  const answer = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...STATIC_SECURITY_HEADERS, ...headers });
    res.end(body);
  };
  if (req.method !== "GET") return answer(405, "application/json", JSON.stringify({ error: "method: use GET" }), { allow: "GET" });
  const refusal = metricsRefusal(req.headers.authorization, token);
  if (refusal) return answer(401, "application/json", JSON.stringify({ error: refusal }), { "www-authenticate": "Bearer" });
  answer(200, webRegistry.contentType, await webRegistry.metrics());
}

/** How long /readyz waits for the side server's /readyz (which itself waits at most 1 s for its database). */
const SIDE_SERVER_READY_TIMEOUT_MS = 2_500;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...STATIC_SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

async function askSideServer(url: string, reqId: string): Promise<SideServerAnswer> {
  try {
    const res = await fetch(url, { headers: { [REQUEST_ID_HEADER]: reqId }, signal: AbortSignal.timeout(SIDE_SERVER_READY_TIMEOUT_MS) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not the side server's JSON (a proxy's page): the status says enough
    }
    return { status: res.status, body };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
    return { unreachable: cause ?? (error instanceof Error ? error.message : String(error)) };
  }
}

async function main(): Promise<void> {
  checkNodeVersion("web");
  const dev = process.argv.includes("--dev");
  if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
  const env = parseEnv(ZWebEnv, process.env);
  const log = webLog("web-server");
  const sideServerReadyz = `${(env.REALTIME_INTERNAL_URL ?? `http://127.0.0.1:${env.REALTIME_PORT}`).replace(/\/$/, "")}/readyz`;
  // Imported once NODE_ENV is set: React picks its production build by it.
  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), port: env.PORT, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  markClientAddressStamped();

  const server = createServer((req, res) => {
    const reqId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = reqId;
    res.setHeader("X-Request-Id", reqId);
    const began = performance.now();
    res.once("finish", () => log.debug({ reqId, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(performance.now() - began) }, "request"));
    const path = (req.url ?? "/").split("?")[0];
    // The probes and /metrics, before Next: no session needed (PUBLIC_READ=false), and no page rendered for them.
    if (path === "/livez") return sendJson(res, 200, { status: "alive" });
    if (path === "/metrics") {
      serveMetrics(req, res, env.METRICS_TOKEN).catch((error: unknown) => {
        log.error({ reqId, err: error }, "/metrics failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
      });
      return;
    }
    if (path === "/readyz") {
      void askSideServer(sideServerReadyz, reqId).then((answer) => {
        const readiness = webReadiness(sideServerReadyz, answer);
        sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? "ready" : "not ready", ...readiness });
      });
      return;
    }
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], env.TRUSTED_PROXIES);
    // The forwarded host and scheme (CSRF check, Secure cookies, HSTS) count only from a trusted proxy, not from anyone once one is trusted.
    if (!env.TRUSTED_PROXIES.includes(normalizeAddress(req.socket.remoteAddress ?? "") ?? "")) {
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
    }
    handle(req, res).catch((error: unknown) => {
      log.error({ reqId, method: req.method, url: req.url, err: error }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal error" }));
    });
  });
  server.listen(env.PORT, () => log.info({ port: env.PORT, url: `http://localhost:${env.PORT}`, trustedProxies: env.TRUSTED_PROXIES }, "listening"));
  const stop = (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close();
    server.closeIdleConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(startFailure("web-server", error, error instanceof ConfigError));
  process.exit(1);
});
