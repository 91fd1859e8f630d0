/**
 * The HTTP request a channel sends for a notice: URL, headers and the exact body bytes,
 * signed as its type wants (lib/notify/sign.ts). The secret never leaves in the clear: it
 * only keys the signature, and the request goes to the channel's own URL only.
 */
import type { Channel } from "./channels";
import { bodyOf, type Notice } from "./message";
import { dingtalkSign, feishuSign, webhookSignature } from "./sign";

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const USER_AGENT = "OneScreen-Notify/1";

/** `nowMs`: the wall clock (the robots check signatures against theirs), never the source clock. */
export function buildRequest(channel: Pick<Channel, "type" | "format" | "lang" | "url" | "secret">, notice: Notice, nowMs: number, publicUrl: string): OutgoingRequest {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "user-agent": USER_AGENT };
  const payload = bodyOf(channel.type, channel.format, notice, channel.lang, publicUrl);
  const { secret } = channel;
  if (channel.type === "dingtalk" && secret) {
    // Appended as text: re-serialising the query through URLSearchParams could re-encode the access_token.
    const url = `${channel.url}${channel.url.includes("?") ? "&" : "?"}timestamp=${nowMs}&sign=${encodeURIComponent(dingtalkSign(nowMs, secret))}`;
    return { url, headers, body: JSON.stringify(payload) };
  }
  if (channel.type === "feishu" && secret) {
    const timestamp = Math.floor(nowMs / 1000);
    return { url: channel.url, headers, body: JSON.stringify({ timestamp: String(timestamp), sign: feishuSign(timestamp, secret), ...payload }) };
  }
  const body = JSON.stringify(payload);
  if (channel.type === "webhook" && secret) {
    headers["x-onescreen-timestamp"] = String(nowMs);
    headers["x-onescreen-signature"] = webhookSignature(nowMs, body, secret);
  }
  return { url: channel.url, headers, body };
}
