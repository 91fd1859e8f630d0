import { afterEach, describe, expect, it, vi } from "vitest";
import { LANGS, formatAge, formatClock, parseLang, t, type MessageKey } from "./i18n";

/**
 * Every message key, listed once. Typed as a full Record so adding a message
 * without listing it here (or listing one that does not exist) fails to compile.
 */
const KEYS: Record<MessageKey, true> = {
  title: true,
  "link.connected": true,
  "link.silent": true,
  "link.connecting": true,
  "link.reconnecting": true,
  "link.offline": true,
  "link.reload": true,
  "age.newest": true,
  "age.none": true,
  "age.ago": true,
  "age.minutesAgo": true,
  "age.ahead": true,
  "age.minutesAhead": true,
  "stale.label": true,
  "stale.since": true,
  "stale.count": true,
  "domain.traffic": true,
  "domain.parking": true,
  "domain.health": true,
  "domain.broadband": true,
  "chart.city": true,
  "alerts.title": true,
  "alerts.none": true,
  "alerts.acked": true,
  "alerts.all": true,
  "alerts.critical": true,
  "alerts.warning": true,
  "alerts.info": true,
  "alerts.group.above": true,
  "alerts.group.below": true,
  "alerts.more": true,
  "alerts.incident": true,
  "alerts.incident.count": true,
  "alerts.more.critical": true,
  "alerts.more.warning": true,
  "alerts.more.info": true,
  "domain.allMetrics": true,
  "chart.noData": true,
  "chart.noSource": true,
  "chart.loading": true,
  "chart.historyError": true,
  "chart.csvTitle": true,
  "csv.shown": true,
  "csv.full": true,
  "csv.exporting": true,
  "csv.failed": true,
  "range.last": true,
  "range.15m": true,
  "range.1h": true,
  "range.6h": true,
  "range.24h": true,
  "range.7d": true,
  "range.custom": true,
  "range.from": true,
  "range.to": true,
  "range.apply": true,
  "range.cancel": true,
  "range.invalid": true,
  "range.zoomHint": true,
  "chart.byDistrict": true,
  "investment.title": true,
  "investment.global": true,
  "investment.china": true,
  "investment.reported": true,
  "investment.forecast": true,
  "investment.derived": true,
  "investment.source": true,
  "investment.unavailable": true,
  "districts.title": true,
  "districts.name": true,
  "lang.switch": true,
  "drill.label": true,
  "drill.remaining": true,
  "geometry.tiles": true,
  "geometry.tooMany": true,
  "geometry.number": true,
  "geometry.short": true,
  "replay.open": true,
  "replay.title": true,
  "replay.marker": true,
  "replay.from": true,
  "replay.duration": true,
  "replay.speed": true,
  "replay.start": true,
  "replay.exit": true,
  "replay.loading": true,
  "replay.ended": true,
  "replay.error": true,
  "replay.notPast": true,
  "replay.liveCritical": true,
  "replay.liveOpen": true,
  "clock.simulated": true,
  ofTotal: true,
  "nav.wall": true,
  "nav.reference": true,
  "nav.trail": true,
  "nav.escHint": true,
  "nav.details": true,
  "drill.cityKpis": true,
  "drill.districtKpis": true,
  "drill.compare": true,
  "drill.rank": true,
  "drill.name": true,
  "drill.updated": true,
  "drill.history": true,
  "drill.details": true,
  "drill.id": true,
  "drill.kind": true,
  "drill.position": true,
  "drill.capacity": true,
  "drill.noneYet": true,
  "drill.top": true,
  "kind.road": true,
  "kind.lot": true,
  "kind.hospital": true,
  "kind.healthCentre": true,
  "kind.accessNode": true,
  "counted.road": true,
  "counted.lot": true,
  "counted.hospital": true,
  "counted.healthCentre": true,
  "counted.accessNode": true,
  "capacity.lot": true,
  "capacity.hospital": true,
  "capacity.healthCentre": true,
  "capacity.accessNode": true,
  "notFound.title": true,
  "notFound.body": true,
  "notFound.back": true,
  "error.title": true,
  "error.retry": true,
  loading: true,
  "map.title": true,
  "map.layer": true,
  "map.ok": true,
  "map.warning": true,
  "map.critical": true,
  "map.unavailable": true,
  "map.note": true,
};
const ALL_KEYS = Object.keys(KEYS) as MessageKey[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("messages", () => {
  it.each(ALL_KEYS)("%s has a Chinese and an English text with the same placeholders", (key) => {
    const zh = t("zh", key);
    const en = t("en", key);
    expect(zh.trim()).not.toBe("");
    expect(en.trim()).not.toBe("");
    expect(zh).not.toBe(en);
    expect(placeholders(zh)).toEqual(placeholders(en));
  });

  it("Chinese texts are Chinese and English texts are not, except the language switch which names the other language", () => {
    const cjk = /[\u4e00-\u9fff]/;
    for (const key of ALL_KEYS.filter((k) => k !== "lang.switch")) {
      expect(t("zh", key), key).toMatch(cjk);
      expect(t("en", key), key).not.toMatch(cjk);
    }
    expect(t("zh", "lang.switch")).toBe("English");
    expect(t("en", "lang.switch")).toBe("中文");
  });
});

describe("t", () => {
  it.each([
    ["zh", "age.ago", { n: 12 }, "12 秒前"],
    ["en", "age.ago", { n: 12 }, "12 s ago"],
    ["en", "ofTotal", { n: 767 }, "of 767"],
    ["en", "stale.since", { time: "08:00:00" }, "since 08:00:00"],
    ["zh", "title", { n: 1 }, "深圳城市运行管理中心 · 一屏统览"],
  ] as const)("%s %s with %o → %s", (lang, key, vars, expected) => {
    expect(t(lang, key, vars)).toBe(expected);
  });

  it("leaves a placeholder visible when its variable is missing rather than inventing a value", () => {
    expect(t("en", "age.ago")).toBe("{n} s ago");
  });
});

describe("parseLang", () => {
  it.each<[string | string[] | undefined, string]>([
    [undefined, "zh"],
    ["", "zh"],
    ["zh", "zh"],
    ["en", "en"],
    ["fr", "zh"],
    ["EN", "zh"],
    [["en", "zh"], "zh"],
  ])("%o → %s (Chinese unless English is asked for)", (value, expected) => {
    expect(parseLang(value)).toBe(expected);
    expect(LANGS).toContain(parseLang(value));
  });
});

describe("formatClock shows Shenzhen time whatever the machine's zone", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"])("on a machine in %s", (zone) => {
    vi.stubEnv("TZ", zone);
    // Prove the machine zone really changed, or the test would prove nothing.
    if (zone !== "UTC") expect(new Date(Date.UTC(2026, 10, 23)).getTimezoneOffset()).not.toBe(0);
    for (const lang of LANGS) {
      expect(formatClock(lang, Date.parse("2026-11-23T00:00:00Z"))).toBe("08:00:00");
      expect(formatClock(lang, Date.parse("2026-11-23T15:59:59Z"))).toBe("23:59:59");
      expect(formatClock(lang, Date.parse("2026-11-23T16:00:05Z"))).toBe("00:00:05");
    }
  });
});

describe("formatAge", () => {
  it.each([
    ["en", 0, "0 s ago"],
    ["en", 59_999, "59 s ago"],
    ["en", 119_999, "119 s ago"],
    ["en", 120_000, "2 min ago"],
    ["zh", 600_000, "10 分钟前"],
    // Clock jitter within two seconds is "now"; beyond, data stamped in the future says so instead of posing as fresh.
    ["en", -1_500, "0 s ago"],
    ["en", -5_000, "5 s ahead of the clock"],
    ["zh", -600_000, "超前时钟 10 分钟"],
  ] as const)("%s %i ms → %s", (lang, ageMs, expected) => {
    expect(formatAge(lang, ageMs)).toBe(expected);
  });
});
