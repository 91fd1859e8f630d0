import { describe, expect, it } from "vitest";
import { chooseChromium, noChromiumHint, systemChromiumPaths } from "./chromium";

const MANAGED = "/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome";
const only = (...present: string[]) => (path: string) => present.includes(path);

describe("choosing the Chromium the e2e tests drive", () => {
  it("prefers Debian's chromium to Playwright's own when both are there", () => {
    expect(chooseChromium({ override: undefined, platform: "linux", managed: MANAGED, exists: only("/usr/bin/chromium", MANAGED) })).toEqual({ kind: "system", path: "/usr/bin/chromium" });
  });

  it("finds Ubuntu's chromium-browser and Google Chrome on Linux, Chrome on a Mac", () => {
    expect(chooseChromium({ override: undefined, platform: "linux", managed: MANAGED, exists: only("/usr/bin/chromium-browser") })).toEqual({ kind: "system", path: "/usr/bin/chromium-browser" });
    expect(chooseChromium({ override: undefined, platform: "linux", managed: MANAGED, exists: only("/usr/bin/google-chrome") })).toEqual({ kind: "system", path: "/usr/bin/google-chrome" });
    const mac = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    expect(chooseChromium({ override: undefined, platform: "darwin", managed: MANAGED, exists: only(mac, "/usr/bin/chromium") })).toEqual({ kind: "system", path: mac });
  });

  it("falls back to Playwright's own browser when there is no system one", () => {
    expect(chooseChromium({ override: undefined, platform: "darwin", managed: MANAGED, exists: only(MANAGED) })).toEqual({ kind: "managed", path: MANAGED });
  });

  it("takes CHROMIUM_PATH over everything, and says so when it names nothing", () => {
    expect(chooseChromium({ override: "/opt/chrome/chrome", platform: "linux", managed: MANAGED, exists: only("/opt/chrome/chrome", "/usr/bin/chromium") })).toEqual({ kind: "override", path: "/opt/chrome/chrome" });
    expect(chooseChromium({ override: "/opt/chrome/chrome", platform: "linux", managed: MANAGED, exists: only("/usr/bin/chromium") })).toEqual({ kind: "none", problem: "CHROMIUM_PATH=/opt/chrome/chrome does not exist" });
  });

  it("with none at all, the hint names every place it looked and what to install", () => {
    const choice = chooseChromium({ override: undefined, platform: "linux", managed: MANAGED, exists: only() });
    if (choice.kind !== "none") throw new Error(`expected none, got ${choice.kind}`);
    const hint = noChromiumHint(choice.problem);
    for (const path of [...systemChromiumPaths("linux"), MANAGED]) expect(hint).toContain(path);
    expect(hint).toContain("apt-get install chromium");
    expect(hint).toContain("npx playwright install chromium");
    expect(hint).toContain("CHROMIUM_PATH");
    expect(hint).not.toContain("\n");
  });
});
