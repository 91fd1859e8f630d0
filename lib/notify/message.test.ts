/**
 * Each channel type's body, byte for byte, against the shape its vendor documents (the
 * object literals below follow the docs' key order): WeCom
 * https://developer.work.weixin.qq.com/document/path/91770, DingTalk
 * https://open.dingtalk.com/document/orgapp/custom-bot-send-message-type, Feishu
 * https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot, and our webhook's (docs/alerts.md).
 */
import { describe, expect, it } from "vitest";
import type { ChannelFormat, ChannelType } from "./channels";
import { alertLinks, bodyOf, clipUtf8, type AlertFacts, type Notice } from "./message";

const BASE = "http://ops.example:3000";
const ALERT: AlertFacts = {
  id: "a-1",
  ruleId: "road-gridlock",
  ruleName: { zh: "道路严重拥堵", en: "Road gridlocked" },
  severity: "critical",
  metricId: "traffic.congestionIndex",
  entityId: "road-shennan",
  triggerValue: 9.4,
  peakValue: 9.8,
  sinceTs: Date.parse("2026-11-25T08:03:00+08:00"),
  openedTs: Date.parse("2026-11-25T08:08:00+08:00"),
  acknowledged: null,
  resolved: null,
};
const CLOSED: AlertFacts = {
  ...ALERT,
  acknowledged: { at: Date.parse("2026-11-25T08:10:00+08:00"), by: "zhang.san", comment: "已通知交警\n现场处置" },
  resolved: { at: Date.parse("2026-11-25T08:40:00+08:00"), by: "auto" },
};
const open: Notice = { kind: "alert", event: "open", alert: ALERT };
const resolved: Notice = { kind: "alert", event: "resolve", alert: CLOSED };
const test: Notice = { kind: "test", channel: { id: "ch-0a1b2c3d", name: "值班群" }, at: Date.parse("2026-12-03T18:30:05+08:00") };

const ENTITY = `${BASE}/entity/road-shennan`;
// 10 minutes before the breach to 5 minutes after it opened (at least 15 minutes), at 10×.
const REPLAY = `${BASE}/?replay=2026-11-25T07%3A53%3A00%2B08%3A00&until=2026-11-25T08%3A13%3A00%2B08%3A00&speed=10`;
const TITLE = "◆ 严重 · 道路严重拥堵 · 深南大道（福田区）";
const LINES = ["对象：深南大道（福田区）", "数值：交通拥堵指数 9.4", "越限开始：2026-11-25 08:03:00", "告警时间：2026-11-25 08:08:00", "状态：未确认"];

