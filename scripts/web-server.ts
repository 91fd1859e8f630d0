/**
 * The web server: the built Next.js app (`.next`, from `npm run build`) behind Node's own
 * HTTP server, so every request is stamped with the client it came from (the socket's peer,
 * or what a trusted proxy forwarded: lib/client-address.ts). Next's route handlers never see
 * the socket, and its own X-Forwarded-For is whatever the client wrote. `npm start` runs
 * this; run it alone with `node dist/web-server.js` once built, or `node --import tsx
 * scripts/web-server.ts` (PORT, TRUSTED_PROXIES, …). With `--dev` (`npm run dev`) it serves
 * `next dev` instead: compiled on request, reloaded on change.
 */
import { createServer } from "node:http";
import { CLIENT_ADDRESS_HEADER, clientAddress, markClientAddressStamped, normalizeAddress } from "@/lib/client-address";
import { ConfigError, ZWebEnv, parseEnv } from "@/lib/config";
import { checkNodeVersion } from "./node-version.mjs";

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
