"use client";
/**
 * The desk's filter: a GET form of /alerts (it works without script, with its 筛选 button);
 * with script every change replaces the URL at once (typing after a pause), back on page 1.
 */
import { useRouter } from "next/navigation";
import { useRef, type FormEvent } from "react";
import { DESK_SEVERITIES, DESK_STATES, deskHref, parseDeskFilter, type DeskFilter } from "@/lib/alerts/desk";
import { SEVERITY_MARK } from "@/lib/alerts/attention";
import { DISTRICTS, DOMAINS } from "@/lib/catalog";
import { t, type Lang } from "@/lib/i18n";

const TYPING_PAUSE_MS = 300;

const WORDS = {
  severity: { zh: "级别", en: "Severity" },
  state: { zh: "状态", en: "State" },
  domain: { zh: "领域", en: "Domain" },
  district: { zh: "区", en: "District" },
  anyDistrict: { zh: "全市", en: "Whole city" },
  text: { zh: "搜索（规则、对象、人、备注）", en: "Search (rule, place, person, comment)" },
  apply: { zh: "筛选", en: "Filter" },
  reset: { zh: "清除筛选", en: "Clear filters" },
  open: { zh: "未确认", en: "Open" },
  acknowledged: { zh: "已确认", en: "Acknowledged" },
  resolved: { zh: "已解除", en: "Resolved" },
} as const;

const chip = "flex items-center gap-[0.3rem] rounded border border-panel-edge px-[0.5rem] py-[0.1rem] has-[:checked]:border-accent has-[:checked]:bg-accent/15";

export function DeskFilters({ filter, lang, counts }: { filter: DeskFilter; lang: Lang; counts: Record<(typeof DESK_SEVERITIES)[number], number> }) {
  const router = useRouter();
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const say = (key: keyof typeof WORDS) => WORDS[key][lang];

  function apply(form: HTMLFormElement) {
    const data = new FormData(form);
    const query: Record<string, string[]> = {};
    for (const [key, value] of data.entries()) if (typeof value === "string") (query[key] ??= []).push(value);
    // Every state unticked means no filter on state, as every severity unticked does.
    if (!query.state) query.state = [...DESK_STATES];
    router.replace(deskHref({ ...parseDeskFilter({ ...query, q: query.q?.[0] }), page: 1 }, lang), { scroll: false });
  }

  function changed(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    if (typing.current) clearTimeout(typing.current);
    if ((event.target as HTMLElement).getAttribute("name") === "q") typing.current = setTimeout(() => apply(form), TYPING_PAUSE_MS);
    else apply(form);
  }

  return (
    <form
      method="get"
      action="/alerts"
      onChange={changed}
      onSubmit={(e) => {
        e.preventDefault();
        apply(e.currentTarget);
      }}
      data-testid="desk-filters"
      className="flex flex-wrap items-center gap-x-[1.2rem] gap-y-[0.5rem]"
    >
      {lang === "en" && <input type="hidden" name="lang" value="en" />}
      <fieldset className="flex items-center gap-[0.4rem]">
        <legend className="sr-only">{say("severity")}</legend>
        {DESK_SEVERITIES.map((s) => (
          <label key={s} className={chip}>
            <input type="checkbox" name="severity" value={s} defaultChecked={filter.severities.includes(s)} className="sr-only" />
            <span className={s === "critical" ? "text-crit" : s === "warning" ? "text-warn" : "text-accent"}>
              {SEVERITY_MARK[s]} {t(lang, `alerts.${s}`)}
            </span>
            <span className="text-ink-dim" data-testid={`count-${s}`}>{counts[s]}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="flex items-center gap-[0.4rem]">
        <legend className="sr-only">{say("state")}</legend>
        {DESK_STATES.map((s) => (
          <label key={s} className={chip}>
            <input type="checkbox" name="state" value={s} defaultChecked={filter.states.includes(s)} className="sr-only" />
            {say(s)}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex items-center gap-[0.4rem]">
        <legend className="sr-only">{say("domain")}</legend>
        {DOMAINS.map((d) => (
          <label key={d} className={chip}>
            <input type="checkbox" name="domain" value={d} defaultChecked={filter.domains.includes(d)} className="sr-only" />
            {t(lang, `domain.${d}`)}
          </label>
        ))}
      </fieldset>
      <select name="district" defaultValue={filter.district ?? ""} aria-label={say("district")} className="rounded border border-panel-edge bg-wall-bg px-[0.4rem] py-[0.1rem] text-ink">
        <option value="">{say("anyDistrict")}</option>
        {DISTRICTS.map((d) => (
          <option key={d.id} value={d.id}>
            {lang === "zh" ? d.nameZh : d.nameEn}
          </option>
        ))}
      </select>
      <input type="search" name="q" defaultValue={filter.text} maxLength={100} placeholder={say("text")} aria-label={say("text")} className="min-w-[12rem] flex-1 rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.1rem] text-ink" />
      <button type="submit" className="rounded border border-panel-edge px-[0.6rem] py-[0.1rem]">{say("apply")}</button>
      <a href={lang === "en" ? "/alerts?lang=en" : "/alerts"} className="text-accent underline">{say("reset")}</a>
    </form>
  );
}