const cases: [string, ChannelType, ChannelFormat, Notice, "zh" | "en", unknown][] = [
  [
    "WeCom markdown, open",
    "wecom",
    "markdown",
    open,
    "zh",
    { msgtype: "markdown", markdown: { content: [`### <font color="warning">${TITLE}</font>`, ...LINES.map((l) => `> ${l}`), `[查看对象](${ENTITY})　[回放前后](${REPLAY})`].join("\n") } },
  ],
  ["WeCom text, open", "wecom", "text", open, "zh", { msgtype: "text", text: { content: [TITLE, ...LINES, `查看对象：${ENTITY}`, `回放前后：${REPLAY}`].join("\n") } }],
  [
    "WeCom text, resolved, in English (a comment stays on one line)",
    "wecom",
    "text",
    resolved,
    "en",
    {
      msgtype: "text",
      text: {
        content: [
          "■ Resolved · Road gridlocked · Shennan Blvd (Futian)",
          "Where: Shennan Blvd (Futian)",
          "Value: Congestion index 9.4",
          "Breach since: 2026-11-25 08:03:00",
          "Opened: 2026-11-25 08:08:00",
          "State: Resolved",
          "Acknowledged: zhang.san · 2026-11-25 08:10:00 · “已通知交警 现场处置”",
          "Resolved: automatically (condition cleared) · 2026-11-25 08:40:00",
          "Worst: Congestion index 9.8",
          `Open the entity: ${ENTITY}?lang=en`,
          `Replay around it: ${BASE}/?lang=en&replay=2026-11-25T07%3A53%3A00%2B08%3A00&until=2026-11-25T08%3A45%3A00%2B08%3A00&speed=10`,
        ].join("\n"),
      },
    },
  ],
  [
    "DingTalk markdown, open",
    "dingtalk",
    "markdown",
    open,
    "zh",
    { msgtype: "markdown", markdown: { title: TITLE, text: [`### ${TITLE}`, "", ...LINES.map((l) => `- **${l.replace("：", "**：")}`), "", `[查看对象](${ENTITY}) · [回放前后](${REPLAY})`].join("\n") } },
  ],
  ["DingTalk text, open", "dingtalk", "text", open, "zh", { msgtype: "text", text: { content: [TITLE, ...LINES, `查看对象：${ENTITY}`, `回放前后：${REPLAY}`].join("\n") } }],
  ["Feishu text, open", "feishu", "text", open, "zh", { msg_type: "text", content: { text: [TITLE, ...LINES, `查看对象：${ENTITY}`, `回放前后：${REPLAY}`].join("\n") } }],
  [
    "Feishu post, open",
    "feishu",
    "post",
    open,
    "zh",
    {
      msg_type: "post",
      content: {
        post: {
          zh_cn: {
            title: TITLE,
            content: [...LINES.map((text) => [{ tag: "text", text }]), [{ tag: "a", text: "查看对象", href: ENTITY }, { tag: "text", text: " · " }, { tag: "a", text: "回放前后", href: REPLAY }]],
          },
        },
      },
    },
  ],
  [
    "Feishu card, open",
    "feishu",
    "interactive",
    open,
    "zh",
    {
      msg_type: "interactive",
      card: {
        header: { template: "red", title: { tag: "plain_text", content: TITLE } },
        elements: [
          { tag: "div", text: { tag: "lark_md", content: LINES.map((l) => `**${l.replace("：", "**：")}`).join("\n") } },
          {
            tag: "action",
            actions: [
              { tag: "button", text: { tag: "plain_text", content: "查看对象" }, type: "primary", url: ENTITY },
              { tag: "button", text: { tag: "plain_text", content: "回放前后" }, type: "default", url: REPLAY },
            ],
          },
        ],
      },
    },
  ],
  [
    "our webhook, open",
    "webhook",
    "json",
    open,
    "zh",
    {
      version: 1,
      kind: "alert",
      event: "open",
      at: "2026-11-25T08:08:00+08:00",
      alert: {
        id: "a-1",
        rule: { id: "road-gridlock", zh: "道路严重拥堵", en: "Road gridlocked" },
        severity: "critical",
        what: { metricId: "traffic.congestionIndex", zh: "交通拥堵指数", en: "Congestion index", unit: "" },
        where: { entityId: "road-shennan", zh: "深南大道", en: "Shennan Blvd", districtId: "futian" },
        value: 9.4,
        worst: 9.8,
        since: "2026-11-25T08:03:00+08:00",
        opened: "2026-11-25T08:08:00+08:00",
        state: "open",
        acknowledged: null,
        resolved: null,
      },
      links: { entity: ENTITY, replay: REPLAY },
    },
  ],
  [
    "our webhook, resolved: the state, who and when",
    "webhook",
    "json",
    resolved,
    "zh",
    expect.objectContaining({
      event: "resolve",
      at: "2026-11-25T08:40:00+08:00",
      alert: expect.objectContaining({ state: "resolved", acknowledged: { by: "zhang.san", at: "2026-11-25T08:10:00+08:00", comment: "已通知交警\n现场处置" }, resolved: { by: "auto", at: "2026-11-25T08:40:00+08:00" } }),
    }),
  ],
  ["our webhook, test", "webhook", "json", test, "zh", { version: 1, kind: "test", channel: { id: "ch-0a1b2c3d", name: "值班群" }, at: "2026-12-03T18:30:05+08:00" }],
  [
    "WeCom markdown, test: green",
    "wecom",
    "markdown",
    test,
    "zh",
    { msgtype: "markdown", markdown: { content: `### <font color="info">OneScreen 测试消息</font>\n> 渠道：值班群\n> 说明：此渠道已能收到 OneScreen 告警通知。\n> 时间：2026-12-03 18:30:05\n[打开大屏](${BASE}/)` } },
  ],
];

describe("notification bodies", () => {
  it.each(cases)("%s", (_name, type, format, notice, lang, expected) => {
    const body = bodyOf(type, format, notice, lang, `${BASE}/`);
    if (expected && typeof expected === "object" && "asymmetricMatch" in expected) expect(body).toEqual(expected);
    else expect(JSON.stringify(body)).toBe(JSON.stringify(expected));
  });

  it("a WeCom text stays within its 2048 bytes and markdown within 4096, cut on a character", () => {
    const long: Notice = { kind: "alert", event: "acknowledge", alert: { ...ALERT, acknowledged: { at: ALERT.openedTs, by: "zhang.san", comment: "现场".repeat(700) } } };
    const text = (bodyOf("wecom", "text", long, "zh", BASE) as { text: { content: string } }).text.content;
    const markdown = (bodyOf("wecom", "markdown", long, "zh", BASE) as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    expect(text.endsWith("…")).toBe(true);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(4096);
    expect(clipUtf8("深圳深圳", 9)).toBe("深圳…");
    expect(clipUtf8("深圳", 6)).toBe("深圳");
  });

  it("a replay spans 15 minutes at least and 24 hours at most", () => {
    const long = { ...ALERT, resolved: { at: ALERT.openedTs + 3 * 86_400_000, by: "auto" } };
    const span = (alert: AlertFacts) => {
      const url = new URL(alertLinks(alert, "zh", BASE).replay);
      return Date.parse(url.searchParams.get("until")!) - Date.parse(url.searchParams.get("replay")!);
    };
    expect(span({ ...ALERT, sinceTs: ALERT.openedTs })).toBe(15 * 60_000);
    expect(span(long)).toBe(86_400_000);
  });
});
