/**
 * The signatures against vectors computed with the vendors' own sample code (Python:
 * hmac/hashlib/base64/urllib.parse as in the DingTalk and Feishu docs), not with ours.
 */
import { describe, expect, it } from "vitest";
import { buildRequest } from "./request";
import { dingtalkSign, feishuSign, webhookSignature } from "./sign";

// DingTalk: hmac.new(secret, f"{timestamp}\n{secret}", sha256), base64, then quote_plus.
const DINGTALK: [number, string, string, string][] = [
  [1577262236757, "this is secret", "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=", "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D"],
  [1795600000000, "SEC0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678901234567890abcdef01", "nNxpzfzisk7MkCFnjpE7xqjq90EWXtgfTqTj/cm5WEo=", "nNxpzfzisk7MkCFnjpE7xqjq90EWXtgfTqTj%2Fcm5WEo%3D"],
  [1700000000123, "密钥 with spaces/+=", "+uKOWXYmMLxkNywumKBZu9qO37bR056QuKmkHds9KzI=", "%2BuKOWXYmMLxkNywumKBZu9qO37bR056QuKmkHds9KzI%3D"],
];
// Feishu: hmac.new(f"{timestamp}\n{secret}".encode(), digestmod=sha256) over nothing, base64.
const FEISHU: [number, string, string][] = [
  [1599360473, "this is secret", "/eYKrXQBzTjUZJ3s6NX16VxGbTwmK7AEs8/FnvC1CSw="],
  [1795600000, "qcGzXbyMyCc4C9Gd0Vf8Bf", "lrqHYCLq+ePPMDwZo0Vj8rHJqqv7d0p/kmUptzt+/XA="],
  [1700000000, "密钥 with spaces/+=", "ryt0G8ooWs5+3JjXvAAkHDhl6gA/JZHLEkmmH1KPMlw="],
];

const TEST = { kind: "test" as const, channel: { id: "ch-00000000", name: "t" }, at: 0 };

describe("DingTalk 加签", () => {
  it.each(DINGTALK)("timestamp %i, secret %j", (ts, secret, base64, encoded) => {
    expect(dingtalkSign(ts, secret)).toBe(base64);
    const request = buildRequest({ type: "dingtalk", format: "text", lang: "zh", url: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret }, TEST, ts, "http://x");
    expect(request.url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=${ts}&sign=${encoded}`);
    expect(request.body).not.toContain(secret);
  });
});

describe("Feishu 签名校验", () => {
  it.each(FEISHU)("timestamp %i, secret %j", (ts, secret, sign) => {
    expect(feishuSign(ts, secret)).toBe(sign);
    const request = buildRequest({ type: "feishu", format: "text", lang: "zh", url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret }, TEST, ts * 1000 + 999, "http://x");
    expect(request.body.startsWith(`{"timestamp":"${ts}","sign":"${sign}","msg_type":"text","content":{"text":`)).toBe(true);
    expect(request.url).toBe("https://open.feishu.cn/open-apis/bot/v2/hook/x");
  });
});

describe("our webhook's HMAC", () => {
  it("is sha256=hex of '<timestamp>.<body>' keyed with the secret, in two headers", () => {
    expect(webhookSignature(1795600000000, '{"a":1}', "hook-secret")).toBe("sha256=da794794ef7f9c5f4b04c1aacbdc1d3449958ce2d20ba292ee8cadcd0a35b6d0");
    const request = buildRequest({ type: "webhook", format: "json", lang: "zh", url: "https://hooks.example/x", secret: "hook-secret" }, TEST, 1795600000000, "http://x");
    expect(request.headers).toMatchObject({ "x-onescreen-timestamp": "1795600000000", "x-onescreen-signature": webhookSignature(1795600000000, request.body, "hook-secret") });
  });

  it("without a secret nothing is signed, and WeCom is never signed", () => {
    const plain = buildRequest({ type: "webhook", format: "json", lang: "zh", url: "https://hooks.example/x", secret: null }, TEST, 1, "http://x");
    expect(Object.keys(plain.headers).sort()).toEqual(["content-type", "user-agent"]);
    const wecom = buildRequest({ type: "wecom", format: "text", lang: "zh", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", secret: null }, TEST, 1, "http://x");
    expect(wecom.url).toBe("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k");
  });
});
