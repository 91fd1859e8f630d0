/**
 * Whether an attempt delivered, and when to try again. The robots answer HTTP 200 with an
 * error code in the body when they refuse (a bad signature, a rate limit), so success is
 * 2xx *and* their code 0; our webhook needs 2xx only. Pure.
 */
import type { ChannelType } from "./channels";

export type Outcome = { ok: true } | { ok: false; permanent: boolean; why: string };

/** At most this much of an answer is read, and at most this much of it quoted in `why`. */
export const MAX_ANSWER_BYTES = 64 * 1024;
const QUOTE_CHARS = 200;

const quote = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS)}…` : flat;
};

function vendorError(type: Exclude<ChannelType, "webhook">, text: string): string | null {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return `the answer is not the robot's JSON: ${quote(text) || "(empty)"}`;
  }
  if (typeof answer !== "object" || answer === null) return `the answer is not the robot's JSON: ${quote(text)}`;
  const fields = answer as Record<string, unknown>;
  if (type === "feishu") {
    // {"code":0,"msg":"success",…}; older answers carry StatusCode/StatusMessage instead.
    const code = fields.code ?? fields.StatusCode;
    return code === 0 ? null : `code ${String(code)}: ${quote(String(fields.msg ?? fields.StatusMessage ?? ""))}`;
  }
  // DingTalk and WeCom: {"errcode":0,"errmsg":"ok"}.
  return fields.errcode === 0 ? null : `errcode ${String(fields.errcode)}: ${quote(String(fields.errmsg ?? ""))}`;
}

/**
 * An answer judged. A redirect is never followed (it could lead the robot's key or our data to
 * another host) and is permanent, as is any other 4xx but 408, 425 and 429: sending the same
 * again cannot help. 5xx, those three and a robot's error code are retried.
 */
export function judgeAnswer(type: ChannelType, status: number, text: string, location: string | null = null): Outcome {
  if (status >= 300 && status < 400) {
    let host = "";
    try {
      host = location ? ` to ${new URL(location, "http://x").host}` : "";
    } catch {
      host = "";
    }
    return { ok: false, permanent: true, why: `HTTP ${status}: redirect${host} not followed (notifications never follow redirects)` };
  }
  if (status < 200 || status >= 300) {
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
    return { ok: false, permanent: !retryable, why: `HTTP ${status}${text ? `: ${quote(text)}` : ""}` };
  }
  if (type === "webhook") return { ok: true };
  const error = vendorError(type, text);
  return error ? { ok: false, permanent: false, why: error } : { ok: true };
}

export interface RetryPolicy {
  /** Wait before the second attempt; doubled after each failure, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** No attempt starts later than this after the event. */
  maxAgeMs: number;
}

/** After a failed attempt (`attempts` made so far): when to try again, or null to give up. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, createdAt: number, now: number, permanent: boolean): number | null {
  if (permanent || attempts >= policy.maxAttempts) return null;
  const at = now + Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempts - 1));
  return at - createdAt > policy.maxAgeMs ? null : at;
}
