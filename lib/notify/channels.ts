/**
 * Notification channels: where alert events go outside the room — a JSON webhook of our own,
 * or a DingTalk, WeCom or Feishu group robot — which alerts each takes (severities, domains,
 * open / acknowledge / resolve), and in which form and language. An admin configures them.
 * The URL and the secret are write-only: answers carry a masked hint, never the value (a
 * robot's URL is its key). Pure: validation and filters, no I/O.
 */
import { z } from "zod";
import { SEVERITIES, type AlertSeverity } from "../alerts/rules";
import { DOMAINS, type Domain } from "../catalog";
import { LANGS, type Lang } from "../i18n";
import { issuesMessage } from "../issues";

export const CHANNEL_TYPES = ["webhook", "dingtalk", "wecom", "feishu"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** The message forms each type can send; the first is the default. */
export const FORMATS = {
  webhook: ["json"],
  dingtalk: ["markdown", "text"],
  wecom: ["markdown", "text"],
  feishu: ["interactive", "post", "text"],
} as const satisfies Record<ChannelType, readonly string[]>;
export type ChannelFormat = (typeof FORMATS)[ChannelType][number];

export const NOTIFY_EVENTS = ["open", "acknowledge", "resolve"] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const CHANNEL_TYPE_LABEL: Record<ChannelType, { zh: string; en: string }> = {
  webhook: { zh: "通用 JSON Webhook", en: "JSON webhook" },
  dingtalk: { zh: "钉钉群机器人", en: "DingTalk robot" },
  wecom: { zh: "企业微信群机器人", en: "WeCom robot" },
  feishu: { zh: "飞书群机器人", en: "Feishu robot" },
};

export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  url: string;
  /** DingTalk's and Feishu's signing secret, or the webhook's HMAC key; null: unsigned. */
  secret: string | null;
  format: ChannelFormat;
  lang: Lang;
  severities: AlertSeverity[];
  domains: Domain[];
  onOpen: boolean;
  onAcknowledge: boolean;
  onResolve: boolean;
  enabled: boolean;
  /** Source-clock ms: the channel takes the alert events from then on. */
  createdTs: number;
  /** Wall-clock ms of the last change. */
  updatedAt: number;
}

/** A channel as every answer shows it: the URL masked, the secret only as set or not. */
export type PublicChannel = Omit<Channel, "url" | "secret"> & { url: string; secretSet: boolean };

/** A channel as the API answers it (GET /alerts/channels), for the admin page to read. */
export const ZPublicChannel = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(CHANNEL_TYPES),
  url: z.string(),
  secretSet: z.boolean(),
  format: z.string(),
  lang: z.enum(LANGS),
  severities: z.array(z.enum(SEVERITIES)),
  domains: z.array(z.enum(DOMAINS)),
  onOpen: z.boolean(),
  onAcknowledge: z.boolean(),
  onResolve: z.boolean(),
  enabled: z.boolean(),
  createdTs: z.number(),
  updatedAt: z.number(),
});

export const DELIVERY_STATUSES = ["pending", "sent", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One row of the outbox as stored and as GET /alerts/deliveries answers it; times are wall-clock ms. */
export const ZDelivery = z.object({
  id: z.string(),
  alertId: z.string(),
  event: z.enum(NOTIFY_EVENTS),
  channelId: z.string(),
  channelName: z.string(),
  /** pending: the first try or a retry is to come; sent; failed: given up. */
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  createdAt: z.number(),
  nextAttemptAt: z.number(),
  lastAttemptAt: z.number().nullable(),
  statusCode: z.number().nullable(),
  why: z.string().nullable(),
});
export type Delivery = z.infer<typeof ZDelivery>;

export const CHANNEL_ID = /^ch-[a-z0-9]{8}$/;
const MAX_URL_LENGTH = 2048;

/** An absolute http(s) URL without credentials or fragment: where the side server will POST. */
export function urlProblem(value: string): string | null {
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http:// or https:// URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must be http:// or https:// (not ${url.protocol}//)`;
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.hash) return "must not have a #fragment";
  return null;
}

const ZUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * What an admin sends to create or change a channel. On a change `url` absent (or empty) keeps
 * the stored one; `secret` absent keeps it, null removes it, a string replaces it.
 */
