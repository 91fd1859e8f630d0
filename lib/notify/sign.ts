/**
 * The robots' request signatures, as their vendors document them. Deterministic functions
 * of (time, secret[, body]); HMAC-SHA256 from node:crypto.
 */
import { createHmac } from "node:crypto";

/**
 * DingTalk custom robot, 加签 (sign request):
 * https://open.dingtalk.com/document/robots/customize-robot-security-settings
 * string to sign = timestamp (ms) + "\n" + secret; HMAC-SHA256 keyed with the secret; Base64;
 * then URL-encoded (UTF-8) and sent as `&timestamp=…&sign=…` on the webhook URL. DingTalk
 * refuses a timestamp more than an hour from its clock. Returns the Base64, not yet encoded.
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

/**
 * Feishu custom bot, 签名校验 (signature check):
 * https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 * timestamp (seconds) + "\n" + secret is the HMAC-SHA256 *key*, the message is empty; Base64.
 * Sent in the body as "timestamp" (a string) and "sign"; within an hour of Feishu's clock.
 */
export function feishuSign(timestampS: number, secret: string): string {
  return createHmac("sha256", `${timestampS}\n${secret}`).update("").digest("base64");
}

/**
 * Our JSON webhook, when it has a secret: HMAC-SHA256 keyed with the secret over
 * timestamp (ms) + "." + the exact body bytes, hex, sent as
 * `X-OneScreen-Signature: sha256=<hex>` with `X-OneScreen-Timestamp: <ms>` (docs/alerts.md).
 */
export function webhookSignature(timestampMs: number, body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampMs}.${body}`, "utf8").digest("hex")}`;
}
