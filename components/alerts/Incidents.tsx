/**
 * The desk's incidents (一体运行联动): each event that reached several domains, as a chain
 * ("福田区 · 智慧交通 → 智慧停车"), with the timeline of its alerts, and for an operator the
 * forms to close it (with a comment), split alerts off it and merge incidents. Plain forms
 * posting to /api/incidents: they work without client script.
 */
import Link from "next/link";
import { z } from "zod";
import { SEVERITY_MARK } from "@/lib/alerts/attention";
import { alertValueText } from "@/lib/alerts/value";
import { CITY, DISTRICTS, DOMAINS, entityById } from "@/lib/catalog";
import { pick, t, type Lang } from "@/lib/i18n";
import { ZAlert, type TAlert } from "@/lib/realtime/protocol";
import { shenzhenIso } from "@/lib/shenzhen-time";
import { sideServerGet } from "@/lib/web-auth";

const ZIncident = z.object({
  id: z.string(),
  placeId: z.string(),
  alertIds: z.array(z.string()),
  domains: z.array(z.enum(DOMAINS)),
  severity: ZAlert.shape.severity,
  startTs: z.number(),
  lastOpenedTs: z.number(),
  open: z.number(),
  closed: z.object({ at: z.number(), by: z.string(), comment: z.string().nullable() }).nullable(),
});
type ListedIncident = z.infer<typeof ZIncident>;
const ZAnswer = z.object({ incidents: z.array(ZIncident) });

/** The incidents among the newest alerts, newest first; null when the side server does not answer. */
export async function loadIncidents(): Promise<ListedIncident[] | null> {
  return (await sideServerGet("/incidents?limit=200", ZAnswer))?.incidents.toReversed() ?? null;
}

const WORDS = {
  title: { zh: "事件（一体运行联动）", en: "Incidents (one event, several domains)" },
  alerts: { zh: "{n} 条告警 · {open} 条未解除", en: "{n} alerts · {open} open" },
  closedBy: { zh: "已关闭 · {by} · {at}", en: "Closed · {by} · {at}" },
  close: { zh: "关闭事件", en: "Close incident" },
  comment: { zh: "处置说明（可选）", en: "What was done (optional)" },
  split: { zh: "拆分所选告警", en: "Split off the ticked alerts" },
  merge: { zh: "合并所选事件", en: "Merge the ticked incidents" },
  mergeTick: { zh: "合并", en: "merge" },
  resolved: { zh: "已解除", en: "resolved" },
  more: { zh: "另有 {n} 条告警", en: "{n} more alerts" },
  moreIncidents: { zh: "另有 {n} 个较早的事件仍有告警未解除", en: "{n} earlier incidents still have open alerts" },
} as const;

/** The first alerts of an incident tell how it began; the rest fold away so one big incident does not fill the page. */
const TIMELINE_SHOWN = 4;
const INCIDENTS_SHOWN = 3;

const TONE = { critical: "text-crit border-crit", warning: "text-warn border-warn", info: "text-accent border-accent" } as const;
const clock = (ms: number) => shenzhenIso(ms).slice(11, 19);

function placeName(lang: Lang, placeId: string): string {
  const district = DISTRICTS.find((d) => d.id === placeId);
  if (district) return lang === "zh" ? district.nameZh : district.nameEn;
  return lang === "zh" ? CITY.nameZh : CITY.nameEn;
}

