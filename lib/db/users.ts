/**
 * Users and sessions as persisted. Passwords: scrypt (Node's built-in, memory-hard) with
 * a random 16-byte salt, stored with its parameters as `scrypt$N$r$p$salt$hash`, compared
 * in constant time. Sessions: the cookie carries 32 random bytes; only their SHA-256 is
 * stored, so a copy of the database opens no session.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { passwordProblem } from "../auth/passwords";
import { PERSON_ROLES, SESSION_IDLE_MS, SESSION_TOUCH_MS, USER_NAME, isRole, sessionExpired, type Role } from "../auth/roles";
import type { Database } from "./client";

const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize("NFC"), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

const maxmem = (N: number, r: number) => 256 * N * r;

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_BYTES, { ...params, maxmem: maxmem(params.N, params.r) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Whether `password` matches `stored`; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const N = Number(n), R = Number(r), P = Number(p);
  if (![N, R, P].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20 || R > 32 || P > 16) return false;
  const expected = Buffer.from(hash, "base64url");
  if (expected.length < 16) return false;
  const key = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, { N, r: R, p: P, maxmem: maxmem(N, R) });
  return timingSafeEqual(key, expected);
}

// A hash to check against when the user does not exist, so the answer takes as long either way.
let decoy: Promise<string> | null = null;

export interface User {
  name: string;
  role: Role;
}

export async function createUser(db: Database, name: string, role: string, password: string, now = new Date()): Promise<User> {
  if (!USER_NAME.test(name)) throw new Error(`name: must be 1-32 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit (got ${JSON.stringify(name)})`);
  if (!(PERSON_ROLES as readonly string[]).includes(role) || !isRole(role)) throw new Error(`role: must be viewer, operator or admin (got ${JSON.stringify(role)}); a kiosk is a device: npm run user -- device create <name>`);
  const problem = passwordProblem(password, name);
  if (problem) throw new Error(problem);
  if (await db.user.findUnique({ where: { name } })) throw new Error(`name: a user named ${name} exists already`);
  await db.user.create({ data: { name, role, passwordHash: await hashPassword(password), createdAt: now } });
  return { name, role };
}

export async function setPassword(db: Database, name: string, password: string): Promise<boolean> {
  const problem = passwordProblem(password, name);
  if (problem) throw new Error(problem);
  const { count } = await db.user.updateMany({ where: { name }, data: { passwordHash: await hashPassword(password) } });
  // A new password ends every session opened with the old one.
  if (count > 0) await db.session.deleteMany({ where: { userName: name } });
  return count > 0;
}

export async function deleteUser(db: Database, name: string): Promise<boolean> {
  await db.session.deleteMany({ where: { userName: name } });
  return (await db.user.deleteMany({ where: { name } })).count > 0;
}

export async function listUsers(db: Database): Promise<(User & { createdAt: Date })[]> {
  const rows = await db.user.findMany({ select: { name: true, role: true, createdAt: true }, orderBy: { name: "asc" } });
  return rows.map((r) => ({ ...r, role: isRole(r.role) ? r.role : "viewer" }));
}

/** First start: with no user at all, ADMIN_PASSWORD (when set) creates `admin`. True when it did. */
export async function ensureInitialAdmin(db: Database, password: string | undefined): Promise<boolean> {
  if (!password || (await db.user.count()) > 0) return false;
  try {
    await createUser(db, "admin", "admin", password);
    return true;
  } catch (error) {
    if ((await db.user.count()) > 0) return false; // another request created it first
    throw error;
  }
}

/** The user when name and password match, else null (in about the same time either way). */
export async function authenticate(db: Database, name: string, password: string): Promise<User | null> {
  const row = USER_NAME.test(name) ? await db.user.findUnique({ where: { name } }) : null;
  if (!row) {
    decoy ??= hashPassword("not a password of anyone");
    await verifyPassword(password, await decoy);
    return null;
  }
  if (!(await verifyPassword(password, row.passwordHash)) || !isRole(row.role)) return null;
  return { name: row.name, role: row.role };
}

export const hashSessionToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Opens a session for `user`; returns the cookie's token (shown to nobody else). */
export async function openSession(db: Database, userName: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // Expired sessions go when someone signs in: the table stays as small as the desks using it. A device's never expire.
  const devices = (await db.user.findMany({ where: { role: "device" }, select: { name: true } })).map((d) => d.name);
  await db.session.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_MS) }, userName: { notIn: devices } } });
  await db.session.create({ data: { tokenHash: hashSessionToken(token), userName, createdAt: now, lastSeenAt: now } });
  return token;
}

/** The signed-in user of a cookie token, sliding its session; null when unknown, idle too long or the user is gone. */
export async function sessionUser(db: Database, token: string | undefined, now = new Date()): Promise<User | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = hashSessionToken(token);
  const session = await db.session.findUnique({ where: { tokenHash } });
  if (!session) return null;
  const user = await db.user.findUnique({ where: { name: session.userName } });
  if (!user || !isRole(user.role)) return null;
  if (user.role !== "device" && sessionExpired(session.lastSeenAt.getTime(), now.getTime())) {
    await db.session.deleteMany({ where: { tokenHash } });
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_MS) await db.session.update({ where: { tokenHash }, data: { lastSeenAt: now } });
  return { name: user.name, role: user.role };
}

export async function closeSession(db: Database, token: string | undefined): Promise<void> {
  if (token) await db.session.deleteMany({ where: { tokenHash: hashSessionToken(token) } });
}

/** What a device's password hash is: no password hashes to it, so it can never sign in with one. */
const NO_PASSWORD = "!device";

/**
 * A kiosk wall that may read when PUBLIC_READ=false: a user of role device, without a
 * password. Returns its enrolment token, shown once: opened as /?kiosk=1&device=<token>, it
 * is traded for a cookie (renewDeviceSession) and spent.
 */
export async function createDevice(db: Database, name: string, now = new Date()): Promise<string> {
  if (!USER_NAME.test(name)) throw new Error(`name: must be 1-32 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit (got ${JSON.stringify(name)})`);
  if (await db.user.findUnique({ where: { name } })) throw new Error(`name: a user or device named ${name} exists already`);
  await db.user.create({ data: { name, role: "device", passwordHash: NO_PASSWORD, createdAt: now } });
  return openSession(db, name, now);
}

/** Trades a device's token for a new one, the old one spent (a token seen in a URL opens nothing twice); null when it is no device's. */
export async function renewDeviceSession(db: Database, token: string, now = new Date()): Promise<{ token: string; device: User } | null> {
  const device = await sessionUser(db, token, now);
  if (device?.role !== "device") return null;
  const spent = await db.session.deleteMany({ where: { tokenHash: hashSessionToken(token) } });
  // Two requests racing with one token: only the one that deleted it gets a cookie.
  if (spent.count === 0) return null;
  return { token: await openSession(db, device.name, now), device };
}

/** Revokes a device: its user and every session go, so its next request is refused. False when there is no such device. */
export async function revokeDevice(db: Database, name: string): Promise<boolean> {
  const row = await db.user.findUnique({ where: { name } });
  if (row?.role !== "device") return false;
  return deleteUser(db, name);
}
