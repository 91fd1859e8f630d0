/** JSON over plain node:http for the side server's routes: errors that name the field, capped bodies. */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { STATIC_SECURITY_HEADERS } from "@/lib/http-security";

/** Thrown by a route; answered as `{ error: message }` (plus `details`) with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * On every answer of the side server, the socket's HTTP ones included (server/realtime.ts):
 * JSON is never sniffed into a page, and a page of it could load nothing and be framed nowhere.
 */
export const SIDE_SERVER_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...STATIC_SECURITY_HEADERS,
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)), "cache-control": "no-store", ...SIDE_SERVER_SECURITY_HEADERS, ...headers });
  res.end(text);
}

/** Reads a JSON body of one of `types` (media types), refusing more than `maxBytes`. */
export async function readJson(req: IncomingMessage, maxBytes: number, types: readonly string[] = ["application/json"]): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (!types.includes(type)) throw new HttpError(415, `content-type: must be ${types.join(" or ")}`);
  const tooLarge = () => new HttpError(413, `body: larger than ${maxBytes} bytes`);
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) throw tooLarge();
  // Listeners, not `for await`: leaving that loop early destroys the request and its socket,
  // and the client would never read the 413 (the error answer reads the rest: see serveRoutes).
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd);
      req.pause();
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData).once("end", onEnd).once("error", reject);
  });
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "body: not valid JSON");
  }
}

/**
 * How much of a body nobody read (refused by its size, its token, its type) is read and
 * thrown away before the error is answered. Most clients send their whole body before they
 * read: answered and closed earlier, they get a broken pipe (EPIPE) instead of the answer.
 * A body declared or found larger is answered at once and its connection closed.
 */
export const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

function answerError(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  const send = (close: boolean) => sendJson(res, error.status, { error: error.message, ...error.details }, { ...(close ? { connection: "close" } : {}), ...error.headers });
  if (req.complete) return send(false);
  if (Number(req.headers["content-length"] ?? 0) > DISCARD_MAX_BYTES) return send(true);
  let discarded = 0;
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded <= DISCARD_MAX_BYTES) return;
    req.off("data", onData).off("end", onEnd);
    send(true);
  };
  const onEnd = () => send(false);
  req.on("data", onData).once("end", onEnd);
  req.resume();
}

/** Throws 401 unless the request carries the admin bearer token. */
export function authorizeAdmin(req: IncomingMessage, adminToken: string): void {
  if (!hasAdminToken(req, adminToken)) throw new HttpError(401, "authorization: a valid 'Authorization: Bearer <admin token>' header is required");
}

/** Whether the request carries the admin bearer token (compared in constant time). */
export function hasAdminToken(req: IncomingMessage, adminToken: string): boolean {
  const given = Buffer.from(bearerToken(req));
  const expected = Buffer.from(adminToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** RFC 6750's credentials, read strictly: the scheme (any case, as RFC 7235 says), one space, a b64token, nothing around them. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** The bearer token of the request, or "" when there is none or the header is not exactly `Bearer <token>`. */
export function bearerToken(req: IncomingMessage): string {
  return BEARER.exec(req.headers.authorization ?? "")?.[1] ?? "";
}

/** One of the side server's route groups: answers and returns true, or returns false to pass. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Tries each group in turn; an HttpError becomes its JSON answer. False: nobody took it (the caller answers 404). */
export function serveRoutes(routes: readonly Route[]) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      for (const route of routes) if (await route(req, res, url)) return true;
      return false;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answerError(req, res, error);
      return true;
    }
  };
}
