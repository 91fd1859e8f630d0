/** The admin token guards every write path: it is never empty and never world-readable. */
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { adminTokenFile, resolveAdminToken } from "../admin-token";
import { tempDir } from "./helpers";

describe("admin token", () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());
  const databaseFile = join(temp.dir, "t.db");

  it("A1 ADMIN_TOKEN wins over any file", () => {
    expect(resolveAdminToken("configured-token-0123456789", databaseFile, true)).toBe("configured-token-0123456789");
  });

  it("A2 is created once, owner-only, and read back the same on the next start", () => {
    const first = resolveAdminToken(undefined, databaseFile, true);
    expect(first?.length).toBeGreaterThanOrEqual(16);
    expect(statSync(adminTokenFile(databaseFile)).mode & 0o777).toBe(0o600);
    expect(resolveAdminToken(undefined, databaseFile, true)).toBe(first);
    expect(resolveAdminToken(undefined, databaseFile, false)).toBe(first);
  });

  it("A3 an empty or truncated token file is replaced, never used as an empty token", () => {
    writeFileSync(adminTokenFile(databaseFile), "\n", { mode: 0o644 });
    expect(resolveAdminToken(undefined, databaseFile, false)).toBeNull();
    const fresh = resolveAdminToken(undefined, databaseFile, true);
    expect(fresh?.length).toBeGreaterThanOrEqual(16);
    expect(statSync(adminTokenFile(databaseFile)).mode & 0o777).toBe(0o600);
  });
});
