/**
 * What a notification says, and the bodies each channel type sends: our JSON webhook and
 * the documented message shapes of the DingTalk, WeCom and Feishu group robots (cited at
 * each builder). One message — a title, labelled lines, two links — rendered per format, so
 * every channel says the same thing. Pure: the caller signs and sends (lib/notify/request.ts).
 */
import { SEVERITY_MARK } from "../alerts/attention";
import type { AlertSeverity } from "../alerts/rules";
import { entityById, metricById } from "../catalog";
import { formatValue, pick, t, type Lang } from "../i18n";
import { replayToUrl } from "../realtime/replay";
import { shenzhenIso } from "../shenzhen-time";
import type { ChannelFormat, ChannelType, NotifyEvent } from "./channels";

/** An alert as a notification tells it (lib/db/notify.ts reads it from the Alert table). */
export interface AlertFacts {
  id: string;
  ruleId: string;
  ruleName: { zh: string; en: string };
  severity: AlertSeverity;
  metricId: string;
  entityId: string;
  triggerValue: number;
  /** The worst value while open. */
  peakValue: number;
  sinceTs: number;
  openedTs: number;
  acknowledged: { at: number; by: string; comment: string | null } | null;
  resolved: { at: number; by: string } | null;
}

export type Notice = { kind: "alert"; event: NotifyEvent; alert: AlertFacts } | { kind: "test"; channel: { id: string; name: string }; at: number };

export interface Message {
  title: string;
  /** Decides the colour where a format has one. */
  tone: AlertSeverity | "resolved" | "test";
  lines: { label: string; value: string }[];
  links: { text: string; href: string }[];
}

const WORDS = {
  acknowledged: { zh: "已确认", en: "Acknowledged" },
  resolved: { zh: "已解除", en: "Resolved" },
  open: { zh: "未确认", en: "Not acknowledged" },
  where: { zh: "对象", en: "Where" },
  value: { zh: "数值", en: "Value" },
  worst: { zh: "最差值", en: "Worst" },
  since: { zh: "越限开始", en: "Breach since" },
  opened: { zh: "告警时间", en: "Opened" },
  state: { zh: "状态", en: "State" },
  ackBy: { zh: "确认", en: "Acknowledged" },
  resolvedBy: { zh: "解除", en: "Resolved" },
  auto: { zh: "自动（条件恢复）", en: "automatically (condition cleared)" },
  entity: { zh: "查看对象", en: "Open the entity" },
  replay: { zh: "回放前后", en: "Replay around it" },
  testTitle: { zh: "OneScreen 测试消息", en: "OneScreen test message" },
  channel: { zh: "渠道", en: "Channel" },
  note: { zh: "说明", en: "Note" },
  testNote: { zh: "此渠道已能收到 OneScreen 告警通知。", en: "This channel receives OneScreen alert notifications." },
  time: { zh: "时间", en: "Time" },
  wall: { zh: "打开大屏", en: "Open the wall" },
} as const;

/** 2026-11-25 08:03:00, Shenzhen time. */
const when = (ms: number) => shenzhenIso(ms).slice(0, 19).replace("T", " ");

/** Comments are one line in a notification: a newline must not fake another field. */
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

const REPLAY_BEFORE_MS = 10 * 60_000;
const REPLAY_AFTER_MS = 5 * 60_000;
const REPLAY_MIN_MS = 15 * 60_000;
const REPLAY_MAX_MS = 24 * 3_600_000;

/** The web app's pages about an alert: its entity, and a replay from 10 min before the breach to 5 min after it ended (15 min – 24 h). */
export function alertLinks(alert: AlertFacts, lang: Lang, publicUrl: string): { entity: string; replay: string } {
  const base = publicUrl.replace(/\/+$/, "");
  const from = alert.sinceTs - REPLAY_BEFORE_MS;
  const end = (alert.resolved?.at ?? alert.openedTs) + REPLAY_AFTER_MS;
  const to = Math.min(from + REPLAY_MAX_MS, Math.max(from + REPLAY_MIN_MS, end));
  const query = replayToUrl(new URLSearchParams(lang === "en" ? { lang } : {}), { from, to, speed: 10 });
  return { entity: `${base}/entity/${encodeURIComponent(alert.entityId)}${lang === "en" ? "?lang=en" : ""}`, replay: `${base}/?${query.toString()}` };
}

/** Where the alert is: "深南大道（福田区）", a district or the city by its own name. */
function placeOf(entityId: string, lang: Lang): string {
  const entity = entityById(entityId);
  if (!entity) return entityId;
  const name = lang === "zh" ? entity.nameZh : entity.nameEn;
  const district = entity.districtId && entity.districtId !== entity.id ? entityById(entity.districtId) : undefined;
  if (!district) return name;
  return lang === "zh" ? `${name}（${district.nameZh}）` : `${name} (${district.nameEn})`;
}

