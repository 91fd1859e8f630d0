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
  "link.silent": { zh: "已连接 · 无数据", en: "Connected · no data" },
  "link.connecting": { zh: "连接中", en: "Connecting" },
  "link.reconnecting": { zh: "重连中", en: "Reconnecting" },
  "link.offline": { zh: "离线", en: "Offline" },
  "link.reload": { zh: "版本已更新，请刷新", en: "New version: reload" },
  "age.newest": { zh: "最新数据", en: "Newest data" },
  "age.none": { zh: "暂无数据", en: "No data yet" },
  "age.ago": { zh: "{n} 秒前", en: "{n} s ago" },
  "age.minutesAgo": { zh: "{n} 分钟前", en: "{n} min ago" },
  "age.ahead": { zh: "超前时钟 {n} 秒", en: "{n} s ahead of the clock" },
  "age.minutesAhead": { zh: "超前时钟 {n} 分钟", en: "{n} min ahead of the clock" },
  "stale.label": { zh: "数据中断", en: "STALE" },
  "stale.since": { zh: "自 {time} 起", en: "since {time}" },
  "stale.count": { zh: "{n} 个面板数据中断", en: "{n} panels stale" },
  "domain.traffic": { zh: "智慧交通", en: "Traffic" },
  "domain.parking": { zh: "智慧停车", en: "Parking" },
  "domain.health": { zh: "健康信息网", en: "Health network" },
  "domain.broadband": { zh: "光纤宽带", en: "Broadband" },
  "chart.city": { zh: "全市", en: "city" },
  "domain.allMetrics": { zh: "{domain} · 全部指标", en: "{domain} · every metric" },
  "chart.noData": { zh: "无数据", en: "No data" },
  "chart.noSource": { zh: "尚无数据源上报", en: "No source has reported yet" },
  "chart.loading": { zh: "加载历史数据…", en: "Loading history…" },
  "chart.historyError": { zh: "历史数据不可用", en: "History unavailable" },
  "chart.csvTitle": { zh: "导出 CSV", en: "Download as CSV" },
  "csv.shown": { zh: "图中数据（{n} 点）", en: "What the chart shows ({n} points)" },
  "csv.full": { zh: "全部存储数据（最细分辨率）", en: "Every stored row (finest resolution)" },
  "csv.exporting": { zh: "导出中", en: "Exporting" },
  "csv.failed": { zh: "导出失败", en: "Export failed" },
  "range.last": { zh: "近 {n}", en: "Last {n}" },
  "range.15m": { zh: "15分钟", en: "15 min" },
  "range.1h": { zh: "1小时", en: "1 h" },
  "range.6h": { zh: "6小时", en: "6 h" },
  "range.24h": { zh: "24小时", en: "24 h" },
  "range.7d": { zh: "7天", en: "7 d" },
  "range.custom": { zh: "自定义", en: "Custom" },
  "range.from": { zh: "从", en: "From" },
  "range.to": { zh: "至", en: "To" },
  "range.apply": { zh: "应用", en: "Apply" },
  "range.cancel": { zh: "取消", en: "Cancel" },
  "range.invalid": { zh: "结束时间须晚于开始时间", en: "The end must be after the start" },
  "range.zoomHint": { zh: "滚轮缩放 · 拖动平移", en: "Wheel to zoom · drag to pan" },
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
  "geometry.tiles": { zh: "tiles={value}：应为 横向x纵向 屏数，如 2x2", en: "tiles={value}: expected screens across x down, e.g. 2x2" },
  "geometry.tooMany": { zh: "tiles={value}：每个窗口最多 {max} 块屏", en: "tiles={value}: at most {max} screens per window" },
  "geometry.number": { zh: "{name}={value}：应为 {min} 到 {max} 之间的数", en: "{name}={value}: expected a number from {min} to {max}" },
  "geometry.short": { zh: "观看距离要求字号 ≥ {need} px，本墙最大 {have} px", en: "viewing distance needs text ≥ {need} px, this wall gives {have} px" },
  "replay.open": { zh: "回放", en: "Replay" },
  "replay.title": { zh: "历史回放", en: "Replay the wall" },
  "replay.marker": { zh: "回放 REPLAY", en: "REPLAY" },
  "replay.from": { zh: "开始时间", en: "Start" },
  "replay.duration": { zh: "时长", en: "Duration" },
  "replay.speed": { zh: "倍速", en: "Speed" },
  "replay.start": { zh: "开始回放", en: "Start replay" },
  "replay.exit": { zh: "返回实时", en: "Back to live" },
  "replay.loading": { zh: "加载中…", en: "Loading…" },
  "replay.ended": { zh: "回放结束", en: "Replay ended" },
  "replay.error": { zh: "回放数据不可用", en: "Replay data unavailable" },
  "replay.notPast": { zh: "开始时间须早于当前时间", en: "The start must be in the past" },
  "replay.liveCritical": { zh: "实时：{n} 条严重告警未解除", en: "live: {n} critical open" },
  "replay.liveOpen": { zh: "实时：{n} 条告警未解除", en: "live: {n} open" },
  "clock.simulated": { zh: "模拟时间 ×{n}", en: "Simulated ×{n}" },
  "ofTotal": { zh: "共 {n}", en: "of {n}" },
  "nav.wall": { zh: "一屏统览", en: "OneScreen" },
  "nav.reference": { zh: "参考数据", en: "Reference" },
  "nav.trail": { zh: "当前位置", en: "You are here" },
  "nav.escHint": { zh: "Esc 返回上一级", en: "Esc: up one level" },
  "nav.details": { zh: "详情 ›", en: "Details ›" },
  "drill.cityKpis": { zh: "全市实时指标", en: "City, live" },
  "drill.districtKpis": { zh: "本区实时指标", en: "This district, live" },
  "drill.compare": { zh: "各区对比（最差在前）", en: "Districts compared (worst first)" },
  "drill.rank": { zh: "排名", en: "#" },
  "drill.name": { zh: "名称", en: "Name" },
  "drill.updated": { zh: "更新", en: "Updated" },
  "drill.history": { zh: "历史趋势", en: "History" },
  "drill.details": { zh: "基本信息", en: "Details" },
  "drill.id": { zh: "编号", en: "ID" },
  "drill.kind": { zh: "类型", en: "Type" },
  "drill.position": { zh: "位置（WGS-84）", en: "Position (WGS-84)" },
  "drill.capacity": { zh: "规模", en: "Size" },
  "drill.noneYet": { zh: "暂无数据", en: "No data yet" },
  "drill.top": { zh: "前 {n}", en: "Top {n}" },
  "kind.road": { zh: "道路", en: "Road" },
  "kind.lot": { zh: "公共停车场", en: "Public car park" },
  "kind.hospital": { zh: "公立医院", en: "Public hospital" },
  "kind.healthCentre": { zh: "社区健康服务中心", en: "Community health centre" },
  "kind.accessNode": { zh: "光纤接入节点", en: "Fibre access node" },
  "counted.road": { zh: "{n} 条道路", en: "{n} roads" },
  "counted.lot": { zh: "{n} 个停车场", en: "{n} car parks" },
  "counted.hospital": { zh: "{n} 家医院", en: "{n} hospitals" },
  "counted.healthCentre": { zh: "{n} 家社康中心", en: "{n} health centres" },
  "counted.accessNode": { zh: "{n} 个接入节点", en: "{n} access nodes" },
  "capacity.lot": { zh: "{n} 个泊位", en: "{n} spaces" },
  "capacity.hospital": { zh: "门诊能力 {n} 人次/时", en: "{n} outpatients/h" },
  "capacity.healthCentre": { zh: "门诊能力 {n} 人次/时", en: "{n} outpatients/h" },
  "capacity.accessNode": { zh: "覆盖 {n} 户", en: "{n} households" },
  "notFound.title": { zh: "找不到该页面", en: "Page not found" },
  "notFound.body": { zh: "没有这个区、设施或页面。可能链接有误，或编号已变更。", en: "There is no such district, facility or page. The link may be wrong or the id may have changed." },
  "notFound.back": { zh: "返回一屏统览", en: "Back to OneScreen" },
  "error.title": { zh: "页面加载出错", en: "This view failed to load" },
  "error.retry": { zh: "重试", en: "Try again" },
  "loading": { zh: "加载中…", en: "Loading…" },
  "map.title": { zh: "全市态势", en: "City map" },
  "alerts.title": { zh: "告警", en: "Alerts" },
  "alerts.none": { zh: "✓ 无未解除告警", en: "✓ No open alerts" },
  "alerts.acked": { zh: "已确认", en: "acknowledged" },
  "alerts.all": { zh: "全部告警 ›", en: "All alerts ›" },
  "alerts.critical": { zh: "严重", en: "Critical" },
  "alerts.warning": { zh: "警告", en: "Warning" },
  "alerts.info": { zh: "提示", en: "Info" },
  "alerts.group.above": { zh: "{n} 个 · 最高 {value}", en: "{n} · highest {value}" },
  "alerts.group.below": { zh: "{n} 个 · 最低 {value}", en: "{n} · lowest {value}" },
  "alerts.more": { zh: "另有 {list}", en: "{list}" },
  "alerts.incident": { zh: "事件", en: "Incident" },
  "alerts.incident.count": { zh: "{n} 条告警", en: "{n} alerts" },
  "alerts.more.critical": { zh: "{n} 条严重告警", en: "{n} more critical" },
  "alerts.more.warning": { zh: "{n} 条警告", en: "{n} more warnings" },
  "alerts.more.info": { zh: "{n} 条提示", en: "{n} more info" },
  "map.layer": { zh: "图层", en: "Layer" },
  "map.ok": { zh: "正常", en: "normal" },
  "map.warning": { zh: "警告", en: "warning" },
  "map.critical": { zh: "严重", en: "critical" },
  "map.unavailable": { zh: "地图数据不可用", en: "Map unavailable" },
  "map.note": { zh: "光明区、大鹏新区分别绘于宝安区、龙岗区轮廓内（圆点）", en: "Guangming and Dapeng are drawn inside Bao'an and Longgang (dots)" },
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

/** Data stamped later than now by more than this (real ms) is said to be ahead, not "0 s ago". */
export const AHEAD_TOLERANCE_MS = 2_000;

export function formatAge(lang: Lang, ageMs: number): string {
  if (ageMs < -AHEAD_TOLERANCE_MS) {
    const ahead = Math.floor(-ageMs / 1000);
    return ahead < 120 ? t(lang, "age.ahead", { n: ahead }) : t(lang, "age.minutesAhead", { n: Math.floor(ahead / 60) });
  }
  const seconds = Math.max(0, Math.floor(ageMs / 1000));
  return seconds < 120 ? t(lang, "age.ago", { n: seconds }) : t(lang, "age.minutesAgo", { n: Math.floor(seconds / 60) });
}