export function Incidents({ incidents, alerts, lang, here, mayChange }: { incidents: readonly ListedIncident[]; alerts: readonly ListedAlert[]; lang: Lang; here: string; mayChange: boolean }) {
  const say = (key: keyof typeof WORDS, values: Record<string, string | number> = {}) => Object.entries(values).reduce<string>((text, [k, v]) => text.replace(`{${k}}`, String(v)), WORDS[key][lang]);
  const byId = new Map(alerts.map((a) => [a.id, a]));
  // The desk is for what is still going on (GET /incidents lists the rest), and stays within two screens:
  // incidents with alerts still open, newest first, those not yet closed before those closed.
  const going = incidents.filter((i) => i.open > 0);
  const shown = going.toSorted((a, b) => Number(a.closed !== null) - Number(b.closed !== null)).slice(0, INCIDENTS_SHOWN);
  if (shown.length === 0) return null;
  const mergeable = shown.filter((i) => i.closed === null);
  return (
    <section className="flex flex-col gap-[0.6rem]" data-testid="incidents">
      <h2 className="text-[1.2rem] font-bold">{say("title")}</h2>
      {mayChange && mergeable.length > 1 && (
        <form id="merge-incidents" method="post" action="/api/incidents" className="flex items-center gap-[0.6rem]">
          <input type="hidden" name="change" value="merge" />
          <input type="hidden" name="next" value={here} />
          <button type="submit" className="rounded border border-accent px-[0.8rem] py-[0.2rem] font-bold text-accent">{say("merge")}</button>
        </form>
      )}
      <ul className="flex flex-col gap-[0.6rem]">
        {shown.map((incident) => (
          <li key={incident.id} data-testid={`incident-${incident.id}`} data-closed={incident.closed !== null} className={`flex flex-col gap-[0.3rem] rounded border-l-[0.3rem] bg-panel p-[0.8rem] ${TONE[incident.severity].split(" ")[1]} ${incident.closed ? "opacity-75" : ""}`}>
            <div className="flex flex-wrap items-baseline gap-[0.8rem]">
              {mayChange && incident.closed === null && mergeable.length > 1 && (
                <label className="text-[0.9rem] text-ink-dim">
                  <input type="checkbox" form="merge-incidents" name="incidentIds" value={incident.id} aria-label={`${say("mergeTick")} ${incident.id}`} /> {say("mergeTick")}
                </label>
              )}
              <b className={TONE[incident.severity].split(" ")[0]}>
                {SEVERITY_MARK[incident.severity]} {placeName(lang, incident.placeId)} · {incident.domains.map((d) => t(lang, `domain.${d}`)).join(" → ")}
              </b>
              <span className="text-ink-dim">
                {shenzhenIso(incident.startTs).slice(0, 16).replace("T", " ")} · {say("alerts", { n: incident.alertIds.length, open: incident.open })}
              </span>
              {incident.closed && (
                <span className="text-ok">
                  ■ {say("closedBy", { by: incident.closed.by, at: shenzhenIso(incident.closed.at).slice(0, 16).replace("T", " ") })}
                  {incident.closed.comment && <span className="text-ink"> · “{incident.closed.comment}”</span>}
                </span>
              )}
            </div>
            <form id={`split-${incident.id}`} method="post" action="/api/incidents" className="contents">
              <input type="hidden" name="change" value="split" />
              <input type="hidden" name="incidentId" value={incident.id} />
              <input type="hidden" name="next" value={here} />
            </form>
            <Timeline alertIds={incident.alertIds.slice(0, TIMELINE_SHOWN)} byId={byId} lang={lang} splitForm={mayChange && incident.closed === null ? `split-${incident.id}` : null} />
            {incident.alertIds.length > TIMELINE_SHOWN && (
              <details>
                <summary className="cursor-pointer text-accent">{say("more", { n: incident.alertIds.length - TIMELINE_SHOWN })}</summary>
                <Timeline alertIds={incident.alertIds.slice(TIMELINE_SHOWN)} byId={byId} lang={lang} splitForm={mayChange && incident.closed === null ? `split-${incident.id}` : null} />
              </details>
            )}
            {mayChange && incident.closed === null && (
              <div className="flex flex-wrap items-center gap-[0.6rem]">
                <button type="submit" form={`split-${incident.id}`} className="rounded border border-panel-edge px-[0.8rem] py-[0.2rem]">{say("split")}</button>
                <form method="post" action="/api/incidents" className="flex items-center gap-[0.4rem]">
                  <input type="hidden" name="change" value="close" />
                  <input type="hidden" name="incidentId" value={incident.id} />
                  <input type="hidden" name="next" value={here} />
                  <input name="comment" maxLength={500} placeholder={say("comment")} aria-label={`${say("comment")} ${incident.id}`} className="w-[20rem] rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.2rem] text-ink" />
                  <button type="submit" className="rounded border border-ok px-[0.8rem] py-[0.2rem] font-bold text-ok">{say("close")}</button>
                </form>
              </div>
            )}
          </li>
        ))}
      </ul>
      {going.length > shown.length && <p className="text-ink-dim">{say("moreIncidents", { n: going.length - shown.length })}</p>}
    </section>
  );
}

type ListedAlert = TAlert & { resolved: { at: number; by: string } | null };

/** Alerts of an incident in the order they opened: when, what, where, the value, and when resolved. */
function Timeline({ alertIds, byId, lang, splitForm }: { alertIds: readonly string[]; byId: ReadonlyMap<string, ListedAlert>; lang: Lang; splitForm: string | null }) {
  return (
    <ol className="flex flex-col gap-[0.1rem] text-[0.95rem]">
      {alertIds.map((id) => {
        const alert = byId.get(id);
        if (!alert) return null;
        const entity = entityById(alert.entityId);
        const value = alertValueText(lang, alert);
        return (
          <li key={id} className="flex flex-wrap items-baseline gap-[0.6rem]">
            {splitForm && <input type="checkbox" form={splitForm} name="alertIds" value={id} aria-label={`${pick(lang, alert.name)} ${id}`} />}
            <span className="tabular-nums text-ink-dim">{clock(alert.openedTs)}</span>
            <span className={TONE[alert.severity].split(" ")[0]}>{SEVERITY_MARK[alert.severity]}</span>
            <span>{pick(lang, alert.name)}</span>
            <Link className="text-accent underline" href={`/entity/${encodeURIComponent(alert.entityId)}${lang === "en" ? "?lang=en" : ""}`}>
              {entity ? (lang === "zh" ? entity.nameZh : entity.nameEn) : alert.entityId}
            </Link>
            {value !== null && <span>{value}</span>}
            {alert.resolved && <span className="text-ink-dim">· {WORDS.resolved[lang]} {clock(alert.resolved.at)}</span>}
          </li>
        );
      })}
    </ol>
  );
}
