/**
 * The admin bearer token for write endpoints: ADMIN_TOKEN when set, otherwise a
 * random one created at first start in the state directory (beside the SQLite file,
 * or ./data with PostgreSQL: lib/config.ts stateDirectory), mode 0600, so a fresh
 * install is never open for writing and never ships a default password.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function adminTokenFile(stateDir: string): string {
  return join(stateDir, "admin-token");
}

const MIN_LENGTH = 16;

export function resolveAdminToken(configured: string | undefined, stateDir: string, create: boolean): string | null {
  if (configured) return configured;
  const file = adminTokenFile(stateDir);
  // An empty or truncated file must never become an empty token that matches an empty header.
  const stored = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (stored.length >= MIN_LENGTH) return stored;
  if (!create) return null;
  const token = randomBytes(24).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // the mode option only applies to a new file

  return token;
}
