import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SEVERITY_MARK } from "@/lib/alerts/attention";
import { parseLang, t, type Lang } from "@/lib/i18n";
import { DOMAINS } from "@/lib/catalog";
import { COLUMN_TEXT, formatDuration, handoverRows, say, shenzhenText, type HandoverRow, type HandoverSection } from "@/lib/handover/rows";
import { MAX_ALERT_ROWS, MAX_DRILL_ROWS, MAX_OUTAGE_ROWS, type HandoverReport } from "@/lib/handover/report";
import { handoverSpanSchema } from "@/lib/handover/span";
import { issuesMessage } from "@/lib/issues";
import { toShenzhenInput } from "@/lib/shenzhen-time";
import { webLog } from "@/lib/web-log";
import { loadHandover, sourceClock } from "./load";
import { PrintButton } from "./PrintButton";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "交接班 · OneScreen" };

const PAGE_TEXT = {
  alerts: { zh: "‹ 告警", en: "‹ Alerts" },
  wall: { zh: "‹ 大屏", en: "‹ Wall" },
  from: { zh: "自", en: "From" },
  to: { zh: "至", en: "To" },
  show: { zh: "查看", en: "Show" },
  csv: { zh: "⤓ 导出 CSV", en: "⤓ CSV" },
  madeAt: { zh: "生成于", en: "Made at" },
  beijing: { zh: "北京时间", en: "UTC+8" },
  badSpan: { zh: "时段有误", en: "Bad span" },
  unavailable: { zh: "数据库不可达，无法生成交接班报告", en: "The database is unreachable: no handover" },
  duration: { zh: "时长", en: "Duration" },
  startedBy: { zh: "发起人", en: "Started by" },
  ackedBy: { zh: "确认人", en: "Acknowledged by" },
  started: { zh: "开始", en: "Started" },
  ends: { zh: "结束", en: "Ended" },
  openedAt: { zh: "发生", en: "Opened" },
  shift: { zh: "本班", en: "This shift" },
  noData: { zh: "全市均值；— 表示该时段无存储数据", en: "City averages; — where nothing was stored in that span" },
} as const;

type Column = keyof typeof COLUMN_TEXT;
/** Each section's columns, and the headings that differ from the CSV's generic ones. */
const SECTION_COLUMNS: Record<HandoverSection, { column: Column; label?: keyof typeof PAGE_TEXT }[]> = {
  events: [{ column: "from" }, { column: "what" }, { column: "place" }, { column: "by" }, { column: "comment" }, { column: "value" }],
  open: [{ column: "from", label: "openedAt" }, { column: "what" }, { column: "place" }, { column: "by", label: "ackedBy" }, { column: "comment" }, { column: "value" }],
  drills: [{ column: "from", label: "started" }, { column: "to", label: "ends" }, { column: "what" }, { column: "by", label: "startedBy" }, { column: "comment" }],
  outages: [{ column: "from", label: "started" }, { column: "to", label: "ends" }, { column: "what" }, { column: "place" }, { column: "value", label: "duration" }, { column: "comment" }],
  figures: [{ column: "what" }, { column: "value", label: "shift" }, { column: "dayBefore" }, { column: "weekBefore" }],
};

const TONE = { critical: "text-crit print:text-black", warning: "text-warn print:text-black", info: "text-accent print:text-black" } as const;

