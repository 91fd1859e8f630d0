/**
 * The production start: what `npm run build` compiles into dist/ runs with plain node in a
 * deployment that has only the production dependencies. The test compiles the servers (as
 * the build does, into a folder of its own) and lays out a deployment beside them whose
 * node_modules holds only package.json's `dependencies` (no tsx, TypeScript, esbuild or
 * Prisma CLI to fall back on), then runs the compiled side server there: it migrates a new
 * SQLite file, streams frames to a real socket, persists samples through its writer thread
 * (the worker file is the classic trap of a compiled build) and stops cleanly on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Event } from "@/lib/realtime/protocol";
import { nodeVersionProblem } from "@/scripts/node-version.mjs";
import { healthz, healthzUrl, waitForUrl } from "./child-server";
import { findEvent } from "./log-lines";
import { connect, hello, tempDir, waitForAsync } from "./helpers";
import { freePort } from "./mqtt-broker";

const repo = process.cwd();
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** A deployment in `dir`: the compiled servers, the files they read at run time, and the production dependencies only. */
function layOutDeployment(dir: string): void {
  const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-servers.ts", "--outdir", join(dir, "dist")], { cwd: repo, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);
  cpSync(join(repo, "package.json"), join(dir, "package.json"));
  cpSync(join(repo, "prisma"), join(dir, "prisma"), { recursive: true });
  mkdirSync(join(dir, "scripts"));
  cpSync(join(repo, "scripts", "supervised.cjs"), join(dir, "scripts", "supervised.cjs"));
  for (const name of Object.keys(manifest.dependencies)) {
    const link = join(dir, "node_modules", name);
    mkdirSync(resolve(link, ".."), { recursive: true });
    symlinkSync(join(repo, "node_modules", name), link, "dir");
  }
}

/** The environment of a deployed process: nothing from this test's own (vitest's loaders and Node options). */
const deployedEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", REALTIME_HOST: "127.0.0.1", SIM_BACKFILL_HOURS: "0", ...env });

describe("the compiled build in a deployment without dev dependencies", () => {
  const temp = tempDir();
  const children: ChildProcess[] = [];

  beforeAll(() => layOutDeployment(temp.dir), 60_000);
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    temp.cleanup();
  });

  /** `node <args>` in the deployment. */
  function node(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
    const child = spawn(process.execPath, args, { cwd: temp.dir, env: deployedEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    return { child, output: () => output };
  }
  const exited = (child: ChildProcess) => new Promise<number | null>((done) => (child.exitCode !== null ? done(child.exitCode) : child.once("exit", (code) => done(code))));

  it("has no dev dependency to fall back on", () => {
    expect(manifest.devDependencies).toHaveProperty("tsx");
    expect(manifest.dependencies).not.toHaveProperty("tsx");
    for (const dev of ["tsx", "typescript", "esbuild", "prisma"]) expect(existsSync(join(temp.dir, "node_modules", dev))).toBe(false);
  });

  it("runs the side server with plain node: migrates, streams frames, persists samples through its writer thread, stops on SIGTERM", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const server = node(["--enable-source-maps", "dist/realtime.js"], { REALTIME_PORT: String(port), DATABASE_URL: "file:./data/onescreen.db" });
    await waitForUrl(healthzUrl(port), { name: "compiled side server", ...server }, 45_000);

    const socket = await connect(port);
    try {
      const reply = await hello(socket);
      expect(reply.ok).toBe(true);
      const frame = await new Promise<unknown>((done) => socket.once(Event.frame, done));
      expect(frame).toBeTruthy();
    } finally {
      socket.close();
    }
    const persisted = await waitForAsync("samples persisted by the compiled writer thread", async () => {
      const count = (await healthz(port))?.samplesPersisted;
      return typeof count === "number" && count > 0 ? count : undefined;
    }, 15_000);
    expect(persisted).toBeGreaterThan(0);

    server.child.kill("SIGTERM");
    expect(await exited(server.child)).toBe(0);
    expect(Number(findEvent(server.output(), "stopped", { component: "side-server" })?.persisted)).toBeGreaterThan(0);
    expect(server.output()).not.toMatch(/tsx|ERR_MODULE_NOT_FOUND/);
  });

  it("runs an admin command with plain node against the same database", () => {
    const run = spawnSync(process.execPath, ["dist/ingest-token.js", "create", "roadside-7"], { cwd: temp.dir, env: deployedEnv({ DATABASE_URL: "file:./data/onescreen.db" }), encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ingest token for roadside-7/);
    const list = spawnSync(process.execPath, ["dist/ingest-token.js", "list"], { cwd: temp.dir, env: deployedEnv({ DATABASE_URL: "file:./data/onescreen.db" }), encoding: "utf8" });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/roadside-7/);
  });

  it("the production start refuses to start without the web app's build, and says what to do", async () => {
    const start = node(["dist/start.js"], { PORT: String(await freePort()), REALTIME_PORT: String(await freePort()) });
    expect(await exited(start.child)).toBe(1);
    expect(start.output()).toMatch(/\.next\/BUILD_ID missing\): run npm run build first/);
  });
});

describe("the Node version check", () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());

  it("stops the postinstall and the production start on a Node older than engines asks, saying why", () => {
    // This Node is older than a package.json that asks for Node 99.
    writeFileSync(join(temp.dir, "package.json"), JSON.stringify({ ...manifest, engines: { node: ">=99.1" } }));
    mkdirSync(join(temp.dir, "scripts"));
    for (const file of ["postinstall.mjs", "node-version.mjs"]) cpSync(join(repo, "scripts", file), join(temp.dir, "scripts", file));
    symlinkSync(join(repo, "node_modules"), join(temp.dir, "node_modules"), "dir");
    const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-servers.ts", "--outdir", join(temp.dir, "dist")], { cwd: repo, encoding: "utf8" });
    expect(build.status).toBe(0);
    for (const [command, args] of [["postinstall", ["scripts/postinstall.mjs"]], ["start", ["dist/start.js"]]] as const) {
      const run = spawnSync(process.execPath, args, { cwd: temp.dir, env: deployedEnv({}), encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`[${command}] OneScreen needs Node.js >=99.1 (package.json "engines"), but this is Node.js ${process.version}.`);
      expect(run.stderr).toContain("Install Node.js 99.1.0 or newer");
    }
  }, 30_000);

  it("accepts the required version and newer, at every position", () => {
    for (const found of ["v20.19.0", "v20.19.5", "v20.20.0", "v21.0.0", "v22.12.0"]) expect(nodeVersionProblem(">=20.19", found)).toBeNull();
  });
  it("refuses an older one, saying what is needed, what was found and how to fix it", () => {
    for (const found of ["v20.18.3", "v18.20.4", "v16.0.0"]) {
      const problem = nodeVersionProblem(">=20.19", found);
      expect(problem).toContain("needs Node.js >=20.19");
      expect(problem).toContain(`this is Node.js ${found}`);
      expect(problem).toMatch(/Install Node\.js 20\.19\.0 or newer .*nvm install 20/);
    }
    expect(nodeVersionProblem(">=20.19.2", "v20.19.1")).not.toBeNull();
  });
  it("names an engines range it cannot read instead of passing it", () => {
    expect(() => nodeVersionProblem("^20.19 || >=22", "v22.0.0")).toThrow(/engines\.node is "\^20\.19 \|\| >=22"/);
  });
});
