/**
 * Stand-ins for the robots' webhook servers, on 127.0.0.1 (node:http): each checks a request
 * the way its vendor does and answers as its vendor documents, keeping the raw body for the
 * test to compare byte for byte.
 * - WeCom (https://developer.work.weixin.qq.com/document/path/91770): POST
 *   /cgi-bin/webhook/send?key=<key>, JSON, msgtype text (≤ 2048 bytes) or markdown (≤ 4096);
 *   answers {"errcode":0,"errmsg":"ok"}, an unknown key {"errcode":93000,…}.
 * - DingTalk (https://open.dingtalk.com/document/robots/customize-robot-security-settings):
 *   /robot/send?access_token=…&timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256(secret,
 *   "timestamp\nsecret")>, the timestamp within an hour; a mismatch answers errcode 310000.
 * - Feishu (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot): body
 *   "timestamp" (s) and "sign" = base64 HMAC-SHA256 keyed with "timestamp\nsecret" over
 *   nothing, within an hour; answers {"code":0,"msg":"success","data":{}} or code 19021.
 * - Our webhook: X-OneScreen-Signature = sha256=hex HMAC(secret, "<X-OneScreen-Timestamp>.<body>").
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceiverKind = "wecom" | "dingtalk" | "feishu" | "webhook";

export interface Received {
  url: URL;
  headers: IncomingHttpHeaders;
  /** The raw body as sent. */
  body: Buffer;
  /** What the vendor would have refused, or null when the request passes its checks. */
  refused: string | null;
}

export interface ReceiverOptions {
  secret?: string;
  /** WeCom's key / DingTalk's access token expected in the URL. */
  key?: string;
  /** Instead of the vendor's answer: this status (and Location), or never answer at all. */
  behaviour?: { status: number; location?: string } | "hang";
}

const HOUR_MS = 3_600_000;
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function refusal(kind: ReceiverKind, url: URL, headers: IncomingHttpHeaders, body: Buffer, opts: ReceiverOptions): string | null {
  if (!(headers["content-type"] ?? "").startsWith("application/json")) return "content-type is not application/json";
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  } catch {
    return "body is not JSON";
  }
  switch (kind) {
    case "wecom": {
      if (url.pathname !== "/cgi-bin/webhook/send" || url.searchParams.get("key") !== opts.key) return "invalid webhook url";
      const inner = json[String(json.msgtype)] as { content?: unknown } | undefined;
      const limit = json.msgtype === "text" ? 2048 : json.msgtype === "markdown" ? 4096 : 0;
      if (limit === 0 || typeof inner?.content !== "string") return "invalid msgtype or content";
      return Buffer.byteLength(inner.content) > limit ? "content exceeds max length" : null;
    }
    case "dingtalk": {
      if (url.pathname !== "/robot/send" || url.searchParams.get("access_token") !== opts.key) return "token is not exist";
      if (!opts.secret) return null;
      const timestamp = url.searchParams.get("timestamp") ?? "";
      const sign = url.searchParams.get("sign") ?? ""; // URLSearchParams has URL-decoded it
      if (Math.abs(Date.now() - Number(timestamp)) > HOUR_MS) return "timestamp invalid";
      const expected = createHmac("sha256", opts.secret).update(`${timestamp}\n${opts.secret}`).digest("base64");
      return same(sign, expected) ? null : "sign not match";
    }
    case "feishu": {
      if (!opts.secret) return null;
      const { timestamp, sign } = json;
      if (typeof timestamp !== "string" || typeof sign !== "string") return "sign match fail or timestamp is not within one hour from current time";
      const expected = createHmac("sha256", `${timestamp}\n${opts.secret}`).update("").digest("base64");
      return Math.abs(Date.now() / 1000 - Number(timestamp)) <= 3_600 && same(sign, expected) ? null : "sign match fail or timestamp is not within one hour from current time";
    }
    case "webhook": {
      if (!opts.secret) return null;
      const timestamp = String(headers["x-onescreen-timestamp"] ?? "");
      const expected = `sha256=${createHmac("sha256", opts.secret).update(`${timestamp}.`).update(body).digest("hex")}`;
      return same(String(headers["x-onescreen-signature"] ?? ""), expected) ? null : "bad signature";
    }
  }
}

function answer(kind: ReceiverKind, res: ServerResponse, refused: string | null): void {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (kind === "wecom") return send(200, refused ? { errcode: refused === "invalid webhook url" ? 93000 : 40008, errmsg: refused } : { errcode: 0, errmsg: "ok" });
  if (kind === "dingtalk") return send(200, refused ? { errcode: 310000, errmsg: refused } : { errcode: 0, errmsg: "ok" });
  if (kind === "feishu") return send(200, refused ? { code: 19021, msg: refused, data: {} } : { code: 0, msg: "success", data: {} });
  return refused ? send(401, { error: refused }) : send(200, { ok: true });
}

export interface Receiver {
  kind: ReceiverKind;
  port: number;
  /** The URL a channel points at (with its key where the vendor puts one). */
  url: string;
  received: Received[];
  /** Stops listening: the next request is refused at connect (the receiver is "down"). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

export async function startReceiver(kind: ReceiverKind, opts: ReceiverOptions = {}): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
          const body = Buffer.concat(chunks);
          const refused = req.method === "POST" ? refusal(kind, url, req.headers, body, opts) : "method is not POST";
          received.push({ url, headers: req.headers, body, refused });
          const { behaviour } = opts;
          if (behaviour === "hang") hanging.add(res);
          else if (behaviour) {
            res.writeHead(behaviour.status, behaviour.location ? { location: behaviour.location } : {});
            res.end("not here");
          } else answer(kind, res, refused);
        });
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  await listen();
  const path = kind === "wecom" ? `/cgi-bin/webhook/send?key=${opts.key ?? ""}` : kind === "dingtalk" ? `/robot/send?access_token=${opts.key ?? ""}` : kind === "feishu" ? "/open-apis/bot/v2/hook/0a1b2c3d-4e5f" : "/hooks/onescreen";
  return {
    kind,
    port,
    url: `http://127.0.0.1:${port}${path}`,
    received,
    async down() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    up: () => (server ? Promise.resolve() : listen()),
  };
}