export default async function HandoverPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const lang = parseLang(query.lang);
  const text = (key: keyof typeof PAGE_TEXT) => PAGE_TEXT[key][lang];
  const one = (name: string) => (typeof query[name] === "string" ? query[name] : undefined);
  // The CSV is a route's (a page cannot answer text/csv, nor a 400 naming a bad field): pass the query on as it came.
  if (one("format") === "csv") {
    const passed = Object.fromEntries(["from", "to", "lang"].flatMap((name) => (one(name) === undefined ? [] : [[name, one(name)!]])));
    redirect(`/api/handover?${new URLSearchParams(passed)}`);
  }
  const clock = await sourceClock();
  const parsed = handoverSpanSchema(clock.now).safeParse({ from: one("from"), to: one("to"), format: one("format") });
  const span = parsed.success ? parsed.data : null;
  let report: HandoverReport | null = null;
  if (span) {
    try {
      report = await loadHandover(span, clock);
    } catch (error) {
      webLog("handover").error({ err: error }, "handover unavailable");
    }
  }
  const rows = report ? handoverRows(report, lang) : [];
  const ofSection = (section: HandoverSection) => rows.filter((r) => r.section === section);
  const shown = span ?? { from: clock.now - 8 * 3_600_000, to: clock.now };
  const csvHref = `/api/handover?${new URLSearchParams({ from: String(shown.from), to: String(shown.to), ...(lang === "en" ? { lang } : {}) })}`;

  return (
    <main data-handover lang={lang === "en" ? "en" : "zh-CN"} className="mx-auto flex h-screen max-w-[100rem] flex-col gap-[1rem] overflow-auto p-[1.5rem] text-ink print:h-auto print:max-w-none print:overflow-visible print:p-0 print:text-black">
      <nav data-chrome className="flex flex-wrap items-baseline gap-[1rem] print:hidden">
        <Link className="text-accent underline" href={lang === "en" ? "/alerts?lang=en" : "/alerts"}>{text("alerts")}</Link>
        <Link className="text-accent underline" href={lang === "en" ? "/?lang=en" : "/"}>{text("wall")}</Link>
        <Link className="ml-auto text-accent underline" href={`/handover?${new URLSearchParams({ from: String(shown.from), to: String(shown.to), ...(lang === "en" ? {} : { lang: "en" }) })}`}>
          {lang === "en" ? "中文" : "English"}
        </Link>
      </nav>
      <header className="flex flex-wrap items-baseline gap-x-[1.5rem] gap-y-[0.5rem]">
        <h1 className="text-[1.8rem] font-bold">{say(lang, "title")}</h1>
        <p data-testid="handover-span" className="text-[1.2rem]">
          {say(lang, "span")} <b>{shenzhenText(shown.from).slice(0, 16)}</b> – <b>{shenzhenText(shown.to).slice(0, 16)}</b> ({text("beijing")})
        </p>
        <p className="text-ink-dim print:text-black">
          {text("madeAt")} {shenzhenText(clock.now)}
        </p>
      </header>
      <form data-chrome method="get" action="/handover" className="flex flex-wrap items-center gap-[0.8rem] print:hidden">
        {lang === "en" && <input type="hidden" name="lang" value="en" />}
        <label className="flex items-center gap-[0.4rem]">
          {text("from")}
          <input type="datetime-local" name="from" defaultValue={toShenzhenInput(shown.from)} className="rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.2rem] text-ink" />
        </label>
        <label className="flex items-center gap-[0.4rem]">
          {text("to")}
          <input type="datetime-local" name="to" defaultValue={toShenzhenInput(shown.to)} className="rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.2rem] text-ink" />
        </label>
        <button type="submit" className="rounded border border-accent px-[0.8rem] py-[0.2rem] text-accent">{text("show")}</button>
        <PrintButton />
        <a className="rounded border border-ok px-[0.8rem] py-[0.2rem] text-ok" href={csvHref} download>
          {text("csv")}
        </a>
      </form>
      {!parsed.success && (
        <p role="alert" className="font-bold text-crit">
          ✕ {text("badSpan")}: {issuesMessage(parsed.error)}
        </p>
      )}
      {span && !report && <p role="alert" className="font-bold text-warn">▲ {text("unavailable")}</p>}
      {report && (
        <>
          <Section lang={lang} section="events" rows={ofSection("events")} note={report.alertsTruncated ? say(lang, "truncated", { n: MAX_ALERT_ROWS }) : null} />
          <Section lang={lang} section="open" rows={ofSection("open")} note={null} />
          <Section lang={lang} section="drills" rows={ofSection("drills")} note={report.drillsTruncated ? say(lang, "truncated", { n: MAX_DRILL_ROWS }) : null} />
          <Section
            lang={lang}
            section="outages"
            rows={ofSection("outages")}
            note={[report.outagesFound > MAX_OUTAGE_ROWS ? say(lang, "longest", { found: report.outagesFound, n: MAX_OUTAGE_ROWS }) : null, say(lang, "threshold", { s: formatDuration(lang, report.outageThresholdMs) })].filter(Boolean).join(" · ")}
          />
          <Figures lang={lang} report={report} rows={ofSection("figures")} />
        </>
      )}
    </main>
  );
}

