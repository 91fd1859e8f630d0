/** The client a web request's limits count against (lib/client-address.ts), saying once when nobody stamps requests. */
import { UNKNOWN_CLIENT, stampedClientOf } from "./client-address";
import { webLog } from "./web-log";

let warned = false;

export function clientOf(headers: Headers): string {
  const client = stampedClientOf(headers);
  if (client !== null) return client;
  if (!warned) webLog().warn("not started by scripts/web-server.ts: client addresses are unknown, so every client shares one allowance of sign-ins and exports");
  warned = true;
  return UNKNOWN_CLIENT;
}
