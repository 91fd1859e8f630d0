import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { SEVERITIES, type AlertRule } from "@/lib/alerts/rules";
import { can } from "@/lib/auth/roles";
import { ENTITY_KINDS, METRICS } from "@/lib/catalog";
import { parseLang, pick, type Lang } from "@/lib/i18n";
import { NEW_RULE, currentUser, sideServerGet } from "@/lib/web-auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "告警规则 · OneScreen" };

const TEXT = {
  title: { zh: "告警规则", en: "Alert rules" },
  back: { zh: "‹ 告警", en: "‹ Alerts" },
  unavailable: { zh: "实时服务不可达，无法读取规则", en: "The realtime server is unreachable: no rules to show" },
  readOnly: { zh: "登录为值班员后可编辑规则", en: "Sign in as an operator to edit the rules" },
  saved: { zh: "已保存", en: "Saved" },
  save: { zh: "保存", en: "Save" },
  delete: { zh: "删除", en: "Delete" },
  add: { zh: "新增规则", en: "New rule" },
  id: { zh: "编号", en: "Id" },
  nameZh: { zh: "名称（中文）", en: "Name (Chinese)" },
  nameEn: { zh: "名称（英文）", en: "Name (English)" },
  metric: { zh: "指标", en: "Metric" },
  scope: { zh: "范围（全市、区或对象编号）", en: "Scope (city, district or entity id)" },
  kind: { zh: "范围内每个（可选）", en: "Every … within it (optional)" },
  atLeast: { zh: "按区计数：至少几个（可选）", en: "Count per district: at least (optional)" },
  atLeastPercent: { zh: "按区计数：至少占比 %（可选）", en: "Count per district: at least % (optional)" },
  direction: { zh: "方向", en: "Direction" },
  threshold: { zh: "触发值", en: "Threshold" },
  clearAt: { zh: "恢复值", en: "Clears at" },
  forSeconds: { zh: "持续秒数", en: "Held for (s)" },
  severity: { zh: "级别", en: "Severity" },
  enabled: { zh: "启用", en: "Enabled" },
} as const;

const ZRules = z.object({ rules: z.array(z.custom<AlertRule>((v) => typeof v === "object" && v !== null && "id" in v)) });

const loadRules = async (): Promise<AlertRule[] | null> => (await sideServerGet("/alerts/rules", ZRules))?.rules ?? null;

/** /alerts/rules: every rule; an operator edits them here, the side server validates each save and names a bad field. */
export default async function RulesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const lang = parseLang(query.lang);
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const [user, rules] = await Promise.all([currentUser(), loadRules()]);
  const mayEdit = user !== null && can(user.role, "editRules");
  const error = typeof query.error === "string" ? query.error : null;
  const saved = typeof query.saved === "string" ? query.saved : null;
  return (
    <main lang={lang === "en" ? "en" : "zh-CN"} className="mx-auto flex min-h-screen max-w-[90rem] flex-col gap-[1rem] p-[1.5rem] text-ink">
      <header className="flex items-baseline gap-[1rem]">
        <Link className="text-accent underline" href={lang === "en" ? "/alerts?lang=en" : "/alerts"}>{say("back")}</Link>
        <h1 className="text-[1.6rem] font-bold">{say("title")}</h1>
      </header>
      {!mayEdit && <p className="text-ink-dim">{say("readOnly")}</p>}
      {error && <p role="alert" className="font-bold text-crit">✕ {error}</p>}
      {saved && <p role="status" className="font-bold text-ok">✓ {say("saved")}: {saved}</p>}
      {!rules && <p role="alert" className="font-bold text-warn">▲ {say("unavailable")}</p>}
      <ul className="flex flex-col gap-[0.8rem]">
        {rules?.map((rule) => (
          <li key={rule.id} data-testid={`rule-${rule.id}`}>
            <RuleForm rule={rule} lang={lang} editable={mayEdit} />
          </li>
        ))}
        {mayEdit && (
          <li data-testid="rule-new">
            <h2 className="mb-[0.4rem] font-bold">{say("add")}</h2>
            <RuleForm rule={null} lang={lang} editable />
          </li>
        )}
      </ul>
    </main>
  );
}

