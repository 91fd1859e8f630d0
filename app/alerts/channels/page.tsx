import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { SEVERITIES } from "@/lib/alerts/rules";
import { can } from "@/lib/auth/roles";
import { DOMAINS } from "@/lib/catalog";
import { t, pick, parseLang, type Lang } from "@/lib/i18n";
import { CHANNEL_TYPES, CHANNEL_TYPE_LABEL, FORMATS, ZPublicChannel } from "@/lib/notify/channels";
import { NEW_CHANNEL, currentUser, sideServerRequest } from "@/lib/web-auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "通知渠道 · OneScreen" };

type PublicChannel = z.infer<typeof ZPublicChannel>;

const TEXT = {
  title: { zh: "告警通知渠道", en: "Alert notification channels" },
  back: { zh: "‹ 告警", en: "‹ Alerts" },
  intro: {
    zh: "告警发生、确认、解除时，按各渠道的级别、领域与事件设置推送到钉钉、企业微信、飞书群机器人或通用 JSON Webhook。至少送达一次：失败自动重试并记录原因。URL 与密钥只写不读，保存后仅显示掩码。",
    en: "When an alert opens, is acknowledged or resolved, each channel whose severities, domains and events match gets it: a DingTalk, WeCom or Feishu group robot, or a JSON webhook. At least once: failures are retried and recorded with why. URLs and secrets are write-only: after saving only a mask is shown.",
  },
  adminOnly: { zh: "仅管理员可配置通知渠道。", en: "Only an admin configures notification channels." },
  signIn: { zh: "管理员登录 ›", en: "Admin sign-in ›" },
  unavailable: { zh: "实时服务不可达，无法读取通知渠道", en: "The realtime server is unreachable: no channels to show" },
  none: { zh: "尚未配置通知渠道", en: "No channel yet" },
  add: { zh: "新增渠道", en: "New channel" },
  name: { zh: "名称", en: "Name" },
  type: { zh: "类型", en: "Type" },
  format: { zh: "消息格式", en: "Format" },
  formatDefault: { zh: "默认", en: "default" },
  lang: { zh: "语言", en: "Language" },
  url: { zh: "Webhook 地址", en: "Webhook URL" },
  urlSet: { zh: "已设置", en: "set" },
  keep: { zh: "留空则保持不变", en: "leave empty to keep it" },
  secret: { zh: "签名密钥（钉钉、飞书、Webhook，可选）", en: "Signing secret (DingTalk, Feishu, webhook; optional)" },
  secretSet: { zh: "已设置（留空则保持不变）", en: "Set (leave empty to keep it)" },
  secretNone: { zh: "未设置", en: "Not set" },
  clearSecret: { zh: "清除密钥", en: "Remove the secret" },
  secretIsSet: { zh: "🔑 密钥已设置", en: "🔑 Secret set" },
  secretNotSet: { zh: "无签名密钥", en: "No signing secret" },
  severities: { zh: "级别", en: "Severities" },
  domains: { zh: "领域", en: "Domains" },
  events: { zh: "事件", en: "Events" },
  onOpen: { zh: "发生", en: "Open" },
  onAcknowledge: { zh: "确认", en: "Acknowledge" },
  onResolve: { zh: "解除", en: "Resolve" },
  enabled: { zh: "启用", en: "Enabled" },
  disabled: { zh: "已停用", en: "Disabled" },
  save: { zh: "保存", en: "Save" },
  test: { zh: "发送测试消息", en: "Send a test message" },
  delete: { zh: "删除", en: "Delete" },
  saved: { zh: "已保存", en: "Saved" },
  deleted: { zh: "已删除", en: "Deleted" },
  testOk: { zh: "测试消息已送达", en: "Test message delivered" },
  testFailed: { zh: "测试消息发送失败", en: "Test message failed" },
  ssrf: {
    zh: "说明：渠道地址由实时服务发出请求，可指向内网地址（由管理员决定）；不跟随重定向，密钥只用于签名，只发往所配置的地址。",
    en: "Note: the realtime server makes the request to the channel's URL, internal addresses included (the admin's choice); redirects are never followed and the secret only signs, sent nowhere but that URL.",
  },
} as const;

const FORMAT_LABEL: Record<string, { zh: string; en: string }> = {
  markdown: { zh: "Markdown", en: "Markdown" },
  text: { zh: "纯文本", en: "Text" },
  post: { zh: "富文本 post", en: "Rich text (post)" },
  interactive: { zh: "消息卡片", en: "Card (interactive)" },
  json: { zh: "JSON", en: "JSON" },
};
const ALL_FORMATS = [...new Set(CHANNEL_TYPES.flatMap((type) => FORMATS[type]))];

