/**
 * Ingest tokens as persisted: created and revoked by an admin (scripts/ingest-token.ts),
 * looked up by hash on every ingest request. The token itself is shown once, at creation.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "./client";

/** Lower-case letters, digits and dashes: the name is recorded on samples as "http:<name>". */
export const TOKEN_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface TokenInfo {
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A new token for `name`; a name already used (even revoked) is refused, so old samples keep one meaning. */
export async function createIngestToken(db: Database, name: string, now = new Date()): Promise<string> {
  if (!TOKEN_NAME.test(name)) throw new Error(`name: must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit (got ${JSON.stringify(name)})`);
  if (await db.ingestToken.findUnique({ where: { name } })) throw new Error(`name: a token named ${name} exists already`);
  const token = `osi_${randomBytes(32).toString("base64url")}`;
  await db.ingestToken.create({ data: { name, tokenHash: hashToken(token), createdAt: now } });
  return token;
}

export async function revokeIngestToken(db: Database, name: string, now = new Date()): Promise<boolean> {
  const { count } = await db.ingestToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: now } });
  return count > 0;
}

export async function listIngestTokens(db: Database): Promise<TokenInfo[]> {
  return db.ingestToken.findMany({ select: { name: true, createdAt: true, revokedAt: true }, orderBy: { name: "asc" } });
}

/** The source a token belongs to: its name, "revoked", or null when no token has that hash. */
export async function sourceOfToken(db: Database, token: string): Promise<{ name: string; revoked: boolean } | null> {
  const row = await db.ingestToken.findUnique({ where: { tokenHash: hashToken(token) } });
  return row ? { name: row.name, revoked: row.revokedAt !== null } : null;
}
