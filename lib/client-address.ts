/**
 * Who a request comes from, for the limits per client (sign-in, exports). The address is
 * the socket's peer; X-Forwarded-For is believed only as far as it was written by proxies
 * this deployment trusts (TRUSTED_PROXIES), read from the right: each trusted hop names the
 * one before it, and the first hop not trusted is the client. Anything else in the header
 * was written by the client and proves nothing.
 *
 * Next's route handlers never see the socket: the web server (scripts/web-server.ts) works
 * the address out and stamps it on the request as CLIENT_ADDRESS_HEADER, replacing any a
 * client sent. Started another way (a bare `next start`), no request is stamped and every
 * client counts as one, UNKNOWN_CLIENT: the limits still hold, for everyone together.
 */
export const CLIENT_ADDRESS_HEADER = "x-onescreen-client-address";
export const UNKNOWN_CLIENT = "unknown";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv4 or IPv6 address as one form: lower case, no zone, IPv4-mapped IPv6 as plain IPv4; null when it is none. */
export function normalizeAddress(value: string): string | null {
  const address = value.trim().toLowerCase().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return IPV4.test(mapped[1]!) ? mapped[1]! : null;
  if (IPV4.test(address)) return address;
  return ipv6Groups(address) ? address : null;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): string[] | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const split = (half: string) => (half === "" ? [] : half.split(":"));
  const head = split(halves[0]!);
  const tail = halves.length === 2 ? split(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : null;
}

/** The client of a request that reached us from `peer` with these X-Forwarded-For values. */
export function clientAddress(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, trustedProxies: readonly string[]): string {
  let client = normalizeAddress(peer ?? "");
  if (!client) return UNKNOWN_CLIENT;
  const hops = [forwardedFor ?? []].flat().flatMap((header) => header.split(","));
  while (trustedProxies.includes(client) && hops.length > 0) {
    const before = normalizeAddress(hops.pop()!);
    // A trusted proxy that wrote something that is no address: the proxy is all we know.
    if (!before) break;
    client = before;
  }
  return client;
}

/**
 * What the limits count as one client: an IPv4 address, or an IPv6 /64 (one host's share;
 * a single machine commonly holds a whole /64, so counting its addresses apart would give
 * it billions of allowances).
 */
export function clientKey(address: string): string {
  const groups = address.includes(":") ? ipv6Groups(address) : null;
  return groups ? `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64` : address;
}

const STAMPED = Symbol.for("onescreen.web-server.stamps-client-address");

/** Called by the web server before it answers anything: from then on the stamped header is believed. */
export function markClientAddressStamped(): void {
  (globalThis as Record<symbol, unknown>)[STAMPED] = true;
}

/** The client a request's limits count against (see the module comment); null when no request is stamped (not started by scripts/web-server.ts). */
export function stampedClientOf(headers: Headers): string | null {
  if ((globalThis as Record<symbol, unknown>)[STAMPED] !== true) return null;
  return clientKey(headers.get(CLIENT_ADDRESS_HEADER) ?? UNKNOWN_CLIENT);
}
