import { describe, expect, it } from "vitest";
import { DISTRICTS } from "../catalog";
import type { AlertRecord } from "../db/alerts";
import { csvCell, handoverCsv, handoverCsvFilename } from "./csv";
import type { HandoverReport } from "./report";
import { handoverRows } from "./rows";

const T0 = Date.UTC(2026, 11, 3, 0, 0, 0); // 08:00 in Shenzhen
const H = 3_600_000;
const span = { from: T0, to: T0 + 8 * H };

const acked: AlertRecord = {
  id: "a1",
  ruleId: "lot-full",
  metricId: "parking.occupancy",
  entityId: "lot-futian-001",
  severity: "critical",
  sinceTs: T0 + H,
  openedTs: T0 + H,
  triggerValue: 98.5,
  peakValue: 99,
  acknowledgedTs: T0 + 2 * H,
  acknowledgedBy: "zhang",
  ackComment: "=HYPERLINK(\"x\"), 已派人",
  resolvedTs: null,
  resolvedBy: null,
  counted: null,
  incidentId: null,
  resolveComment: null,
};

const report: HandoverReport = {
  span,
  madeAt: span.to,
  events: [
    { at: T0 + H, kind: "opened", alert: acked, by: null, comment: null },
    { at: T0 + 2 * H, kind: "acknowledged", alert: acked, by: "zhang", comment: acked.ackComment },
  ],
  open: [acked],
  alertsTruncated: false,
  ruleNames: new Map([["lot-full", { zh: "停车场满", en: "Car park full" }]]),
  drills: [{ id: "d1", name: { zh: "南山光缆中断", en: "Fibre cut in Nanshan" }, startTs: T0 + 3 * H, endTs: T0 + 3.5 * H, stopped: true, startedBy: "trainer" }],
  outages: [{ domain: "broadband", metricId: "broadband.downloadMbps", entityIds: ["nanshan"], outage: { from: T0 + 4 * H, to: T0 + 4.25 * H, ongoing: false } }],
  drillsTruncated: false,
  outagesFound: 1,
  outageThresholdMs: 30_000,
  figures: [{ domain: "parking", comparisons: [{ metricId: "parking.occupancy", shift: { mean: 66, min: 60, max: 70 }, dayBefore: { mean: 60, min: 55, max: 65 }, weekBefore: { mean: null, min: null, max: null } }] }],
};

describe("handoverCsv", () => {
  it("starts with a BOM and a header row, then one row per page row, in Chinese", () => {
    const csv = handoverCsv(handoverRows(report, "zh"), "zh");
    const lines = csv.split("\r\n");
    expect(csv.startsWith("\uFEFF类别,时间（北京时间）,结束,事项,对象,处置人,备注,数值,前一日同时段,上周同时段\r\n")).toBe(true);
    expect(lines).toHaveLength(1 + 6 + 1); // header, six rows, the empty string after the last CRLF
    expect(lines[1]).toBe("告警处置,2026-12-03 09:00:00,,发生 · 严重 · 停车场满,福田公共停车场 001,,,98.5 %,,");
    expect(lines[2]).toContain(",zhang,\"'=HYPERLINK(\"\"x\"\"), 已派人\",");
    expect(lines[4]).toBe("演练,2026-12-03 11:00:00,2026-12-03 11:30:00,南山光缆中断,,trainer,提前结束,,,");
    expect(lines[5]).toBe("数据中断,2026-12-03 12:00:00,2026-12-03 12:15:00,平均下载速率,南山区,,,15 分钟,,");
    expect(lines[6]).toBe("关键指标对比,2026-12-03 08:00:00,2026-12-03 16:00:00,泊位占用率,全市,,,66.0 %,60.0 % (本班 +10.0%),—");
  });

  it("in English under ?lang=en", () => {
    const csv = handoverCsv(handoverRows(report, "en"), "en");
    expect(csv.split("\r\n")[0]).toBe("\uFEFFSection,Time (UTC+8),Until,What,Where,By,Comment,Value,A day earlier,A week earlier");
    expect(csv).toContain("Alerts still open (handed over),2026-12-03 09:00:00,,Critical · Car park full,");
  });

  it("keeps formulas inert and quotes what needs it", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("names the file after its span in Shenzhen time", () => {
    expect(handoverCsvFilename(span)).toBe("onescreen_handover_20261203-0800_20261203-1600.csv");
  });
});

describe("handoverRows", () => {
  it("names an outage of the city and every district once, and a few districts by name", () => {
    const everywhere = ["shenzhen", ...DISTRICTS.map((d) => d.id)];
    const rows = handoverRows({ ...report, outages: [{ ...report.outages[0]!, entityIds: everywhere }, { ...report.outages[0]!, entityIds: ["futian", "nanshan"] }] }, "zh").filter((r) => r.section === "outages");
    expect(rows.map((r) => r.place)).toEqual(["全市及全部 10 个区", "福田区、南山区"]);
  });
});