const ZAnswer = z.object({ channels: z.array(ZPublicChannel) });

async function loadChannels(): Promise<PublicChannel[] | null> {
  const answer = await sideServerRequest("GET", "/alerts/channels");
  if (answer.status !== 200) return null;
  const parsed = ZAnswer.safeParse(answer.body);
  return parsed.success ? parsed.data.channels : null;
}

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : null);

/** /alerts/channels: an admin adds, changes, tests and deletes the channels notifications go out on. */
export default async function ChannelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const lang = parseLang(query.lang);
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const user = await currentUser();
  const isAdmin = user !== null && can(user.role, "manageChannels");
  const channels = isAdmin ? await loadChannels() : null;
  const here = lang === "en" ? "/alerts/channels?lang=en" : "/alerts/channels";
  const error = one(query.error);
  const saved = one(query.saved) ?? one(query.deleted);
  const tested = one(query.tested);

  return (
    <main lang={lang === "en" ? "en" : "zh-CN"} className="h-screen overflow-y-auto text-ink">
      <div className="mx-auto flex max-w-[90rem] flex-col gap-[1rem] p-[1.5rem]">
        <header className="flex flex-wrap items-baseline gap-[1rem]">
          <Link className="text-accent underline" href={lang === "en" ? "/alerts?lang=en" : "/alerts"}>{say("back")}</Link>
          <h1 className="text-[1.6rem] font-bold">{say("title")}</h1>
          {user && (
            <span className="ml-auto">
              <b>{user.name}</b> <span className="text-ink-dim">({user.role})</span>
            </span>
          )}
        </header>
        <p className="max-w-[70rem] text-ink-dim">{say("intro")}</p>
        {!isAdmin && (
          <p role="alert" className="font-bold text-warn">
            ▲ {say("adminOnly")}{" "}
            {!user && (
              <Link className="text-accent underline" href={`/login?${new URLSearchParams({ next: here, ...(lang === "en" ? { lang } : {}) })}`}>{say("signIn")}</Link>
            )}
          </p>
        )}
        {error && <p role="alert" className="font-bold text-crit">✕ {error}</p>}
        {saved && <p role="status" className="font-bold text-ok">✓ {query.deleted ? say("deleted") : say("saved")}: {saved}</p>}
        {isAdmin && !channels && <p role="alert" className="font-bold text-warn">▲ {say("unavailable")}</p>}
        {isAdmin && channels && (
          <>
            {channels.length === 0 && <p className="text-ink-dim">{say("none")}</p>}
            <ul className="flex flex-col gap-[0.8rem]">
              {channels.map((channel) => (
                <li key={channel.id} data-testid={`channel-${channel.id}`}>
                  <ChannelForm channel={channel} lang={lang} result={tested === channel.id ? { ok: query.ok === "1", code: one(query.code), why: one(query.why), ms: one(query.ms) } : null} />
                </li>
              ))}
              <li data-testid="channel-new">
                <h2 className="mb-[0.4rem] text-[1.2rem] font-bold">{say("add")}</h2>
                <ChannelForm channel={null} lang={lang} result={null} />
              </li>
            </ul>
            <p className="text-[0.9rem] text-ink-dim">{say("ssrf")}</p>
          </>
        )}
      </div>
    </main>
  );
}

interface TestResult {
  ok: boolean;
  code: string | null;
  why: string | null;
  ms: string | null;
}

