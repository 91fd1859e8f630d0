/**
 * Kiosk mode (`?kiosk=1`): a wall that nobody touches. It rotates through spotlight
 * views, each for its own number of seconds (`&views=wall:60,traffic:20,…`), and carries
 * its settings from view to view in the URL, so a reload resumes the same rotation.
 */
import { DOMAINS, type Domain } from "../catalog";
import type { Lang } from "../i18n";

export type KioskView = "wall" | Domain;

export interface KioskConfig {
  views: { view: KioskView; seconds: number }[];
  lang: Lang;
}

export const DEFAULT_VIEWS: KioskConfig["views"] = [{ view: "wall", seconds: 60 }, ...DOMAINS.map((view) => ({ view, seconds: 20 }))];
const KNOWN: readonly string[] = ["wall", ...DOMAINS];
const MIN_SECONDS = 3;
const MAX_SECONDS = 3_600;

/** The kiosk settings of a URL's query, or null when it is not a kiosk. Unknown or malformed views are left out. */
export function parseKiosk(params: URLSearchParams): KioskConfig | null {
  if (params.get("kiosk") !== "1") return null;
  const lang: Lang = params.get("lang") === "en" ? "en" : "zh";
  const listed = (params.get("views") ?? "")
    .split(",")
    .map((part) => part.trim().split(":"))
    .filter(([view, seconds]) => KNOWN.includes(view ?? "") && Number.isFinite(Number(seconds)))
    .map(([view, seconds]) => ({ view: view as KioskView, seconds: Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, Math.round(Number(seconds)))) }));
  return { views: listed.length > 0 ? listed : DEFAULT_VIEWS, lang };
}

export function viewOfPath(pathname: string): KioskView | null {
  if (pathname === "/") return "wall";
  const segment = pathname.slice(1);
  return (DOMAINS as readonly string[]).includes(segment) ? (segment as Domain) : null;
}

/** The view after `current` (the first when the page is not one of the rotation's). */
export function nextView(config: KioskConfig, current: KioskView | null): KioskConfig["views"][number] {
  const at = config.views.findIndex((v) => v.view === current);
  return config.views[(at + 1) % config.views.length] ?? DEFAULT_VIEWS[0]!;
}

/** How long the current page stays: its own duration, or the first view's for a page outside the rotation. */
export function secondsOn(config: KioskConfig, current: KioskView | null): number {
  return (config.views.find((v) => v.view === current) ?? config.views[0] ?? DEFAULT_VIEWS[0]!).seconds;
}

export function kioskHref(view: KioskView, config: KioskConfig, customViews: boolean): string {
  const params = new URLSearchParams({ kiosk: "1" });
  if (config.lang === "en") params.set("lang", "en");
  if (customViews) params.set("views", config.views.map((v) => `${v.view}:${v.seconds}`).join(","));
  return `${view === "wall" ? "/" : `/${view}`}?${params}`;
}
