import { describe, expect, it } from "vitest";
import { issuesMessage } from "../issues";
import { DEFAULT_SPAN_MS, handoverSpanSchema, spanDaysBefore } from "./span";

const NOW = Date.UTC(2026, 11, 3, 6, 0, 0); // 14:00 in Shenzhen

const parse = (q: Record<string, string | undefined>) => handoverSpanSchema(NOW).safeParse(q);
const problem = (q: Record<string, string | undefined>) => {
  const r = parse(q);
  return r.success ? null : issuesMessage(r.error);
};

describe("handoverSpanSchema", () => {
  it("is the last 8 hours of the source clock unless named", () => {
    expect(parse({}).data).toEqual({ from: NOW - DEFAULT_SPAN_MS, to: NOW, format: "html" });
    expect(parse({ from: "", to: "" }).data).toEqual({ from: NOW - DEFAULT_SPAN_MS, to: NOW, format: "html" });
  });

  it("takes ISO with a zone, epoch ms, and a zone-less minute as Shenzhen time (what the page's inputs send)", () => {
    expect(parse({ from: "2026-12-03T06:00", to: "2026-12-03T14:00:00+08:00", format: "csv" }).data).toEqual({ from: NOW - 8 * 3_600_000, to: NOW, format: "csv" });
    expect(parse({ from: String(NOW - 3_600_000) }).data).toMatchObject({ from: NOW - 3_600_000, to: NOW });
  });

  it("names the bad field", () => {
    expect(problem({ from: "yesterday" })).toMatch(/^from: must be an ISO 8601/);
    expect(problem({ to: "2026-13-99" })).toMatch(/^to: /);
    expect(problem({ from: "2026-12-03T14:00", to: "2026-12-03T13:00" })).toBe("to: must be after from");
    expect(problem({ from: "2026-11-20T00:00", to: "2026-12-03T00:00" })).toBe("to: at most 7 days after from");
    expect(problem({ format: "pdf" })).toBe("format: must be html or csv");
  });
});

describe("spanDaysBefore", () => {
  it("moves the whole span back", () => {
    expect(spanDaysBefore({ from: 10, to: 20 }, 7)).toEqual({ from: 10 - 7 * 86_400_000, to: 20 - 7 * 86_400_000 });
  });
});
