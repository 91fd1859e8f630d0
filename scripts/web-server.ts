/**
 * The web server: the built Next.js app (`.next`, from `npm run build`) behind Node's own
 * HTTP server, so every request is stamped with the client it came from (the socket's peer,
 * or what a trusted proxy forwarded: lib/client-address.ts). Next's route handlers never see
 * the socket, and its own X-Forwarded-For is whatever the client wrote. `npm start` runs
 * this; run it alone with `node dist/web-server.js` once built, or `node --import tsx
 * scripts/web-server.ts` (PORT, TRUSTED_PROXIES, …). With `--dev` (`npm run dev`) it serves
 * `next dev` instead: compiled on request, reloaded on change.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { CLIENT_ADDRESS_HEADER, clientAddress, markClientAddressStamped, normalizeAddress } from "@/lib/client-address";
import { ConfigError, ZWebEnv, parseEnv } from "@/lib/config";
import { checkNodeVersion } from "./node-version.mjs";
import { STATIC_SECURITY_HEADERS } from "@/lib/http-security";
import { metricsRefusal } from "@/lib/metrics-access";
import { webRegistry } from "@/lib/web-metrics";

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

async function main(): Promise<void> {
  checkNodeVersion("web");
  const dev = process.argv.includes("--dev");
  if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
  const env = parseEnv(ZWebEnv, process.env);
  // Imported once NODE_ENV is set: React picks its production build by it.
  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), port: env.PORT, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  markClientAddressStamped();

  const server = createServer((req, res) => {
    if (req.url?.split("?", 1)[0] === "/metrics") {
      serveMetrics(req, res, env.METRICS_TOKEN).catch((error: unknown) => {
        console.error("[web] /metrics failed:", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
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
      console.error(`[web] ${req.method} ${req.url} failed:`, error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal error" }));
    });
  });
  server.listen(env.PORT, () => console.log(`[web] listening on http://localhost:${env.PORT}${env.TRUSTED_PROXIES.length > 0 ? ` (trusting X-Forwarded-For from ${env.TRUSTED_PROXIES.join(", ")})` : ""}`));
  const stop = () => {
    server.close();
    server.closeIdleConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `[web] ${error.message}` : error);
  process.exit(1);
});
