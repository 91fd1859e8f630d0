/** Users and sessions against a real migrated database of each provider (SQLite file, PostgreSQL). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_IDLE_MS } from "../auth/roles";
import type { Database } from "./client";
import { PROVIDERS, openTestDatabase, unavailable } from "./test-databases";
import { authenticate, closeSession, createDevice, createUser, ensureInitialAdmin, hashPassword, hashSessionToken, openSession, renewDeviceSession, revokeDevice, sessionUser, setPassword, verifyPassword } from "./users";

describe("password hashing", () => {
  it("scrypt with a random salt and its parameters; verifies the right password only", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });

  it("reads the parameters from the stored hash, and refuses malformed or absurd ones without throwing", async () => {
    const cheap = await hashPassword("another password", { N: 1024, r: 8, p: 1 });
    expect(cheap.startsWith("scrypt$1024$8$1$")).toBe(true);
    expect(await verifyPassword("another password", cheap)).toBe(true);
    for (const bad of ["", "plain", "bcrypt$1$2$3$x$y", "scrypt$abc$8$1$c2FsdA$aGFzaA", "scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", "scrypt$1024$8$1$c2FsdA$"]) {
      expect(await verifyPassword("x", bad)).toBe(false);
    }
  });
});

for (const provider of PROVIDERS) describe.skipIf(unavailable(provider))(`users and sessions on ${provider}`, () => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(provider, "users"));
  });
  afterAll(async () => {
    await close?.();
  });

  it("the first admin comes from ADMIN_PASSWORD only when there is no user, never a default", async () => {
    expect(await ensureInitialAdmin(db, undefined)).toBe(false);
    expect(await db.user.count()).toBe(0);
    await expect(ensureInitialAdmin(db, "too short")).rejects.toThrow("password: must be at least 12 characters");
    await expect(ensureInitialAdmin(db, "first-admin-password")).rejects.toThrow("password: must not contain the user name (admin)");
    expect(await ensureInitialAdmin(db, "first-night-shift-key")).toBe(true);
    expect(await ensureInitialAdmin(db, "another-night-shift-key")).toBe(false);
    expect(await authenticate(db, "admin", "first-night-shift-key")).toEqual({ name: "admin", role: "admin" });
    expect(await authenticate(db, "admin", "another-night-shift-key")).toBeNull();
  });

  it("creates users with a valid name, role and password; the hash is stored, never the password", async () => {
    await expect(createUser(db, "Op One", "operator", "long-enough-pass")).rejects.toThrow(/^name: /);
    await expect(createUser(db, "op1", "root", "long-enough-pass")).rejects.toThrow(/^role: /);
    await expect(createUser(db, "op1", "operator", "short")).rejects.toThrow(/^password: /);
    await expect(createUser(db, "op1", "operator", "Password2026!")).rejects.toThrow(/^password: is one of the 10,000 most common passwords/);
    expect(await createUser(db, "op1", "operator", "long-enough-pass")).toEqual({ name: "op1", role: "operator" });
    await expect(createUser(db, "op1", "viewer", "long-enough-pass")).rejects.toThrow("name: a user named op1 exists already");
    const row = await db.user.findUnique({ where: { name: "op1" } });
    expect(row?.passwordHash).not.toContain("long-enough-pass");
    expect(await authenticate(db, "op1", "long-enough-pass")).toEqual({ name: "op1", role: "operator" });
    expect(await authenticate(db, "nobody", "long-enough-pass")).toBeNull();
  });

  it("a session is found by its token (only the hash stored), slides with use, expires after 12 h idle, and ends at logout", async () => {
    const t0 = new Date("2026-11-25T08:00:00Z");
    const token = await openSession(db, "op1", t0);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(await db.session.findUnique({ where: { tokenHash: token } })).toBeNull();
    expect(await db.session.findUnique({ where: { tokenHash: hashSessionToken(token) } })).not.toBeNull();
    // Used 11 h later: still valid, and renewed from then.
    const t1 = new Date(t0.getTime() + 11 * 3_600_000);
    expect(await sessionUser(db, token, t1)).toEqual({ name: "op1", role: "operator" });
    expect(await sessionUser(db, token, new Date(t1.getTime() + SESSION_IDLE_MS - 1_000))).toEqual({ name: "op1", role: "operator" });
    expect(await sessionUser(db, "made-up-token", t1)).toBeNull();
    expect(await sessionUser(db, undefined, t1)).toBeNull();
    await closeSession(db, token);
    expect(await sessionUser(db, token, t1)).toBeNull();

    const idle = await openSession(db, "op1", t0);
    expect(await sessionUser(db, idle, new Date(t0.getTime() + SESSION_IDLE_MS + 1))).toBeNull();
    expect(await db.session.count({ where: { tokenHash: hashSessionToken(idle) } })).toBe(0);
  });

  it("a new password closes the user's sessions", async () => {
    const token = await openSession(db, "op1");
    expect(await setPassword(db, "op1", "a-new-long-password")).toBe(true);
    expect(await sessionUser(db, token)).toBeNull();
    expect(await authenticate(db, "op1", "a-new-long-password")).not.toBeNull();
  });

  it("a device reads by its token until revoked, never idles out, and its enrolment token works once", async () => {
    const t0 = new Date("2026-11-25T08:00:00Z");
    const enrolment = await createDevice(db, "wall-1", t0);
    const renewed = await renewDeviceSession(db, enrolment, t0);
    expect(renewed?.device).toEqual({ name: "wall-1", role: "device" });
    expect(await renewDeviceSession(db, enrolment, t0)).toBeNull();
    // A month switched off, and someone else signing in meanwhile (which sweeps idle sessions): still its session.
    const later = new Date(t0.getTime() + 30 * 86_400_000);
    await openSession(db, "op1", later);
    expect(await sessionUser(db, renewed!.token, later)).toEqual({ name: "wall-1", role: "device" });
    // A person's token is no device's.
    expect(await renewDeviceSession(db, await openSession(db, "op1", later), later)).toBeNull();
    expect(await revokeDevice(db, "op1")).toBe(false);
    expect(await revokeDevice(db, "wall-1")).toBe(true);
    expect(await sessionUser(db, renewed!.token, later)).toBeNull();
    await expect(createDevice(db, "op1")).rejects.toThrow("name: a user or device named op1 exists already");
  });
});
