/**
 * Which Chromium the end-to-end tests drive. A system browser first (no download, and the
 * one the machine's fonts and libraries were installed for), then Playwright's own, which
 * `npm test`'s pretest step installs when the network allows (scripts/test-browser.ts).
 * Pure: the caller says which files exist.
 */

/** Where the usual installs put an executable Chromium or Chrome, per platform. */
export function systemChromiumPaths(platform: NodeJS.Platform): readonly string[] {
  if (platform === "darwin") return ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Chromium.app/Contents/MacOS/Chromium"];
  if (platform === "win32") return ["C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe"];
  // Linux and the BSDs, by the paths their packages use.
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
}

export type ChromiumChoice =
  | { kind: "override" | "system"; path: string }
  /** Playwright's own browser: launched without an executablePath. */
  | { kind: "managed"; path: string }
  | { kind: "none"; problem: string };

export interface ChromiumSearch {
  /** CHROMIUM_PATH, when set: that browser and no other. */
  override: string | undefined;
  platform: NodeJS.Platform;
  /** Where Playwright keeps its own Chromium (chromium.executablePath()). */
  managed: string;
  exists: (path: string) => boolean;
}

export function chooseChromium({ override, platform, managed, exists }: ChromiumSearch): ChromiumChoice {
  if (override) return exists(override) ? { kind: "override", path: override } : { kind: "none", problem: `CHROMIUM_PATH=${override} does not exist` };
  const system = systemChromiumPaths(platform).find(exists);
  if (system) return { kind: "system", path: system };
  if (exists(managed)) return { kind: "managed", path: managed };
  return { kind: "none", problem: `there is none at ${[...systemChromiumPaths(platform), managed].join(", ")}` };
}

/** What a newcomer reads when the e2e half cannot run: what is missing and what to do. */
export function noChromiumHint(problem: string): string {
  return (
    `e2e needs a Chromium, and ${problem}. Install one (Debian/Ubuntu: apt-get install chromium; macOS: Google Chrome), ` +
    "or run `npx playwright install chromium` where the network allows, or set CHROMIUM_PATH to a Chromium or Chrome executable."
  );
}
