import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { SEVERITY_MARK } from "@/lib/alerts/attention";
import { deskHref, deskPage, parseDeskFilter, stateOf } from "@/lib/alerts/desk";
import { alertValueText } from "@/lib/alerts/value";
import { ZAlert } from "@/lib/realtime/protocol";
import { can } from "@/lib/auth/roles";
import { entityById } from "@/lib/catalog";
import { realtimeLocation } from "@/lib/db/web";
import { formatAge, parseLang, pick, t, type Lang } from "@/lib/i18n";
import { alertLinks } from "@/lib/notify/message";
import { shenzhenIso } from "@/lib/shenzhen-time";
import { currentUser, sideServerGet } from "@/lib/web-auth";
import { Deliveries, loadDeliveries } from "@/components/alerts/Deliveries";
import { Incidents, loadIncidents } from "@/components/alerts/Incidents";
import { DeskFilters } from "@/components/alerts/DeskFilters";
import { DeskLive } from "@/components/alerts/DeskLive";
import { BulkBar, DeskSelection, SelectBox } from "@/components/alerts/DeskSelection";
import type { Delivery } from "@/lib/notify/channels";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "告警 · OneScreen" };

/** GET /alerts?state=all on the side server: the wire alert plus how it ended and its worst value. */
const ZListed = z.object({ ...ZAlert.shape, resolved: z.object({ at: z.number(), by: z.string(), comment: z.string().nullable() }).nullable(), worst: z.number() });
type Listed = z.infer<typeof ZListed>;
const ZAnswer = z.object({ alerts: z.array(ZListed) });
const ZHealth = z.object({ clock: z.object({ simulatedTime: z.string() }) });
/** The side server's most: every unresolved alert and the recently resolved, bounded. */
const LISTED = 1_000;

const TEXT = {
  title: { zh: "告警", en: "Alerts" },
  unavailable: { zh: "实时服务不可达，无法列出告警", en: "The realtime server is unreachable: no alerts to list" },
  none: { zh: "暂无告警", en: "No alerts" },
  noneFiltered: { zh: "没有符合筛选的告警", en: "No alert matches the filter" },
  shown: { zh: "符合筛选 {n} 条", en: "{n} match the filter" },
  page: { zh: "第 {p} / {n} 页", en: "Page {p} of {n}" },
  previous: { zh: "‹ 上一页", en: "‹ Previous" },
  next: { zh: "下一页 ›", en: "Next ›" },
  since: { zh: "越限开始", en: "Breach began" },
  opened: { zh: "告警", en: "Opened" },
  acked: { zh: "已确认", en: "Acknowledged" },
  notAcked: { zh: "未确认", en: "Not acknowledged" },
  resolved: { zh: "已解除", en: "Resolved" },
  worst: { zh: "最差值", en: "Worst" },
  worstSoFar: { zh: "至今最差", en: "Worst so far" },
  auto: { zh: "自动（条件恢复）", en: "automatically (condition cleared)" },
  entity: { zh: "对象详情 ›", en: "Entity ›" },
  replay: { zh: "回放前后 ›", en: "Replay around it ›" },
  comment: { zh: "备注（可选）", en: "Comment (optional)" },
  ack: { zh: "确认 Acknowledge", en: "Acknowledge 确认" },
  resolve: { zh: "解除 Resolve", en: "Resolve 解除" },
  signIn: { zh: "值班员登录 ›", en: "Operator sign-in ›" },
  signOut: { zh: "退出登录", en: "Sign out" },
  readOnly: { zh: "只读账号：不能确认或解除告警", en: "Read-only account: cannot acknowledge or resolve" },
  wall: { zh: "‹ 返回大屏", en: "‹ Back to the wall" },
  rules: { zh: "告警规则 ›", en: "Alert rules ›" },
  handover: { zh: "交接班 ›", en: "Shift handover ›" },
  channels: { zh: "通知渠道 ›", en: "Notification channels ›" },
} as const;

const TONE = { critical: "text-crit border-crit", warning: "text-warn border-warn", info: "text-accent border-accent" } as const;

/** Alert times are on the source clock (simulated time can run fast): ages are measured on it too. */
async function sourceNow(): Promise<number> {
  const health = await sideServerGet("/healthz", ZHealth);
  return health ? Date.parse(health.clock.simulatedTime) : Date.now();
}

