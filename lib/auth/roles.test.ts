import { describe, expect, it } from "vitest";
import { ACTIONS, ROLES, SESSION_COOKIE, SESSION_IDLE_MS, can, originProblem, refusal, sessionExpired, sessionTokenOf } from "./roles";

describe("roles", () => {
  it("devices and viewers only read, operators acknowledge, resolve, manage incidents and edit rules, admins also manage notification channels", () => {
    const table = Object.fromEntries(ROLES.map((role) => [role, ACTIONS.filter((a) => can(role, a))]));
    expect(table).toEqual({ device: [], viewer: [], operator: ["acknowledge", "resolve", "manageIncidents", "editRules"], admin: ["acknowledge", "resolve", "manageIncidents", "editRules", "manageChannels"] });
  });

  it("finds the session token in a Cookie header", () => {
    expect(sessionTokenOf(`theme=dark; ${SESSION_COOKIE}=abc-123 ; other=1`)).toBe("abc-123");
    expect(sessionTokenOf(`x${SESSION_COOKIE}=nope`)).toBeUndefined();
    expect(sessionTokenOf(undefined)).toBeUndefined();
  });

  it("an unknown role (a row edited by hand) may do nothing", () => {
    for (const role of ["", "root", "Admin", "operator "]) for (const a of ACTIONS) expect(can(role, a)).toBe(false);
  });

  it("the refusal names the field and the role needed", () => {
    expect(refusal("acknowledge")).toBe("role: acknowledging needs an operator");
    expect(refusal("resolve")).toBe("role: resolving needs an operator");
    expect(refusal("editRules")).toBe("role: editing rules needs an operator");
    expect(refusal("manageIncidents")).toBe("role: merging, splitting or closing incidents needs an operator");
    expect(refusal("manageChannels")).toBe("role: managing notification channels needs an admin");
  });

  it("sessions slide: idle up to 12 h is fine, longer is expired", () => {
    expect(sessionExpired(0, SESSION_IDLE_MS)).toBe(false);
    expect(sessionExpired(0, SESSION_IDLE_MS + 1)).toBe(true);
  });

  it("a state-changing request must carry this site's Origin", () => {
    expect(originProblem("http://127.0.0.1:3210", "127.0.0.1:3210")).toBeNull();
    expect(originProblem("https://ops.example.cn", "ops.example.cn")).toBeNull();
    expect(originProblem("https://evil.example", "ops.example.cn")).toBe("origin: https://evil.example is not this site");
    expect(originProblem("http://127.0.0.1:3211", "127.0.0.1:3210")).toMatch(/^origin: /);
    expect(originProblem(null, "ops.example.cn")).toMatch(/^origin: /);
    expect(originProblem("null", "ops.example.cn")).toMatch(/^origin: /);
    expect(originProblem("not a url", "ops.example.cn")).toMatch(/^origin: /);
  });
});