export const ZChannelInput = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters"),
  type: z.enum(CHANNEL_TYPES, { message: `must be one of ${CHANNEL_TYPES.join(", ")}` }),
  url: z.union([z.literal(""), ZUrl]).optional(),
  secret: z.string().trim().max(256, "must be at most 256 characters").nullable().optional(),
  format: z.string().optional(),
  lang: z.enum(LANGS, { message: "must be zh or en" }).default("zh"),
  severities: z.array(z.enum(SEVERITIES, { message: `must be ${SEVERITIES.join(", ")}` })).min(1, "must name at least one severity"),
  domains: z.array(z.enum(DOMAINS, { message: `must be ${DOMAINS.join(", ")}` })).min(1, "must name at least one domain"),
  onOpen: z.boolean().default(true),
  onAcknowledge: z.boolean().default(false),
  onResolve: z.boolean().default(true),
  enabled: z.boolean().default(true),
});
export type ChannelInput = z.input<typeof ZChannelInput>;

export type ChannelResult = { ok: true; channel: Channel } | { ok: false; message: string };

/**
 * The channel an input makes: new (`stored` null) or a change of `stored`. Every problem is
 * named by its field; nothing is half-applied, the caller stores the whole channel or nothing.
 */
export function channelFromInput(raw: unknown, stored: Channel | null, at: { id: string; nowTs: number; nowMs: number }): ChannelResult {
  const parsed = ZChannelInput.safeParse(raw);
  if (!parsed.success) return { ok: false, message: issuesMessage(parsed.error, "body") };
  const input = parsed.data;
  const url = input.url || stored?.url;
  if (!url) return { ok: false, message: "url: required for a new channel" };
  const secret = input.secret === undefined ? (stored?.secret ?? null) : input.secret || null;
  const allowed: readonly string[] = FORMATS[input.type];
  const format = input.format || allowed[0]!;
  if (!allowed.includes(format)) return { ok: false, message: `format: a ${input.type} channel sends ${allowed.join(" or ")}` };
  // WeCom's group robot has no signing: the key in its URL is the credential.
  if (input.type === "wecom" && secret !== null) return { ok: false, message: "secret: a WeCom group robot has no signing secret (its key is in the URL); remove it" };
  if (!input.onOpen && !input.onAcknowledge && !input.onResolve) return { ok: false, message: "onOpen: choose at least one of open, acknowledge and resolve" };
  return {
    ok: true,
    channel: {
      id: stored?.id ?? at.id,
      name: input.name,
      type: input.type,
      url,
      secret,
      format: format as ChannelFormat,
      lang: input.lang,
      severities: SEVERITIES.filter((s) => input.severities.includes(s)),
      domains: DOMAINS.filter((d) => input.domains.includes(d)),
      onOpen: input.onOpen,
      onAcknowledge: input.onAcknowledge,
      onResolve: input.onResolve,
      enabled: input.enabled,
      createdTs: stored?.createdTs ?? at.nowTs,
      updatedAt: at.nowMs,
    },
  };
}

/** Whether `channel` takes `event` of an alert of this severity and domain. */
export function wants(channel: Channel, alert: { severity: AlertSeverity; domain: Domain | null }, event: NotifyEvent): boolean {
  if (!channel.enabled || !channel.severities.includes(alert.severity)) return false;
  if (alert.domain === null || !channel.domains.includes(alert.domain)) return false;
  return event === "open" ? channel.onOpen : event === "acknowledge" ? channel.onAcknowledge : channel.onResolve;
}

/**
 * The URL as shown: scheme, host and port, then only its last four characters
 * ("https://qyapi.weixin.qq.com/…5aaa"), enough to tell two robots apart, never the key.
 */
export function maskUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "…";
  }
  const rest = value.slice(url.origin.length);
  if (rest === "" || rest === "/") return `${url.origin}/`;
  return `${url.origin}/…${rest.length > 8 ? rest.slice(-4) : ""}`;
}

export function publicChannel(channel: Channel): PublicChannel {
  const { url, secret, ...rest } = channel;
  return { ...rest, url: maskUrl(url), secretSet: secret !== null };
}