function valueOf(metricId: string, value: number, lang: Lang): string {
  const metric = metricById(metricId);
  if (!metric) return String(value);
  const unit = pick(lang, metric.unit);
  return `${pick(lang, metric.label)} ${formatValue(lang, value, metric.decimals)}${unit ? ` ${unit}` : ""}`;
}

export function messageOf(notice: Notice, lang: Lang, publicUrl: string): Message {
  const say = (key: keyof typeof WORDS) => WORDS[key][lang];
  if (notice.kind === "test") {
    return {
      title: say("testTitle"),
      tone: "test",
      lines: [
        { label: say("channel"), value: notice.channel.name },
        { label: say("note"), value: say("testNote") },
        { label: say("time"), value: when(notice.at) },
      ],
      links: [{ text: say("wall"), href: `${publicUrl.replace(/\/+$/, "")}/${lang === "en" ? "?lang=en" : ""}` }],
    };
  }
  const { alert, event } = notice;
  const place = placeOf(alert.entityId, lang);
  const head = event === "open" ? `${SEVERITY_MARK[alert.severity]} ${t(lang, `alerts.${alert.severity}`)}` : event === "acknowledge" ? `✓ ${say("acknowledged")}` : `■ ${say("resolved")}`;
  const state = alert.resolved ? say("resolved") : alert.acknowledged ? say("acknowledged") : say("open");
  const lines = [
    { label: say("where"), value: place },
    { label: say("value"), value: valueOf(alert.metricId, alert.triggerValue, lang) },
    { label: say("since"), value: when(alert.sinceTs) },
    { label: say("opened"), value: when(alert.openedTs) },
    { label: say("state"), value: state },
  ];
  if (alert.acknowledged) {
    const comment = alert.acknowledged.comment ? ` · “${oneLine(alert.acknowledged.comment)}”` : "";
    lines.push({ label: say("ackBy"), value: `${alert.acknowledged.by} · ${when(alert.acknowledged.at)}${comment}` });
  }
  if (alert.resolved) {
    lines.push({ label: say("resolvedBy"), value: `${alert.resolved.by === "auto" ? say("auto") : alert.resolved.by} · ${when(alert.resolved.at)}` });
    lines.push({ label: say("worst"), value: valueOf(alert.metricId, alert.peakValue, lang) });
  }
  const links = alertLinks(alert, lang, publicUrl);
  return {
    title: `${head} · ${pick(lang, alert.ruleName)} · ${place}`,
    tone: event === "resolve" ? "resolved" : alert.severity,
    lines,
    links: [
      { text: say("entity"), href: links.entity },
      { text: say("replay"), href: links.replay },
    ],
  };
}

const colon = (lang: Lang) => (lang === "zh" ? "：" : ": ");

/** Cut to at most `maxBytes` of UTF-8 without splitting a character, marking the cut with "…". */
export function clipUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  let out = "";
  let bytes = 0;
  const budget = maxBytes - 3; // "…" is three bytes
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (bytes + size > budget) break;
    out += char;
    bytes += size;
  }
  return `${out}…`;
}

export function plainText(message: Message, lang: Lang): string {
  const c = colon(lang);
  return [message.title, ...message.lines.map((l) => `${l.label}${c}${l.value}`), ...message.links.map((l) => `${l.text}${c}${l.href}`)].join("\n");
}

// WeCom (企业微信) group robot, 群机器人配置说明:
// https://developer.work.weixin.qq.com/document/path/91770
// text: {"msgtype":"text","text":{"content":…}}, content at most 2048 bytes of UTF-8;
// markdown: {"msgtype":"markdown","markdown":{"content":…}}, at most 4096 bytes, a subset of
// Markdown with <font color="info|comment|warning"> (green, grey, orange-red).
const WECOM_TEXT_MAX_BYTES = 2048;
const WECOM_MARKDOWN_MAX_BYTES = 4096;
const WECOM_COLOR: Record<Message["tone"], string> = { critical: "warning", warning: "warning", info: "comment", resolved: "info", test: "info" };

function wecomMarkdown(message: Message, lang: Lang): string {
  const c = colon(lang);
  return [
    `### <font color="${WECOM_COLOR[message.tone]}">${message.title}</font>`,
    ...message.lines.map((l) => `> ${l.label}${c}${l.value}`),
    message.links.map((l) => `[${l.text}](${l.href})`).join("　"),
  ].join("\n");
}

// DingTalk (钉钉) custom robot, message types:
// https://open.dingtalk.com/document/orgapp/custom-bot-send-message-type
// text: {"msgtype":"text","text":{"content":…}}; markdown: {"msgtype":"markdown","markdown":{"title":…,"text":…}}
// (the title is what the conversation list shows). Signing: lib/notify/sign.ts.
function dingtalkMarkdown(message: Message, lang: Lang): string {
  const c = colon(lang);
  return [`### ${message.title}`, "", ...message.lines.map((l) => `- **${l.label}**${c}${l.value}`), "", message.links.map((l) => `[${l.text}](${l.href})`).join(" · ")].join("\n");
}

