/**
 * Where the browser sent a request: the host it named and whether over https. Behind a
 * reverse proxy X-Forwarded-Host and X-Forwarded-Proto say so, but anyone can write them:
 * they are believed only when the configuration trusts a proxy (TRUSTED_PROXIES), and then
 * only the value the nearest one wrote (the last). Pure.
 */
export interface RequestSite {
  host: string | null;
  https: boolean;
}

const nearest = (value: string | null): string | undefined => value?.split(",").at(-1)?.trim() || undefined;

export function requestSite(headers: Headers, urlProtocol: string, trustForwarded: boolean): RequestSite {
  const host = (trustForwarded ? nearest(headers.get("x-forwarded-host")) : undefined) ?? headers.get("host");
  const proto = trustForwarded ? nearest(headers.get("x-forwarded-proto")) : undefined;
  return { host, https: proto !== undefined ? proto === "https" : urlProtocol === "https:" };
}
