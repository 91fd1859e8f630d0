import { describe, expect, it } from "vitest";
import { judgeAnswer, nextAttemptAt, type RetryPolicy } from "./delivery";

describe("what an answer means", () => {
  it.each([
    ["webhook", 200, "", null, { ok: true }],
    ["webhook", 204, "", null, { ok: true }],
    ["wecom", 200, '{"errcode":0,"errmsg":"ok"}', null, { ok: true }],
    ["dingtalk", 200, '{"errcode":0,"errmsg":"ok"}', null, { ok: true }],
    ["feishu", 200, '{"code":0,"msg":"success","data":{}}', null, { ok: true }],
    ["feishu", 200, '{"Extra":null,"StatusCode":0,"StatusMessage":"success"}', null, { ok: true }],
    ["dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}', null, { ok: false, permanent: false, why: "errcode 310000: sign not match" }],
    ["wecom", 200, '{"errcode":45009,"errmsg":"api freq out of limit"}', null, { ok: false, permanent: false, why: "errcode 45009: api freq out of limit" }],
    ["feishu", 200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}', null, { ok: false, permanent: false, why: "code 19021: sign match fail or timestamp is not within one hour from current time" }],
    ["wecom", 200, "<html>proxy</html>", null, { ok: false, permanent: false, why: "the answer is not the robot's JSON: <html>proxy</html>" }],
    ["webhook", 503, "busy", null, { ok: false, permanent: false, why: "HTTP 503: busy" }],
    ["webhook", 429, "", null, { ok: false, permanent: false, why: "HTTP 429" }],
    ["webhook", 404, "no such hook", null, { ok: false, permanent: true, why: "HTTP 404: no such hook" }],
    ["webhook", 302, "", "https://elsewhere.example/steal", { ok: false, permanent: true, why: "HTTP 302: redirect to elsewhere.example not followed (notifications never follow redirects)" }],
  ] as const)("%s %i %s", (type, status, text, location, expected) => {
    expect(judgeAnswer(type, status, text, location)).toEqual(expected);
  });

  it("quotes at most 200 characters of an answer", () => {
    const outcome = judgeAnswer("webhook", 500, "x".repeat(10_000));
    expect(outcome.ok ? "" : outcome.why).toBe(`HTTP 500: ${"x".repeat(200)}…`);
  });
});

describe("when to try again", () => {
  const policy: RetryPolicy = { firstDelayMs: 5_000, maxDelayMs: 300_000, maxAttempts: 10, maxAgeMs: 3_600_000 };
  it("doubles from the first delay up to the cap", () => {
    expect([1, 2, 3, 4, 7, 8, 9].map((n) => nextAttemptAt(policy, n, 0, 0, false))).toEqual([5_000, 10_000, 20_000, 40_000, 300_000, 300_000, 300_000]);
  });
  it("gives up after the last attempt, past the age limit, or on a permanent refusal", () => {
    expect(nextAttemptAt(policy, 10, 0, 0, false)).toBeNull();
    expect(nextAttemptAt(policy, 3, 0, 3_590_000, false)).toBeNull();
    expect(nextAttemptAt(policy, 1, 0, 0, true)).toBeNull();
  });
});
