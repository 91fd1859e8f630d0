import { describe, expect, it } from "vitest";
import { requestIdOf } from "./request-id";

describe("requestIdOf", () => {
  it("keeps a sane incoming id", () => {
    expect(requestIdOf("abc-123_x.y:z")).toBe("abc-123_x.y:z");
    expect(requestIdOf(["first", "second"])).toBe("first");
  });
  it("makes a new one for none, an empty, an over-long or a free-text id", () => {
    for (const bad of [undefined, "", "x".repeat(129), "a b", "line\nbreak", "<script>"]) {
      const id = requestIdOf(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
