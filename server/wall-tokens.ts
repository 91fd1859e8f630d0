/**
 * Resume tokens for walls: the side server names each wall and gives its page a token,
 * `<wallId>.<MAC>`, that proves the page is that wall when it reloads or reconnects. The MAC
 * is keyed by the admin token, which every side server of a deployment shares, so a wall
 * keeps its id across a restart and when it reconnects to another instance; nobody without
 * the key can make a token for a wall id read off /walls.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** 48 random bits: unique among a thousand walls, short enough to read out over the phone. */
export const newWallId = (): string => randomBytes(6).toString("hex");

export interface WallTokens {
  issue(wallId: string): string;
  /** The wall id a token proves, or null for anything else (absent, malformed, forged). */
  verify(token: string | null): string | null;
}

export function wallTokens(secret: string): WallTokens {
  // A key of its own, derived: a resume token reveals nothing about the admin token.
  const key = createHmac("sha256", secret).update("onescreen wall resume token").digest();
  const mac = (wallId: string) => createHmac("sha256", key).update(wallId).digest().subarray(0, 16);
  return {
    issue: (wallId) => `${wallId}.${mac(wallId).toString("base64url")}`,
    verify(token) {
      const match = token === null ? null : /^([\w-]{1,64})\.([\w-]{22})$/.exec(token);
      if (!match) return null;
      const [, wallId, given] = match as unknown as [string, string, string];
      // Compared as text: 22 base64url characters carry 132 bits for the MAC's 128, so decoding would
      // let sixteen spellings of the last character pass as the same token.
      const expected = Buffer.from(mac(wallId).toString("base64url"));
      const presented = Buffer.from(given);
      return presented.length === expected.length && timingSafeEqual(presented, expected) ? wallId : null;
    },
  };
}
