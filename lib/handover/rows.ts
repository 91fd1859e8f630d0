/**
 * A handover as rows of text in one language: the page's tables and the CSV are both made
 * from these, so the printout and the spreadsheet say the same thing.
 */
import { alertValueText } from "../alerts/value";
import type { AlertRecord } from "../db/alerts";
import { CITY_ID, DISTRICTS, entityById, metricById } from "../catalog";
import { formatValue, pick, t, type Lang } from "../i18n";
import { shenzhenIso } from "../shenzhen-time";
import { acknowledgedBy } from "./alerts";
import { changePercent, type SpanFigure } from "./figures";
import { HANDOVER_TEXT, type HandoverReport, type HandoverTextKey } from "./report";

export type HandoverSection = "events" | "open" | "drills" | "outages" | "figures";
export const SECTIONS: readonly HandoverSection[] = ["events", "open", "drills", "outages", "figures"];

export interface HandoverRow {
  section: HandoverSection;
  /** A stable key for the page (alert id and event, drill id, …). */
  key: string;
  from: string;
  to: string;
  what: string;
  place: string;
  by: string;
  comment: string;
  value: string;
  dayBefore: string;
  weekBefore: string;
  severity: "critical" | "warning" | "info" | null;
  /** The entity a row is about, for a link. */
  entityId: string | null;
}

export const COLUMNS = ["section", "from", "to", "what", "place", "by", "comment", "value", "dayBefore", "weekBefore"] as const;
export const COLUMN_TEXT: Record<(typeof COLUMNS)[number], { zh: string; en: string }> = {
  section: { zh: "类别", en: "Section" },
  from: { zh: "时间（北京时间）", en: "Time (UTC+8)" },
  to: { zh: "结束", en: "Until" },
  what: { zh: "事项", en: "What" },
  place: { zh: "对象", en: "Where" },
  by: { zh: "处置人", en: "By" },
  comment: { zh: "备注", en: "Comment" },
  value: { zh: "数值", en: "Value" },
  dayBefore: { zh: "前一日同时段", en: "A day earlier" },
  weekBefore: { zh: "上周同时段", en: "A week earlier" },
};

export const say = (lang: Lang, key: HandoverTextKey, vars?: Record<string, string | number>): string => {
  let text: string = HANDOVER_TEXT[key][lang];
  if (vars) for (const [name, value] of Object.entries(vars)) text = text.replace(`{${name}}`, String(value));
  return text;
};

/** 2026-12-03 14:05:09: Shenzhen time as a spreadsheet reads it. */
export const shenzhenText = (ms: number): string => shenzhenIso(ms).slice(0, 19).replace("T", " ");

const placeName = (lang: Lang, entityId: string): string => {
  const entity = entityById(entityId);
  return entity ? (lang === "zh" ? entity.nameZh : entity.nameEn) : entityId;
};

const placesText = (lang: Lang, entityIds: readonly string[]): string => {
  const ids = new Set(entityIds);
  if (ids.has(CITY_ID) && DISTRICTS.every((d) => ids.has(d.id))) return say(lang, "everywhere", { n: DISTRICTS.length });
  return entityIds.map((id) => (id === CITY_ID ? say(lang, "city") : placeName(lang, id))).join(lang === "zh" ? "、" : ", ");
};

const whoText = (lang: Lang, by: string | null): string => (by === "auto" ? say(lang, "auto") : by === "rule-changed" ? say(lang, "ruleChanged") : (by ?? ""));

const valueText = (lang: Lang, a: AlertRecord): string => alertValueText(lang, { metricId: a.metricId, triggerValue: a.triggerValue, counted: a.counted ?? undefined }) ?? "";

const BLANK = { to: "", place: "", by: "", comment: "", value: "", dayBefore: "", weekBefore: "", severity: null, entityId: null } as const;

