/**
 * The web server's configuration, parsed once per process (the one sanctioned global).
 * Apart from the database module so that the proxy (proxy.ts) can read it without loading
 * Prisma.
 */
import { ZWebEnv, parseEnv, type TWebEnv } from "./config";

const globalForEnv = globalThis as unknown as { onescreenWebEnv?: TWebEnv };

export function webEnv(): TWebEnv {
  globalForEnv.onescreenWebEnv ??= parseEnv(ZWebEnv, process.env);
  return globalForEnv.onescreenWebEnv;
}
