import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localPath } from "./local-path";

const FALLBACK = "/alerts";
const SITE = "https://wall.example:3000";

describe("localPath: where a browser goes after sign-in", () => {
  it.each([
    ["a path", "/alerts", "/alerts"],
    ["a query and a fragment", "/alerts?lang=en#rules", "/alerts?lang=en#rules"],
    ["an encoded slash stays a path segment", "/%2F/evil.example", "/%2F/evil.example"],
    ["an encoded tab stays encoded", "/%09/evil.example", "/%09/evil.example"],
    ["an encoded backslash", "/%5C/evil.example", "/%5C/evil.example"],
    ["Chinese in the query, percent-encoded", "/district/futian?q=福田", "/district/futian?q=%E7%A6%8F%E7%94%B0"],
    ["CR LF cannot split the Location header", "/alerts\r\nSet-Cookie: a=1", "/alertsSet-Cookie:%20a=1"],
  ])("keeps %s", (_what, value, expected) => {
    expect(localPath(value, FALLBACK)).toBe(expected);
  });

  it.each([
    ["a tab between the slashes (the issue's /%09/ once decoded)", "/\t/evil.example/phish"],
    ["a newline between the slashes", "/\n/evil.example"],
    ["a carriage return between the slashes", "/\r/evil.example"],
    ["a protocol-relative URL", "//evil.example/phish"],
    ["a backslash after the slash", "/\\evil.example"],
    ["a backslash and a slash", "/\\/evil.example"],
    ["dot segments collapsing into //", "/.//evil.example"],
    ["dot-dot segments collapsing into //", "/a/../..//evil.example"],
    ["a dot, a backslash and a slash", "/./\\/evil.example"],
    ["an absolute http URL", "http://evil.example/"],
    ["an absolute URL with a credential", "https://wall.example@evil.example/"],
    ["javascript:", "javascript:alert(1)"],
    ["javascript: with a leading space", " javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a path not starting with a slash", "alerts"],
    ["a leading space before //", " //evil.example"],
    ["the empty string", ""],
    ["not a string", ["/alerts"]],
    ["null", null],
  ])("refuses %s", (_what, value) => {
    expect(localPath(value, FALLBACK)).toBe(FALLBACK);
  });

  it("whatever it is given, the answer read as a Location on any site stays on that site", () => {
    const pieces = fc.constantFrom("/", "\\", "\t", "\n", "\r", " ", ".", "..", "%2F", "%5C", "%09", "evil.example", "@", ":", "?", "#", "http:", "javascript:", "\u0000", "\u3000");
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(""))), (value) => {
        const path = localPath(value, FALLBACK);
        expect(new URL(path, SITE).origin).toBe(SITE);
        expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
        expect(path).not.toMatch(/[\t\n\r]/);
      }),
      { numRuns: 5_000 },
    );
  });
});
