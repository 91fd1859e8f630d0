/**
 * deploy/systemd, checked by deploy/verify.sh (systemd-analyze verify in a temporary root):
 * the committed units pass, and a unit with a bad value, an unknown key or a command at a path a
 * deployment does not have fails with verify's own words, so the check can fail.
 */
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers";

const hasSystemd = spawnSync("systemd-analyze", ["--version"]).status === 0;
if (!hasSystemd) console.log("[deploy-systemd] no systemd-analyze: the check of deploy/systemd is skipped");

const verify = (dir?: string) => spawnSync("bash", ["deploy/verify.sh", ...(dir ? [dir] : [])], { encoding: "utf8" });

describe.skipIf(!hasSystemd)("deploy/systemd under systemd-analyze verify", () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());

  /** A copy of the committed units with `unit`'s text changed by `edit`. */
  function broken(name: string, unit: string, edit: (text: string) => string): string {
    const dir = join(temp.dir, name);
    cpSync("deploy/systemd", dir, { recursive: true });
    const file = join(dir, unit);
    const edited = edit(readFileSync(file, "utf8"));
    expect(edited).not.toBe(readFileSync(file, "utf8"));
    writeFileSync(file, edited);
    return dir;
  }

  it("passes the committed units, every side server of nginx.conf as an instance of the template", () => {
    const run = verify();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("onescreen-realtime@4001.service onescreen-realtime@4002.service onescreen-web.service");
  });

  it("fails a bad value and an unknown key, which verify itself only warns about", () => {
    const run = verify(broken("bad-value", "onescreen-web.service", (text) => text.replace("Restart=always", "Restart=alwayz\nRestartSecs=2")));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/onescreen-web\.service:\d+: Failed to parse service restart specifier, ignoring: alwayz/);
    expect(run.stderr).toMatch(/Unknown key '?RestartSecs'?/);
  });

  it("fails a command at a path a deployment does not install", () => {
    const run = verify(broken("bad-path", "onescreen-realtime@.service", (text) => text.replace("ExecStart=/usr/bin/node", "ExecStart=/usr/local/bin/node")));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Command \/usr\/local\/bin\/node is not executable/);
  });

  it("fails a web unit on a port nginx.conf does not send / to", () => {
    const run = verify(broken("bad-port", "onescreen-web.service", (text) => text.replace("PORT=3001", "PORT=3002")));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("listens on 3002, which deploy/nginx.conf's onescreen_web upstream does not list");
  });
});