/** 2026-11-25 08:03:00, Shenzhen time; the date left out when it is today's. */
function when(ms: number, now: number): string {
  const iso = shenzhenIso(ms).slice(0, 19);
  return iso.slice(0, 10) === shenzhenIso(now).slice(0, 10) ? iso.slice(11) : iso.replace("T", " ");
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const lang = parseLang(query.lang);
  const filter = parseDeskFilter(query);
  const say = (key: keyof typeof TEXT, n?: Record<string, number>) => Object.entries(n ?? {}).reduce<string>((s, [k, v]) => s.replace(`{${k}}`, String(v)), TEXT[key][lang]);
  const [user, answer, now, incidents] = await Promise.all([currentUser(), sideServerGet(`/alerts?state=all&limit=${LISTED}`, ZAnswer), sourceNow(), loadIncidents()]);
  const alerts = answer?.alerts ?? [];
  const view = deskPage(alerts, filter);
  const here = deskHref({ ...filter, page: view.page }, lang);
  const deliveries = await loadDeliveries(view.rows.map((a) => a.id));
  const unresolved = view.unresolved.critical + view.unresolved.warning + view.unresolved.info;
  const error = typeof query.error === "string" ? query.error : null;
  const mayAck = user !== null && can(user.role, "acknowledge");
  const mayResolve = user !== null && can(user.role, "resolve");
  const mayChange = view.rows.filter((a) => !a.resolved).map((a) => a.id);
  const pageLink = (page: number) => deskHref({ ...filter, page }, lang);

  return (
    <main lang={lang === "en" ? "en" : "zh-CN"} className="mx-auto flex min-h-screen max-w-[90rem] flex-col gap-[0.8rem] p-[1.5rem] text-ink">
      <header className="flex flex-wrap items-baseline gap-[1rem]">
        <Link className="text-accent underline" href={lang === "en" ? "/?lang=en" : "/"}>{say("wall")}</Link>
        <h1 className="text-[1.6rem] font-bold" data-testid="desk-title">
          {say("title")} · {unresolved}
        </h1>
        <DeskLive realtime={realtimeLocation()} lang={lang} />
        <Link className="text-accent underline" href={lang === "en" ? "/alerts/rules?lang=en" : "/alerts/rules"}>{say("rules")}</Link>
        <Link className="text-accent underline" href={lang === "en" ? "/handover?lang=en" : "/handover"}>{say("handover")}</Link>
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
      <DeskFilters filter={filter} lang={lang} counts={view.unresolved} />
      {user && !mayAck && <p className="text-ink-dim">{say("readOnly")}</p>}
      {error && (
        <p role="alert" className="font-bold text-crit">
          ✕ {error}
        </p>
      )}
      {!answer && <p role="alert" className="font-bold text-warn">▲ {say("unavailable")}</p>}
      {answer && view.total === 0 && <p className="text-ok">✓ {alerts.length === 0 ? say("none") : say("noneFiltered")}</p>}
      {view.page === 1 && <Incidents incidents={incidents ?? []} alerts={alerts} lang={lang} here={here} mayChange={user !== null && can(user.role, "manageIncidents")} />}
      <DeskSelection ids={mayChange}>
        {mayAck && mayChange.length > 0 && <BulkBar lang={lang} next={here} mayResolve={mayResolve} />}
        <ul className="flex flex-col gap-[0.5rem]" data-testid="desk-rows">
          {view.rows.map((a) => (
            <AlertRow key={a.id} alert={a} lang={lang} now={now} here={here} mayAck={mayAck && !a.resolved} mayResolve={mayResolve && !a.resolved} deliveries={deliveries.get(a.id) ?? []} />
          ))}
        </ul>
      </DeskSelection>
      {view.total > 0 && (
        <nav className="flex items-baseline gap-[1rem]" data-testid="desk-pages" aria-label={say("page", { p: view.page, n: view.pages })}>
          <span className="text-ink-dim">{say("shown", { n: view.total })}</span>
          {view.page > 1 && <Link className="text-accent underline" href={pageLink(view.page - 1)}>{say("previous")}</Link>}
          <span>{say("page", { p: view.page, n: view.pages })}</span>
          {view.page < view.pages && <Link className="text-accent underline" href={pageLink(view.page + 1)}>{say("next")}</Link>}
        </nav>
      )}
    </main>
  );
}

