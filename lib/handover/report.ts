/** One shift handover, as the page prints it and the CSV lists it: the same content in both. */
import type { AlertRecord } from "../db/alerts";
import type { Domain, Text } from "../catalog";
import type { AlertEvent } from "./alerts";
import type { FigureComparison } from "./figures";
import type { OutageSpan } from "./outages";
import type { HandoverSpan } from "./span";

/** Rows a handover lists at most per section: beyond, it says how many it left out. */
export const MAX_ALERT_ROWS = 500;
export const MAX_DRILL_ROWS = 100;
export const MAX_OUTAGE_ROWS = 100;

export interface HandoverDrill {
  id: string;
  name: Text;
  startTs: number;
  /** Its planned end, or when it was stopped. */
  endTs: number;
  stopped: boolean;
  startedBy: string;
}

export interface HandoverOutage {
  domain: Domain;
  metricId: string;
  /** Every series of the metric silent over exactly this span: the city, districts. */
  entityIds: string[];
  outage: OutageSpan;
}

export interface HandoverReport {
  span: HandoverSpan;
  /** The source clock when it was made (simulated time may run fast). */
  madeAt: number;
  events: AlertEvent[];
  open: AlertRecord[];
  /** More alerts touched the span than were read (MAX_ALERT_ROWS): the lists are incomplete. */
  alertsTruncated: boolean;
  ruleNames: ReadonlyMap<string, Text>;
  drills: HandoverDrill[];
  drillsTruncated: boolean;
  outages: HandoverOutage[];
  /** Outages (grouped) found before the MAX_OUTAGE_ROWS longest were kept. */
  outagesFound: number;
  /** Silences up to this long are not outages (a few reports, or two stored buckets; the longest over the series read). */
  outageThresholdMs: number;
  figures: { domain: Domain; comparisons: FigureComparison[] }[];
}

/** What both the page and the CSV call things. */
export const HANDOVER_TEXT = {
  title: { zh: "交接班", en: "Shift handover" },
  span: { zh: "时段", en: "Span" },
  events: { zh: "告警处置", en: "Alert activity" },
  open: { zh: "未解除告警（交给下一班）", en: "Alerts still open (handed over)" },
  drills: { zh: "演练", en: "Drills" },
  outages: { zh: "数据中断", en: "Data outages" },
  figures: { zh: "关键指标对比", en: "Key figures compared" },
  opened: { zh: "发生", en: "opened" },
  acknowledged: { zh: "确认", en: "acknowledged" },
  resolved: { zh: "解除", en: "resolved" },
  auto: { zh: "自动（条件恢复）", en: "automatically (condition cleared)" },
  ruleChanged: { zh: "规则变更", en: "rule changed" },
  notAcked: { zh: "未确认", en: "not acknowledged" },
  ongoing: { zh: "仍中断", en: "still out" },
  stopped: { zh: "提前结束", en: "stopped early" },
  shift: { zh: "本班", en: "This shift" },
  dayBefore: { zh: "前一日同时段", en: "Same span a day earlier" },
  weekBefore: { zh: "上周同时段", en: "Same span a week earlier" },
  city: { zh: "全市", en: "City" },
  everywhere: { zh: "全市及全部 {n} 个区", en: "City and all {n} districts" },
  none: { zh: "无", en: "None" },
  truncated: { zh: "仅列出前 {n} 条", en: "Only the first {n} are listed" },
  longest: { zh: "共 {found} 段，列出最长的 {n} 段", en: "{found} found; the {n} longest are listed" },
  threshold: { zh: "无数据超过 {s} 计为中断", en: "No data for longer than {s} counts as an outage" },
} as const;

export type HandoverTextKey = keyof typeof HANDOVER_TEXT;