function Section({ lang, section, rows, note }: { lang: Lang; section: HandoverSection; rows: HandoverRow[]; note: string | null }) {
  return (
    <section data-testid={`handover-${section}`} className="flex flex-col gap-[0.4rem] break-inside-avoid-page">
      <h2 className="border-b border-panel-edge text-[1.25rem] font-bold print:border-black">
        {say(lang, section)} · {rows.length}
      </h2>
      {note && <p className="text-[0.9rem] text-ink-dim print:text-black">{note}</p>}
      {rows.length === 0 ? (
        <p className="text-ink-dim print:text-black">{say(lang, "none")}</p>
      ) : (
        <RowTable lang={lang} section={section} rows={rows} />
      )}
    </section>
  );
}

function RowTable({ lang, section, rows }: { lang: Lang; section: HandoverSection; rows: HandoverRow[] }) {
  const columns = SECTION_COLUMNS[section];
  return (
    <table className="w-full border-collapse text-left text-[0.95rem]">
      <thead>
        <tr className="text-ink-dim print:text-black">
          {columns.map(({ column, label }) => (
            <th key={column} scope="col" className="border-b border-panel-edge px-[0.4rem] py-[0.2rem] font-normal print:border-black">
              {label ? PAGE_TEXT[label][lang] : COLUMN_TEXT[column][lang]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-testid={`handover-row-${section}`} data-key={row.key} className="break-inside-avoid border-b border-panel-edge/50 align-top print:border-black/30">
            {columns.map(({ column }) => (
              <td key={column} className={`px-[0.4rem] py-[0.2rem] ${column === "from" || column === "to" ? "whitespace-nowrap tabular-nums" : ""} ${column === "what" && row.severity ? TONE[row.severity] : ""}`}>
                {column === "what" && row.severity && `${SEVERITY_MARK[row.severity]} `}
                {column === "place" && row.entityId ? (
                  <Link className="underline decoration-dotted print:no-underline" href={`/entity/${encodeURIComponent(row.entityId)}${lang === "en" ? "?lang=en" : ""}`}>
                    {row.place}
                  </Link>
                ) : (
                  row[column]
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const text = (lang: Lang, key: keyof typeof PAGE_TEXT) => PAGE_TEXT[key][lang];

function Figures({ lang, report, rows }: { lang: Lang; report: HandoverReport; rows: HandoverRow[] }) {
  return (
    <section data-testid="handover-figures" className="flex flex-col gap-[0.4rem] break-inside-avoid-page">
      <h2 className="border-b border-panel-edge text-[1.25rem] font-bold print:border-black">{say(lang, "figures")}</h2>
      <p className="text-[0.9rem] text-ink-dim print:text-black">{text(lang, "noData")}</p>
      <div className="grid grid-cols-2 gap-x-[1.5rem] gap-y-[0.8rem] print:grid-cols-2">
        {DOMAINS.map((domain) => {
          const ids = new Set(report.figures.find((f) => f.domain === domain)?.comparisons.map((c) => c.metricId));
          return (
            <div key={domain} className="break-inside-avoid">
              <h3 className="font-bold">{t(lang, `domain.${domain}`)}</h3>
              <RowTable lang={lang} section="figures" rows={rows.filter((r) => ids.has(r.key))} />
            </div>
          );
        })}
      </div>
    </section>
  );
}