/** One alert: what, where, its timeline, where to look, and what an operator may do. */
function AlertRow({ alert: a, lang, now, here, mayAck, mayResolve, deliveries }: { alert: Listed; lang: Lang; now: number; here: string; mayAck: boolean; mayResolve: boolean; deliveries: readonly Delivery[] }) {
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const entity = entityById(a.entityId);
  const place = entity ? (lang === "zh" ? entity.nameZh : entity.nameEn) : a.entityId;
  const value = alertValueText(lang, a);
  const worst = alertValueText(lang, { ...a, triggerValue: a.worst });
  const links = alertLinks({ ...a, ruleName: a.name, peakValue: a.worst }, lang, "");
  const state = stateOf(a);
  return (
    <li data-testid={`alert-row-${a.id}`} data-severity={a.severity} data-state={state} className={`flex flex-col gap-[0.25rem] rounded border-l-[0.3rem] bg-panel px-[0.8rem] py-[0.5rem] ${TONE[a.severity].split(" ")[1]} ${a.resolved ? "opacity-75" : ""}`}>
      <div className="flex flex-wrap items-baseline gap-[0.8rem]">
        {mayAck && <SelectBox id={a.id} label={`${pick(lang, a.name)} · ${place}`} lang={lang} />}
        <span className={`font-bold ${TONE[a.severity].split(" ")[0]}`}>
          {SEVERITY_MARK[a.severity]} {t(lang, `alerts.${a.severity}`)}
        </span>
        <b>{pick(lang, a.name)}</b>
        <span>
          {place}
          {value !== null && ` · ${value}`}
        </span>
        <span className="text-ink-dim">{formatAge(lang, now - a.openedTs)}</span>
        <span className="ml-auto flex gap-[0.8rem]">
          <Link className="text-accent underline" href={links.entity} data-testid="entity-link">{say("entity")}</Link>
          <Link className="text-accent underline" href={links.replay} data-testid="replay-link">{say("replay")}</Link>
        </span>
      </div>
      <ol className="flex flex-wrap items-baseline gap-x-[0.6rem] text-[0.95rem] text-ink-dim" data-testid="timeline" aria-label="timeline">
        <li>
          {say("since")} {when(a.sinceTs, now)}
        </li>
        <li>→ {say("opened")} {when(a.openedTs, now)}</li>
        <li data-testid="ack-state">
          →{" "}
          {a.acknowledged ? (
            <span className="text-ok">
              ✓ {say("acked")} · <b>{a.acknowledged.by}</b> · {when(a.acknowledged.at, now)}
              {a.acknowledged.comment && <span className="text-ink"> · “{a.acknowledged.comment}”</span>}
            </span>
          ) : (
            <span>○ {say("notAcked")}</span>
          )}
        </li>
        {a.resolved && (
          <li data-testid="resolve-state">
            → ■ {say("resolved")} · {a.resolved.by === "auto" ? say("auto") : <b>{a.resolved.by}</b>} · {when(a.resolved.at, now)}
            {a.resolved.comment && <span className="text-ink"> · “{a.resolved.comment}”</span>}
          </li>
        )}
        {worst !== null && (
          <li data-testid="worst">
            · {a.resolved ? say("worst") : say("worstSoFar")} <span className="text-ink">{worst}</span>
          </li>
        )}
      </ol>
      <Deliveries deliveries={deliveries} lang={lang} />
      {(mayAck || mayResolve) && (
        <div className="flex flex-wrap items-center gap-[0.6rem]">
          {mayAck && (
            <form method="post" action={`/api/alerts/${encodeURIComponent(a.id)}/ack`} className="flex items-center gap-[0.4rem]">
              <input type="hidden" name="next" value={here} />
              <input name="comment" maxLength={500} placeholder={say("comment")} aria-label={say("comment")} className="w-[20rem] rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.1rem] text-ink" />
              <button type="submit" className="rounded bg-accent px-[0.8rem] py-[0.1rem] font-bold text-wall-bg">{say("ack")}</button>
            </form>
          )}
          {mayResolve && (
            <form method="post" action={`/api/alerts/${encodeURIComponent(a.id)}/resolve`}>
              <input type="hidden" name="next" value={here} />
              <button type="submit" className="rounded border border-ok px-[0.8rem] py-[0.1rem] font-bold text-ok">{say("resolve")}</button>
            </form>
          )}
        </div>
      )}
    </li>
  );
}