// Feishu (飞书) custom bot, 自定义机器人使用指南:
// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
// text: {"msg_type":"text","content":{"text":…}}; post (rich text):
// {"msg_type":"post","content":{"post":{"zh_cn":{"title":…,"content":[[{"tag":"text","text":…},{"tag":"a","text":…,"href":…}],…]}}}};
// interactive: {"msg_type":"interactive","card":{…}} (header, lark_md div, buttons). A request body is at most 20 KB.
const FEISHU_TEMPLATE: Record<Message["tone"], string> = { critical: "red", warning: "orange", info: "blue", resolved: "green", test: "blue" };

function feishuPost(message: Message, lang: Lang) {
  const c = colon(lang);
  const links = message.links.flatMap((l, i) => [...(i > 0 ? [{ tag: "text", text: " · " }] : []), { tag: "a", text: l.text, href: l.href }]);
  return {
    [lang === "zh" ? "zh_cn" : "en_us"]: {
      title: message.title,
      content: [...message.lines.map((l) => [{ tag: "text", text: `${l.label}${c}${l.value}` }]), links],
    },
  };
}

function feishuCard(message: Message, lang: Lang) {
  const c = colon(lang);
  return {
    header: { template: FEISHU_TEMPLATE[message.tone], title: { tag: "plain_text", content: message.title } },
    elements: [
      { tag: "div", text: { tag: "lark_md", content: message.lines.map((l) => `**${l.label}**${c}${l.value}`).join("\n") } },
      { tag: "action", actions: message.links.map((l, i) => ({ tag: "button", text: { tag: "plain_text", content: l.text }, type: i === 0 ? "primary" : "default", url: l.href })) },
    ],
  };
}

/**
 * Our own webhook's body (version 1, documented in docs/alerts.md): the event, the alert with its
 * rule, severity, what (metric), where (entity), values and times in Shenzhen time, its state,
 * and the links. A test message is `{"version":1,"kind":"test","channel":{…},"at":…}`.
 */
export function webhookBody(notice: Notice, lang: Lang, publicUrl: string) {
  if (notice.kind === "test") return { version: 1, kind: "test", channel: notice.channel, at: shenzhenIso(notice.at) };
  const { alert, event } = notice;
  const metric = metricById(alert.metricId);
  const entity = entityById(alert.entityId);
  const at = event === "open" ? alert.openedTs : event === "acknowledge" ? (alert.acknowledged?.at ?? alert.openedTs) : (alert.resolved?.at ?? alert.openedTs);
  return {
    version: 1,
    kind: "alert",
    event,
    at: shenzhenIso(at),
    alert: {
      id: alert.id,
      rule: { id: alert.ruleId, zh: alert.ruleName.zh, en: alert.ruleName.en },
      severity: alert.severity,
      what: { metricId: alert.metricId, zh: metric?.label.zh ?? alert.metricId, en: metric?.label.en ?? alert.metricId, unit: metric?.unit.en ?? "" },
      where: { entityId: alert.entityId, zh: entity?.nameZh ?? alert.entityId, en: entity?.nameEn ?? alert.entityId, districtId: entity?.districtId ?? null },
      value: alert.triggerValue,
      worst: alert.peakValue,
      since: shenzhenIso(alert.sinceTs),
      opened: shenzhenIso(alert.openedTs),
      state: alert.resolved ? "resolved" : alert.acknowledged ? "acknowledged" : "open",
      acknowledged: alert.acknowledged ? { by: alert.acknowledged.by, at: shenzhenIso(alert.acknowledged.at), comment: alert.acknowledged.comment } : null,
      resolved: alert.resolved ? { by: alert.resolved.by, at: shenzhenIso(alert.resolved.at) } : null,
    },
    links: alertLinks(alert, lang, publicUrl),
  };
}

/** The JSON body a channel of `type` sends in `format`, before any signature. */
export function bodyOf(type: ChannelType, format: ChannelFormat, notice: Notice, lang: Lang, publicUrl: string): Record<string, unknown> {
  if (type === "webhook") return webhookBody(notice, lang, publicUrl);
  const message = messageOf(notice, lang, publicUrl);
  switch (type) {
    case "wecom":
      return format === "text"
        ? { msgtype: "text", text: { content: clipUtf8(plainText(message, lang), WECOM_TEXT_MAX_BYTES) } }
        : { msgtype: "markdown", markdown: { content: clipUtf8(wecomMarkdown(message, lang), WECOM_MARKDOWN_MAX_BYTES) } };
    case "dingtalk":
      return format === "text" ? { msgtype: "text", text: { content: plainText(message, lang) } } : { msgtype: "markdown", markdown: { title: message.title, text: dingtalkMarkdown(message, lang) } };
    case "feishu":
      if (format === "text") return { msg_type: "text", content: { text: plainText(message, lang) } };
      if (format === "post") return { msg_type: "post", content: { post: feishuPost(message, lang) } };
      return { msg_type: "interactive", card: feishuCard(message, lang) };
  }
}
