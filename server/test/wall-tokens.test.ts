import { describe, expect, it } from "vitest";
import { wallTokens } from "../wall-tokens";

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe("wall resume tokens", () => {
  it("prove their wall, and no other spelling of the MAC does (its last character carries 4 bits of padding)", () => {
    const tokens = wallTokens("an admin token");
    for (const wallId of ["da72ddda61d2", "0a1b2c3d4e5f", "ffffffffffff", "000000000000"]) {
      const token = tokens.issue(wallId);
      expect(tokens.verify(token)).toBe(wallId);
      const accepted = [...BASE64URL].map((c) => `${token.slice(0, -1)}${c}`).filter((t) => tokens.verify(t) !== null);
      expect(accepted).toEqual([token]);
      expect(wallTokens("another deployment").verify(token)).toBeNull();
    }
    expect(tokens.verify(null)).toBeNull();
    expect(tokens.verify("no-dot")).toBeNull();
  });
});
