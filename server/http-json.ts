/** JSON over plain node:http for the side server's routes: errors that name the field, capped bodies. */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

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

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** Reads a JSON body of one of `types` (media types), refusing more than `maxBytes`. */
export async function readJson(req: IncomingMessage, maxBytes: number, types: readonly string[] = ["application/json"]): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (!types.includes(type)) throw new HttpError(415, `content-type: must be ${types.join(" or ")}`);
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) throw new HttpError(413, `body: larger than ${maxBytes} bytes`);
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `body: larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "body: not valid JSON");
  }
}

/** Throws 401 unless the request carries the admin bearer token (compared in constant time). */
export function authorizeAdmin(req: IncomingMessage, adminToken: string): void {
  const given = Buffer.from(bearerToken(req));
  const expected = Buffer.from(adminToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, "authorization: a valid 'Authorization: Bearer <admin token>' header is required");
  }
}

/** The bearer token of the request, or "" when there is none. */
export function bearerToken(req: IncomingMessage): string {
  const header = req.headers.authorization ?? "";
  return header.startsWith("Bearer ") ? header.slice(7).trim() : "";
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
      sendJson(res, error.status, { error: error.message, ...error.details }, { connection: "close", ...error.headers });
      return true;
    }
  };
}
