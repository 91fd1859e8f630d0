/**
 * An alert's notifications as the outbox recorded them (GET /alerts/deliveries): per channel
 * and event, sent, still trying (with the last failure's why) or given up. No client script.
 */
import { z } from "zod";
import type { Lang } from "@/lib/i18n";
import { ZDelivery, type Delivery } from "@/lib/notify/channels";
import { sideServerGet } from "@/lib/web-auth";

const ZAnswer = z.object({ deliveries: z.array(ZDelivery) });

/** The deliveries of these alerts by alert id; an empty map when the side server does not answer. */
export async function loadDeliveries(alertIds: readonly string[]): Promise<Map<string, Delivery[]>> {
  const byAlert = new Map<string, Delivery[]>();
  if (alertIds.length === 0) return byAlert;
  const answer = await sideServerGet(`/alerts/deliveries?${new URLSearchParams(alertIds.map((id) => ["alert", id]))}`, ZAnswer);
  for (const d of answer?.deliveries ?? []) byAlert.set(d.alertId, [...(byAlert.get(d.alertId) ?? []), d]);
  return byAlert;
}

const WORDS = {
  title: { zh: "通知", en: "Notified" },
  open: { zh: "发生", en: "open" },
  acknowledge: { zh: "确认", en: "acknowledge" },
  resolve: { zh: "解除", en: "resolve" },
  sent: { zh: "已送达", en: "sent" },
  pending: { zh: "待发送", en: "queued" },
  retrying: { zh: "失败，重试中 · 第 {n} 次", en: "failed, retrying · attempt {n}" },
  failed: { zh: "失败，已放弃 · {n} 次", en: "failed, given up · {n} attempts" },
} as const;

const MARK = { sent: "✓", pending: "↻", failed: "✕" } as const;
const TONE = { sent: "text-ok", pending: "text-warn", failed: "text-crit" } as const;

export function Deliveries({ deliveries, lang }: { deliveries: readonly Delivery[]; lang: Lang }) {
  if (deliveries.length === 0) return null;
  const say = (key: keyof typeof WORDS, n?: number) => WORDS[key][lang].replace("{n}", String(n ?? ""));
  return (
    <div className="flex flex-wrap items-baseline gap-x-[1rem] gap-y-[0.2rem] text-[0.9rem]" data-testid="deliveries">
      <span className="text-ink-dim">{say("title")}:</span>
      {deliveries.map((d) => {
        const state = d.status === "sent" ? say("sent") : d.status === "failed" ? say("failed", d.attempts) : d.attempts > 0 ? say("retrying", d.attempts) : say("pending");
        return (
          <span key={d.id} className={TONE[d.status]} data-testid="delivery" data-status={d.status} data-event={d.event}>
            {MARK[d.status]} {d.channelName} · {say(d.event)} · {state}
            {d.status !== "sent" && d.why && <span className="text-ink-dim"> · {d.why}</span>}
          </span>
        );
      })}
    </div>
  );
}
