/**
 * Who may do what. Reading the wall needs no login unless PUBLIC_READ=false, when it needs a
 * session of any role; acknowledging and resolving alerts, merging, splitting and closing
 * incidents and editing rules need an operator;
 * users and notification channels are managed by an admin (npm run user, /alerts/channels). A "device" is a kiosk wall: it reads and does
 * nothing else, and signs in with a credential an admin issued, never a password. Pure: the
 * web route handlers and pages ask `can` on the server, the UI only hides what would be refused anyway.
 */
export const ROLES = ["device", "viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];
/** The roles of people, who sign in with a password. */
export const PERSON_ROLES = ["viewer", "operator", "admin"] as const satisfies readonly Role[];

export const ACTIONS = ["acknowledge", "resolve", "manageIncidents", "editRules", "manageChannels"] as const;
export type Action = (typeof ACTIONS)[number];

const RANK: Record<Role, number> = { device: -1, viewer: 0, operator: 1, admin: 2 };
// The words: acknowledging, resolving and editing rules need an operator; admins also manage users
// and the notification channels (their URLs are requests the side server makes, their secrets credentials).
const NEEDS: Record<Action, Role> = { acknowledge: "operator", resolve: "operator", manageIncidents: "operator", editRules: "operator", manageChannels: "admin" };
const VERB: Record<Action, string> = { acknowledge: "acknowledging", resolve: "resolving", manageIncidents: "merging, splitting or closing incidents", editRules: "editing rules", manageChannels: "managing notification channels" };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` may do `action`; an unknown role (a row edited by hand) may do nothing. */
export function can(role: string, action: Action): boolean {
  return isRole(role) && RANK[role] >= RANK[NEEDS[action]];
}

/** The 403 message when `can` says no, naming the field: "role: acknowledging needs an operator". */
export function refusal(action: Action): string {
  const needed = NEEDS[action];
  return `role: ${VERB[action]} needs an${needed === "admin" ? " admin" : " operator"}`;
}

/** User names: what "acknowledged by" shows. */
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;
/** Length limits of a password; the rest of the policy is lib/auth/passwords.ts. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Sessions slide: each use renews them; one idle this long is refused (a device's never idles out: it is revoked). */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** A session's lastSeenAt is written at most this often (a busy desk is not a write per request). */
export const SESSION_TOUCH_MS = 60_000;
export const SESSION_COOKIE = "onescreen_session";
/** The session token in a Cookie header (the side server reads it: its socket and reads are on the web app's site). */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** How long a device's cookie is kept by its browser (Chromium's most, 400 days); its session lasts until revoked. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 86_400;

export function sessionExpired(lastSeenAtMs: number, nowMs: number): boolean {
  return nowMs - lastSeenAtMs > SESSION_IDLE_MS;
}

/**
 * CSRF: a state-changing request must come from a page of this very site. Browsers send
 * Origin on every POST; it must name the host the request was sent to. Null: allowed.
 */
export function originProblem(origin: string | null, host: string | null): string | null {
  if (!origin || origin === "null") return "origin: a state-changing request must carry the Origin header of this site";
  if (!host) return "origin: the request names no Host";
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return "origin: not a URL";
  }
  return originHost === host.toLowerCase() ? null : `origin: ${origin} is not this site`;
}