function ChannelForm({ channel, lang, result }: { channel: PublicChannel | null; lang: Lang; result: TestResult | null }) {
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const field = "rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.25rem] text-ink";
  const label = (text: React.ReactNode, input: React.ReactNode, wide = false) => (
    <label className={`flex flex-col gap-[0.15rem] text-[0.85rem] text-ink-dim ${wide ? "min-w-[24rem] flex-1" : ""}`}>
      <span>{text}</span>
      {input}
    </label>
  );
  const check = (name: string, value: string, checked: boolean, text: string) => (
    <label key={`${name}-${value}`} className="flex items-center gap-[0.3rem] text-[0.95rem]">
      <input type="checkbox" name={name} value={value} defaultChecked={checked} className="size-[1rem]" /> {text}
    </label>
  );
  const group = (title: string, children: React.ReactNode) => (
    <fieldset className="flex flex-wrap items-center gap-[0.8rem] rounded border border-panel-edge px-[0.6rem] py-[0.3rem]">
      <legend className="px-[0.2rem] text-[0.85rem] text-ink-dim">{title}</legend>
      {children}
    </fieldset>
  );
  const action = `/api/alerts/channels/${channel ? encodeURIComponent(channel.id) : NEW_CHANNEL}`;
  return (
    <form method="post" action={action} className={`flex flex-col gap-[0.6rem] rounded bg-panel p-[0.9rem] ${channel && !channel.enabled ? "opacity-75" : ""}`}>
      <input type="hidden" name="lang" value={lang} />
      {channel && (
        <div className="flex flex-wrap items-baseline gap-[0.8rem]">
          <b className="text-[1.15rem]">{channel.name}</b>
          <span className="text-ink-dim">
            {pick(lang, CHANNEL_TYPE_LABEL[channel.type])} · {channel.id}
          </span>
          {!channel.enabled && <span className="font-bold text-warn">▲ {say("disabled")}</span>}
          <span className="ml-auto text-ink-dim" data-testid="secret-state">
            {channel.secretSet ? say("secretIsSet") : say("secretNotSet")}
          </span>
        </div>
      )}
      <div className="flex flex-wrap items-end gap-[0.6rem]">
        {label(say("name"), <input name="name" required maxLength={80} defaultValue={channel?.name} className={field} />)}
        {label(
          say("type"),
          <select name="type" defaultValue={channel?.type ?? "wecom"} className={field}>
            {CHANNEL_TYPES.map((type) => (
              <option key={type} value={type}>
                {pick(lang, CHANNEL_TYPE_LABEL[type])}
              </option>
            ))}
          </select>,
        )}
        {label(
          say("format"),
          <select name="format" defaultValue={channel?.format ?? ""} className={field}>
            <option value="">{say("formatDefault")}</option>
            {ALL_FORMATS.map((format) => (
              <option key={format} value={format}>
                {pick(lang, FORMAT_LABEL[format] ?? { zh: format, en: format })}
              </option>
            ))}
          </select>,
        )}
        {label(
          say("lang"),
          // "lang" is the page's own language (where to come back to); this is the messages'.
          <select name="channelLang" defaultValue={channel?.lang ?? "zh"} className={field}>
            <option value="zh">中文</option>
            <option value="en">English</option>
          </select>,
        )}
      </div>
      <div className="flex flex-wrap items-end gap-[0.6rem]">
        {label(
          <>
            {say("url")}
            {channel && (
              <>
                {" · "}
                {say("urlSet")} <code className="text-ink" data-testid="url-mask">{channel.url}</code>
              </>
            )}
          </>,
          <input
            name="url"
            type="url"
            required={!channel}
            autoComplete="off"
            placeholder={channel ? say("keep") : "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"}
            className={`${field} w-full`}
            data-testid="url-input"
          />,
          true,
        )}
        {label(
          say("secret"),
          <input name="secret" type="password" autoComplete="new-password" placeholder={channel?.secretSet ? say("secretSet") : say("secretNone")} className={`${field} w-[22rem]`} />,
        )}
        {channel?.secretSet && check("clearSecret", "on", false, say("clearSecret"))}
      </div>
      <div className="flex flex-wrap items-center gap-[0.6rem]">
        {group(say("severities"), [...SEVERITIES].reverse().map((s) => check("severities", s, channel ? channel.severities.includes(s) : s === "critical", t(lang, `alerts.${s}`))))}
        {group(say("domains"), DOMAINS.map((d) => check("domains", d, channel ? channel.domains.includes(d) : true, t(lang, `domain.${d}`))))}
        {group(say("events"), [check("onOpen", "on", channel?.onOpen ?? true, say("onOpen")), check("onAcknowledge", "on", channel?.onAcknowledge ?? false, say("onAcknowledge")), check("onResolve", "on", channel?.onResolve ?? true, say("onResolve"))])}
        {check("enabled", "on", channel?.enabled ?? true, say("enabled"))}
      </div>
      <div className="flex flex-wrap items-center gap-[0.6rem]">
        <button type="submit" name="action" value="save" className="rounded bg-accent px-[1rem] py-[0.3rem] font-bold text-wall-bg">{say("save")}</button>
        {channel && (
          <>
            <button type="submit" name="action" value="test" formNoValidate className="rounded border border-accent px-[1rem] py-[0.3rem] font-bold text-accent">{say("test")}</button>
            <button type="submit" name="action" value="delete" formNoValidate className="rounded border border-crit px-[1rem] py-[0.3rem] text-crit">{say("delete")}</button>
          </>
        )}
        {result && (
          <span role="status" data-testid="test-result" className={`font-bold ${result.ok ? "text-ok" : "text-crit"}`}>
            {result.ok ? `✓ ${say("testOk")}` : `✕ ${say("testFailed")}`}
            {result.code && ` · HTTP ${result.code}`}
            {result.why && ` · ${result.why}`}
            {result.ms && ` · ${result.ms} ms`}
          </span>
        )}
      </div>
    </form>
  );
}
