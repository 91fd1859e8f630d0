import { describe, expect, it } from "vitest";
import { channelFromInput, maskUrl, publicChannel, urlProblem, wants, type Channel } from "./channels";

const AT = { id: "ch-0a1b2c3d", nowTs: 1_000, nowMs: 2_000 };
const VALID = { name: "值班群", type: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", severities: ["critical"], domains: ["traffic", "parking"] };

const made = (input: unknown, stored: Channel | null = null) => channelFromInput(input, stored, AT);
const channel = (input: unknown, stored: Channel | null = null): Channel => {
  const result = made(input, stored);
  if (!result.ok) throw new Error(result.message);
  return result.channel;
};

describe("a channel as an admin sends it", () => {
  it("a valid WeCom channel gets the defaults: markdown, Chinese, open and resolve, enabled", () => {
    expect(channel(VALID)).toEqual({
      id: "ch-0a1b2c3d",
      name: "值班群",
      type: "wecom",
      url: VALID.url,
      secret: null,
      format: "markdown",
      lang: "zh",
      severities: ["critical"],
      domains: ["traffic", "parking"],
      onOpen: true,
      onAcknowledge: false,
      onResolve: true,
      enabled: true,
      createdTs: 1_000,
      updatedAt: 2_000,
    });
  });

  it.each([
    ["no name", { ...VALID, name: " " }, "name: must not be empty"],
    ["an unknown type", { ...VALID, type: "slack" }, "type: must be one of webhook, dingtalk, wecom, feishu"],
    ["no URL for a new channel", { ...VALID, url: undefined }, "url: required for a new channel"],
    ["a file: URL", { ...VALID, url: "file:///etc/passwd" }, "url: must be http:// or https:// (not file://)"],
    ["a gopher: URL", { ...VALID, url: "gopher://x/" }, "url: must be http:// or https:// (not gopher://)"],
    ["not a URL", { ...VALID, url: "qyapi.weixin.qq.com/send" }, "url: must be an absolute http:// or https:// URL"],
    ["credentials in the URL", { ...VALID, url: "https://user:pw@hooks.example/x" }, "url: must not carry a user name or password"],
    ["a format the type cannot send", { ...VALID, format: "interactive" }, "format: a wecom channel sends markdown or text"],
    ["a secret on WeCom", { ...VALID, secret: "SECabc" }, "secret: a WeCom group robot has no signing secret (its key is in the URL); remove it"],
    ["no severity", { ...VALID, severities: [] }, "severities: must name at least one severity"],
    ["an unknown severity", { ...VALID, severities: ["fatal"] }, "severities.0: must be info, warning, critical"],
    ["an unknown domain", { ...VALID, domains: ["water"] }, "domains.0: must be traffic, parking, health, broadband"],
    ["no event", { ...VALID, onOpen: false, onResolve: false }, "onOpen: choose at least one of open, acknowledge and resolve"],
    ["an unknown field", { ...VALID, colour: "red" }, 'body: Unrecognized key: "colour"'],
    ["a name too long", { ...VALID, name: "x".repeat(81) }, "name: must be at most 80 characters"],
  ])("refuses %s, naming the field", (_what, input, message) => {
    expect(made(input)).toEqual({ ok: false, message });
  });

  it("a change keeps the stored URL and secret unless given; null removes the secret", () => {
    const stored = channel({ ...VALID, type: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=t1", secret: "SECone" });
    const renamed = channel({ ...VALID, type: "dingtalk", name: "夜班", url: "", secret: undefined }, stored);
    expect(renamed).toMatchObject({ id: stored.id, name: "夜班", url: stored.url, secret: "SECone", createdTs: stored.createdTs });
    expect(channel({ ...VALID, type: "dingtalk", url: undefined, secret: "SECtwo" }, stored).secret).toBe("SECtwo");
    expect(channel({ ...VALID, type: "dingtalk", url: undefined, secret: null }, stored).secret).toBeNull();
    // Turning a signed DingTalk channel into WeCom without removing its secret is refused, not half-applied.
    expect(made({ ...VALID, url: undefined }, stored)).toMatchObject({ ok: false, message: expect.stringMatching(/^secret: /) });
  });

  it("severities and domains come out once each, in the catalog's order", () => {
    expect(channel({ ...VALID, severities: ["critical", "info", "critical"], domains: ["broadband", "traffic"] })).toMatchObject({ severities: ["info", "critical"], domains: ["traffic", "broadband"] });
  });
});

describe("which events a channel takes", () => {
  const c = channel({ ...VALID, severities: ["critical"], domains: ["traffic"], onAcknowledge: true, onResolve: false });
  it.each([
    [{ severity: "critical", domain: "traffic" }, "open", true],
    [{ severity: "critical", domain: "traffic" }, "acknowledge", true],
    [{ severity: "critical", domain: "traffic" }, "resolve", false],
    [{ severity: "warning", domain: "traffic" }, "open", false],
    [{ severity: "critical", domain: "parking" }, "open", false],
    [{ severity: "critical", domain: null }, "open", false],
  ] as const)("%j %s → %s", (alert, event, expected) => {
    expect(wants(c, alert, event)).toBe(expected);
  });
  it("a disabled channel takes nothing", () => {
    expect(wants({ ...c, enabled: false }, { severity: "critical", domain: "traffic" }, "open")).toBe(false);
  });
});

describe("what answers show of a channel", () => {
  it.each([
    ["https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "https://qyapi.weixin.qq.com/…5aaa"],
    ["https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789", "https://oapi.dingtalk.com/…6789"],
    ["http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/…"],
    ["https://hooks.example/", "https://hooks.example/"],
  ])("%s → %s", (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it("never the URL or the secret", () => {
    const c = channel({ ...VALID, type: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-secret-path", secret: "feishu-signing-secret" });
    const shown = JSON.stringify(publicChannel(c));
    expect(shown).not.toContain("secret-path");
    expect(shown).not.toContain("feishu-signing-secret");
    expect(publicChannel(c)).toMatchObject({ url: "https://open.feishu.cn/…path", secretSet: true });
  });

  it("urlProblem accepts http and https only", () => {
    expect(urlProblem("https://a.example/x")).toBeNull();
    expect(urlProblem("http://10.0.0.5:8080/x")).toBeNull();
    expect(urlProblem("javascript:alert(1)")).toBe("must be http:// or https:// (not javascript://)");
    expect(urlProblem(`https://a.example/${"x".repeat(2048)}`)).toBe("must be at most 2048 characters");
  });
});
