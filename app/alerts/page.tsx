import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { SEVERITY_MARK } from "@/lib/alerts/attention";
import { alertValueText } from "@/lib/alerts/value";
import { ZAlert } from "@/lib/realtime/protocol";
import { can } from "@/lib/auth/roles";
import { entityById } from "@/lib/catalog";
import { formatAge, parseLang, pick, t, type Lang } from "@/lib/i18n";
import { shenzhenIso } from "@/lib/shenzhen-time";
import { currentUser, sideServerGet } from "@/lib/web-auth";
import { Deliveries, loadDeliveries } from "@/components/alerts/Deliveries";
import { Incidents, loadIncidents } from "@/components/alerts/Incidents";
import type { Delivery } from "@/lib/notify/channels";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "告警 · OneScreen" };

/** GET /alerts?state=all on the side server: the wire alert plus how it ended. */
const ZListed = z.object({ ...ZAlert.shape, resolved: z.object({ at: z.number(), by: z.string() }).nullable() });
type Listed = z.infer<typeof ZListed>;
const ZAnswer = z.object({ alerts: z.array(ZListed) });
const ZHealth = z.object({ clock: z.object({ simulatedTime: z.string() }) });

const TEXT = {
  title: { zh: "告警", en: "Alerts" },
  unavailable: { zh: "实时服务不可达，无法列出告警", en: "The realtime server is unreachable: no alerts to list" },
  none: { zh: "暂无告警", en: "No alerts" },
  open: { zh: "未解除", en: "Open" },
  recent: { zh: "最近已解除", en: "Recently resolved" },
  opened: { zh: "发生", en: "Opened" },
  acked: { zh: "已确认", en: "Acknowledged" },
  by: { zh: "确认人", en: "by" },
  notAcked: { zh: "未确认", en: "Not acknowledged" },
  resolved: { zh: "已解除", en: "Resolved" },
  auto: { zh: "自动（条件恢复）", en: "automatically (condition cleared)" },
  comment: { zh: "备注（可选）", en: "Comment (optional)" },
  ack: { zh: "确认 Acknowledge", en: "Acknowledge 确认" },
  resolve: { zh: "解除 Resolve", en: "Resolve 解除" },
  signIn: { zh: "值班员登录 ›", en: "Operator sign-in ›" },
  signOut: { zh: "退出登录", en: "Sign out" },
  readOnly: { zh: "只读账号：不能确认或解除告警", en: "Read-only account: cannot acknowledge or resolve" },
  wall: { zh: "‹ 返回大屏", en: "‹ Back to the wall" },
  rules: { zh: "告警规则 ›", en: "Alert rules ›" },
  channels: { zh: "通知渠道 ›", en: "Notification channels ›" },
} as const;

const TONE = { critical: "text-crit border-crit", warning: "text-warn border-warn", info: "text-accent border-accent" } as const;

/** Alert times are on the source clock (simulated time can run fast): ages are measured on it too. */
async function sourceNow(): Promise<number> {
  const health = await sideServerGet("/healthz", ZHealth);
  return health ? Date.parse(health.clock.simulatedTime) : Date.now();
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const lang = parseLang(query.lang);
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const here = lang === "en" ? "/alerts?lang=en" : "/alerts";
  const [user, answer, now, incidents] = await Promise.all([currentUser(), sideServerGet("/alerts?state=all&limit=200", ZAnswer), sourceNow(), loadIncidents()]);
  const alerts = answer?.alerts ?? [];
  const deliveries = await loadDeliveries(alerts.map((a) => a.id));
  const open = alerts.filter((a) => a.resolved === null);
  const closed = alerts.filter((a) => a.resolved !== null);
  const error = typeof query.error === "string" ? query.error : null;
  const mayAck = user !== null && can(user.role, "acknowledge");
  const mayResolve = user !== null && can(user.role, "resolve");

  return (
    <main lang={lang === "en" ? "en" : "zh-CN"} className="mx-auto flex min-h-screen max-w-[80rem] flex-col gap-[1rem] p-[1.5rem] text-ink">
      <header className="flex flex-wrap items-baseline gap-[1rem]">
        <Link className="text-accent underline" href={lang === "en" ? "/?lang=en" : "/"}>{say("wall")}</Link>
        <h1 className="text-[1.6rem] font-bold">
          {say("title")} · {open.length}
        </h1>
        <Link className="text-accent underline" href={lang === "en" ? "/alerts/rules?lang=en" : "/alerts/rules"}>{say("rules")}</Link>
        <Link className="text-accent underline" href={lang === "en" ? "/alerts/channels?lang=en" : "/alerts/channels"}>{say("channels")}</Link>
        <span className="ml-auto" data-testid="auth-state">
          {user ? (
            <form method="post" action={`/api/auth/logout${lang === "en" ? "?lang=en" : ""}`} className="flex items-baseline gap-[0.6rem]">
              <span>
                <b data-testid="user-name">{user.name}</b> <span className="text-ink-dim">({user.role})</span>
              </span>
              <button type="submit" className="rounded border border-panel-edge px-[0.6rem] py-[0.2rem]">{say("signOut")}</button>
            </form>
          ) : (
            <Link className="text-accent underline" href={`/login?${new URLSearchParams({ next: here, ...(lang === "en" ? { lang } : {}) })}`}>{say("signIn")}</Link>
          )}
        </span>
      </header>
      {user && !mayAck && <p className="text-ink-dim">{say("readOnly")}</p>}
      {error && (
        <p role="alert" className="font-bold text-crit">
          ✕ {error}
        </p>
      )}
      {!answer && <p role="alert" className="font-bold text-warn">▲ {say("unavailable")}</p>}
      {answer && alerts.length === 0 && <p className="text-ok">✓ {say("none")}</p>}
      <Incidents incidents={incidents ?? []} alerts={alerts} lang={lang} here={here} mayChange={user !== null && can(user.role, "manageIncidents")} />
      {open.length > 0 && <h2 className="text-[1.2rem] font-bold">{say("open")}</h2>}
      <ul className="flex flex-col gap-[0.6rem]">
        {open.map((a) => (
          <AlertRow key={a.id} alert={a} lang={lang} now={now} here={here} mayAck={mayAck} mayResolve={mayResolve} deliveries={deliveries.get(a.id) ?? []} />
        ))}
      </ul>
      {closed.length > 0 && <h2 className="text-[1.2rem] font-bold">{say("recent")}</h2>}
      <ul className="flex flex-col gap-[0.6rem] opacity-75">
        {closed.map((a) => (
          <AlertRow key={a.id} alert={a} lang={lang} now={now} here={here} mayAck={false} mayResolve={false} deliveries={deliveries.get(a.id) ?? []} />
        ))}
      </ul>
    </main>
  );
}

