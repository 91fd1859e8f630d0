/**
 * The one i18n layer: Chinese first (the wall is Shenzhen's), English by
 * `?lang=en`. Metric and entity names come from the catalog's own zh/en fields.
 */
export const LANGS = ["zh", "en"] as const;
export type Lang = (typeof LANGS)[number];

export function parseLang(value: string | string[] | undefined): Lang {
  return value === "en" ? "en" : "zh";
}

const messages = {
  title: { zh: "深圳城市运行管理中心 · 一屏统览", en: "Shenzhen City Operations Center · OneScreen" },
  "link.connected": { zh: "实时连接", en: "Live" },
  "link.connecting": { zh: "连接中", en: "Connecting" },
  "link.reconnecting": { zh: "重连中", en: "Reconnecting" },
  "link.offline": { zh: "离线", en: "Offline" },
  "link.reload": { zh: "版本已更新，请刷新", en: "New version: reload" },
  "age.newest": { zh: "最新数据", en: "Newest data" },
  "age.none": { zh: "暂无数据", en: "No data yet" },
  "age.ago": { zh: "{n} 秒前", en: "{n} s ago" },
  "age.minutesAgo": { zh: "{n} 分钟前", en: "{n} min ago" },
  "stale.label": { zh: "数据中断", en: "STALE" },
  "stale.since": { zh: "自 {time} 起", en: "since {time}" },
  "domain.traffic": { zh: "智慧交通", en: "Traffic" },
  "domain.parking": { zh: "智慧停车", en: "Parking" },
  "domain.health": { zh: "健康信息网", en: "Health network" },
  "domain.broadband": { zh: "光纤宽带", en: "Broadband" },
  "chart.last15": { zh: "近 15 分钟 · 全市", en: "Last 15 min · city" },
  "chart.byDistrict": { zh: "各区", en: "By district" },
  "investment.title": { zh: "智慧城市投资规模", en: "Smart-city investment" },
  "investment.global": { zh: "全球（亿美元）", en: "Global (100M USD)" },
  "investment.china": { zh: "中国（万亿元）", en: "China (trillion CNY)" },
  "investment.reported": { zh: "实际", en: "Reported" },
  "investment.forecast": { zh: "预测", en: "Forecast" },
  "investment.derived": { zh: "推算", en: "Derived" },
  "investment.source": { zh: "来源", en: "Source" },
  "investment.unavailable": { zh: "参考数据暂不可用", en: "Reference data unavailable" },
  "districts.title": { zh: "各区运行概览", en: "Districts at a glance" },
  "districts.name": { zh: "辖区", en: "District" },
  "lang.switch": { zh: "English", en: "中文" },
  "drill.label": { zh: "演练", en: "DRILL" },
  "drill.remaining": { zh: "剩余 {n} 分钟", en: "{n} min left" },
  "clock.simulated": { zh: "模拟时间 ×{n}", en: "Simulated ×{n}" },
  "ofTotal": { zh: "共 {n}", en: "of {n}" },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof messages;

export function t(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  let text: string = messages[key][lang];
  if (vars) for (const [name, value] of Object.entries(vars)) text = text.replace(`{${name}}`, String(value));
  return text;
}

export function pick(lang: Lang, text: { zh: string; en: string }): string {
  return text[lang];
}

/** Formats a metric value with its catalog decimals and locale grouping. */
export function formatValue(lang: Lang, value: number, decimals: number): string {
  return value.toLocaleString(lang === "zh" ? "zh-CN" : "en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** hh:mm:ss in Shenzhen time, whatever the viewer's machine zone. */
export function formatClock(lang: Lang, epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(lang === "zh" ? "zh-CN" : "en-GB", { hour12: false, timeZone: "Asia/Shanghai" });
}

export function formatDate(lang: Lang, epochMs: number): string {
  return new Date(epochMs).toLocaleDateString(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    weekday: "short",
  });
}

export function formatAge(lang: Lang, ageMs: number): string {
  const seconds = Math.max(0, Math.floor(ageMs / 1000));
  return seconds < 120 ? t(lang, "age.ago", { n: seconds }) : t(lang, "age.minutesAgo", { n: Math.floor(seconds / 60) });
}