function RuleForm({ rule, lang, editable }: { rule: AlertRule | null; lang: Lang; editable: boolean }) {
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const field = "rounded border border-panel-edge bg-wall-bg px-[0.4rem] py-[0.15rem] text-ink disabled:opacity-80";
  const label = (key: keyof typeof TEXT, input: React.ReactNode) => (
    <label className="flex flex-col gap-[0.1rem] text-[0.85rem] text-ink-dim">
      {say(key)}
      {input}
    </label>
  );
  return (
    <form method="post" action={`/api/alerts/rules/${rule ? encodeURIComponent(rule.id) : NEW_RULE}`} className="flex flex-wrap items-end gap-[0.6rem] rounded bg-panel p-[0.8rem]">
      <input type="hidden" name="lang" value={lang} />
      {rule ? <b className="w-full text-[1.05rem] text-ink">{pick(lang, rule.name)} <span className="font-normal text-ink-dim">({rule.id})</span></b> : label("id", <input name="id" required pattern="[a-z0-9][a-z0-9\-]{0,62}" className={field} />)}
      <fieldset disabled={!editable} className="contents">
        {label("nameZh", <input name="nameZh" defaultValue={rule?.name.zh} required className={field} />)}
        {label("nameEn", <input name="nameEn" defaultValue={rule?.name.en} required className={field} />)}
        {label(
          "metric",
          <select name="metricId" defaultValue={rule?.metricId} className={field}>
            {METRICS.map((m) => (
              <option key={m.id} value={m.id}>
                {pick(lang, m.label)} ({m.id})
              </option>
            ))}
          </select>,
        )}
        {label("scope", <input name="scope" defaultValue={rule?.scope ?? "shenzhen"} required className={`${field} w-[9rem]`} />)}
        {label(
          "kind",
          <select name="kind" defaultValue={rule?.kind ?? ""} className={field}>
            <option value="">—</option>
            {ENTITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>,
        )}
        {label("atLeast", <input name="atLeast" inputMode="numeric" defaultValue={rule?.atLeast} className={`${field} w-[6rem]`} />)}
        {label("atLeastPercent", <input name="atLeastPercent" inputMode="decimal" defaultValue={rule?.atLeastPercent} className={`${field} w-[6rem]`} />)}
        {label(
          "direction",
          <select name="direction" defaultValue={rule?.direction ?? "above"} className={field}>
            <option value="above">≥ above</option>
            <option value="below">≤ below</option>
          </select>,
        )}
        {label("threshold", <input name="threshold" inputMode="decimal" defaultValue={rule?.threshold} required className={`${field} w-[6rem]`} />)}
        {label("clearAt", <input name="clearAt" inputMode="decimal" defaultValue={rule?.clearAt} required className={`${field} w-[6rem]`} />)}
        {label("forSeconds", <input name="forSeconds" inputMode="numeric" defaultValue={rule?.forSeconds ?? 60} required className={`${field} w-[6rem]`} />)}
        {label(
          "severity",
          <select name="severity" defaultValue={rule?.severity ?? "warning"} className={field}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>,
        )}
        <label className="flex items-center gap-[0.3rem] text-[0.9rem]">
          <input type="checkbox" name="enabled" defaultChecked={rule?.enabled ?? true} /> {say("enabled")}
        </label>
        {editable && (
          <>
            <button type="submit" name="action" value="save" className="rounded bg-accent px-[0.8rem] py-[0.2rem] font-bold text-wall-bg">{say("save")}</button>
            {rule && <button type="submit" name="action" value="delete" className="rounded border border-crit px-[0.8rem] py-[0.2rem] text-crit">{say("delete")}</button>}
          </>
        )}
      </fieldset>
    </form>
  );
}
