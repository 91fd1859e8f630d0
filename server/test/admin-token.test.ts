/** The admin token guards every write path: it is never empty and never world-readable. */
import { statSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { adminTokenFile, resolveAdminToken } from "../admin-token";
import { tempDir } from "./helpers";

describe("admin token", () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());
  const stateDir = temp.dir;

  it("A1 ADMIN_TOKEN wins over any file", () => {
    expect(resolveAdminToken("configured-token-0123456789", stateDir, true)).toBe("configured-token-0123456789");
  });

  it("A2 is created once, owner-only, and read back the same on the next start", () => {
    const first = resolveAdminToken(undefined, stateDir, true);
    expect(first?.length).toBeGreaterThanOrEqual(16);
    expect(statSync(adminTokenFile(stateDir)).mode & 0o777).toBe(0o600);
    expect(resolveAdminToken(undefined, stateDir, true)).toBe(first);
    expect(resolveAdminToken(undefined, stateDir, false)).toBe(first);
  });

  it("A3 an empty or truncated token file is replaced, never used as an empty token", () => {
    writeFileSync(adminTokenFile(stateDir), "\n", { mode: 0o644 });
    expect(resolveAdminToken(undefined, stateDir, false)).toBeNull();
    const fresh = resolveAdminToken(undefined, stateDir, true);
    expect(fresh?.length).toBeGreaterThanOrEqual(16);
    expect(statSync(adminTokenFile(stateDir)).mode & 0o777).toBe(0o600);
  });
});