function figureText(lang: Lang, figure: SpanFigure, decimals: number, unit: string, shift: number | null): string {
  if (figure.mean === null) return "—";
  const value = `${formatValue(lang, figure.mean, decimals)}${unit ? ` ${unit}` : ""}`;
  // How this shift compares with the earlier span, on the earlier span's cell.
  const change = changePercent(shift, figure.mean);
  return change === null ? value : `${value} (${say(lang, "shift")} ${change >= 0 ? "+" : ""}${change.toFixed(1)}%)`;
}

export function handoverRows(report: HandoverReport, lang: Lang): HandoverRow[] {
  const rows: HandoverRow[] = [];
  const ruleName = (ruleId: string) => pick(lang, report.ruleNames.get(ruleId) ?? { zh: ruleId, en: ruleId });
  for (const e of report.events) {
    rows.push({
      ...BLANK,
      section: "events",
      key: `${e.alert.id}:${e.kind}`,
      from: shenzhenText(e.at),
      what: `${say(lang, e.kind)} · ${t(lang, `alerts.${e.alert.severity}`)} · ${ruleName(e.alert.ruleId)}`,
      place: placeName(lang, e.alert.entityId),
      by: whoText(lang, e.by),
      comment: e.comment ?? "",
      value: valueText(lang, e.alert),
      severity: e.alert.severity,
      entityId: e.alert.entityId,
    });
  }
  for (const a of report.open) {
    const acked = acknowledgedBy(a, report.span.to);
    rows.push({
      ...BLANK,
      section: "open",
      key: a.id,
      from: shenzhenText(a.openedTs),
      what: `${t(lang, `alerts.${a.severity}`)} · ${ruleName(a.ruleId)}`,
      place: placeName(lang, a.entityId),
      by: acked ? (a.acknowledgedBy ?? "") : say(lang, "notAcked"),
      comment: acked ? (a.ackComment ?? "") : "",
      value: valueText(lang, a),
      severity: a.severity,
      entityId: a.entityId,
    });
  }
  for (const d of report.drills) {
    rows.push({ ...BLANK, section: "drills", key: d.id, from: shenzhenText(d.startTs), to: shenzhenText(d.endTs), what: pick(lang, d.name), by: d.startedBy, comment: d.stopped ? say(lang, "stopped") : "" });
  }
  for (const o of report.outages) {
    const metric = metricById(o.metricId);
    rows.push({
      ...BLANK,
      section: "outages",
      key: `${o.metricId}:${o.entityIds.join("+")}:${o.outage.from}`,
      from: shenzhenText(o.outage.from),
      to: shenzhenText(o.outage.to),
      what: metric ? pick(lang, metric.label) : o.metricId,
      place: placesText(lang, o.entityIds),
      comment: o.outage.ongoing ? say(lang, "ongoing") : "",
      value: formatDuration(lang, o.outage.to - o.outage.from),
      entityId: o.entityIds.length === 1 ? o.entityIds[0]! : null,
    });
  }
  for (const { comparisons } of report.figures) {
    for (const c of comparisons) {
      const metric = metricById(c.metricId);
      const decimals = metric?.decimals ?? 1;
      const unit = metric ? pick(lang, metric.unit) : "";
      rows.push({
        ...BLANK,
        section: "figures",
        key: c.metricId,
        from: shenzhenText(report.span.from),
        to: shenzhenText(report.span.to),
        what: metric ? pick(lang, metric.label) : c.metricId,
        place: say(lang, "city"),
        value: figureText(lang, c.shift, decimals, unit, null),
        dayBefore: figureText(lang, c.dayBefore, decimals, unit, c.shift.mean),
        weekBefore: figureText(lang, c.weekBefore, decimals, unit, c.shift.mean),
        entityId: CITY_ID,
      });
    }
  }
  return rows;
}

/** 1 h 05 min, 45 s: how long an outage lasted. */
export function formatDuration(lang: Lang, ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return lang === "zh" ? `${seconds} 秒` : `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return lang === "zh" ? `${minutes} 分钟` : `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = String(minutes % 60).padStart(2, "0");
  return lang === "zh" ? `${h} 小时 ${m} 分` : `${h} h ${m} min`;
}
