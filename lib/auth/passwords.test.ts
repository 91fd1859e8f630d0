import { describe, expect, it } from "vitest";
import { COMMON_PASSWORDS } from "./common-passwords";
import { passwordProblem } from "./passwords";

const COMMON = "password: is one of the 10,000 most common passwords, or one with digits or symbols added, or a repeated pattern; choose another (a few unrelated words make a good one)";

describe("passwordProblem", () => {
  it("refuses passwords shorter than 12 or longer than 256 characters", () => {
    expect(passwordProblem("short-pass1", "ops")).toBe("password: must be at least 12 characters");
    expect(passwordProblem("x".repeat(257), "ops")).toBe("password: must be at most 256 characters");
  });

  it("ships SecLists' 10,000 most common passwords", () => {
    const entries = COMMON_PASSWORDS.split("\n");
    expect(entries.length).toBe(10_000);
    expect(entries.slice(0, 3)).toEqual(["123456", "password", "12345678"]);
    expect(new Set(entries).size).toBe(10_000);
  });

  it.each([
    // On the list as they are (12 characters or more).
    "qwerasdfzxcv",
    "LeaveMeAlone",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5y6",
    // A common one with digits or symbols at its ends, in any case.
    "password1234",
    "Password123!",
    "!!Dragon2024!!",
    "qwertyuiop12",
    "iloveyou2026",
    "Shadow_123456",
    // A pattern repeated, or a run of digits.
    "abcabcabcabc",
    "111111111111",
    "ab12ab12ab12",
    "123456789012",
    "210987654321",
  ])("refuses %s as common", (password) => {
    expect(passwordProblem(password, "ops-lead")).toBe(COMMON);
  });

  it("refuses a password containing the user name, in any case, and says so", () => {
    expect(passwordProblem("wang.wei-is-on-duty", "wang.wei")).toBe("password: must not contain the user name (wang.wei)");
    expect(passwordProblem("My name is WANG.WEI!", "wang.wei")).toBe("password: must not contain the user name (wang.wei)");
    // A name of one or two characters is in too many words to forbid them all.
    expect(passwordProblem("a calm night shift", "a")).toBeNull();
  });

  it("accepts long passwords that are none of those", () => {
    for (const password of ["correct horse battery staple", "深圳湾夜班交接表2026", "tangerine-lamp-4-bridges", "long-enough-1"]) expect(passwordProblem(password, "ops-lead"), password).toBeNull();
  });
});