function AlertRow({ alert: a, lang, now, here, mayAck, mayResolve, deliveries }: { alert: Listed; lang: Lang; now: number; here: string; mayAck: boolean; mayResolve: boolean; deliveries: readonly Delivery[] }) {
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const entity = entityById(a.entityId);
  const value = alertValueText(lang, a);
  return (
    <li data-testid={`alert-row-${a.id}`} data-severity={a.severity} data-state={a.resolved ? "resolved" : a.acknowledged ? "acknowledged" : "open"} className={`flex flex-col gap-[0.3rem] rounded border-l-[0.3rem] bg-panel p-[0.8rem] ${TONE[a.severity].split(" ")[1]}`}>
      <div className="flex flex-wrap items-baseline gap-[0.8rem]">
        <span className={`font-bold ${TONE[a.severity].split(" ")[0]}`}>
          {SEVERITY_MARK[a.severity]} {t(lang, `alerts.${a.severity}`)}
        </span>
        <b>{pick(lang, a.name)}</b>
        <span>
          <Link className="text-accent underline" href={`/entity/${encodeURIComponent(a.entityId)}${lang === "en" ? "?lang=en" : ""}`}>
            {entity ? (lang === "zh" ? entity.nameZh : entity.nameEn) : a.entityId}
          </Link>
          {value !== null && ` · ${value}`}
        </span>
        <span className="text-ink-dim">
          {say("opened")} {shenzhenIso(a.openedTs).slice(0, 19).replace("T", " ")} · {formatAge(lang, now - a.openedTs)}
        </span>
      </div>
      <div className="text-[0.95rem]" data-testid="ack-state">
        {a.acknowledged ? (
          <span className="text-ok">
            ✓ {say("acked")} · {say("by")} <b>{a.acknowledged.by}</b> · {shenzhenIso(a.acknowledged.at).slice(0, 19).replace("T", " ")}
            {a.acknowledged.comment && <span className="text-ink"> · “{a.acknowledged.comment}”</span>}
          </span>
        ) : (
          <span className="text-ink-dim">○ {say("notAcked")}</span>
        )}
        {a.resolved && (
          <span className="ml-[0.8rem]">
            ■ {say("resolved")} · {a.resolved.by === "auto" ? say("auto") : a.resolved.by} · {shenzhenIso(a.resolved.at).slice(0, 19).replace("T", " ")}
          </span>
        )}
      </div>
      <Deliveries deliveries={deliveries} lang={lang} />
      {(mayAck || mayResolve) && (
        <div className="flex flex-wrap items-center gap-[0.6rem]">
          {mayAck && (
            <form method="post" action={`/api/alerts/${encodeURIComponent(a.id)}/ack`} className="flex items-center gap-[0.4rem]">
              <input type="hidden" name="next" value={here} />
              <input name="comment" maxLength={500} placeholder={say("comment")} aria-label={say("comment")} className="w-[20rem] rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.2rem] text-ink" />
              <button type="submit" className="rounded bg-accent px-[0.8rem] py-[0.2rem] font-bold text-wall-bg">{say("ack")}</button>
            </form>
          )}
          {mayResolve && (
            <form method="post" action={`/api/alerts/${encodeURIComponent(a.id)}/resolve`}>
              <input type="hidden" name="next" value={here} />
              <button type="submit" className="rounded border border-ok px-[0.8rem] py-[0.2rem] font-bold text-ok">{say("resolve")}</button>
            </form>
          )}
        </div>
      )}
    </li>
  );
}
