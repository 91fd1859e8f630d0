/**
 * The SQLite database holds password hashes: on disk it is its owner's only (issue 20,
 * item 7). A real side server on a fresh path, under the usual umask 022 (which made
 * every file 0644 before): the directories it makes are 0700, the database and its WAL and
 * shared-memory files 0600, and files an older version left 0644 are tightened at start.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { createUser } from "@/lib/db/users";
import { ZServerEnv, parseEnv } from "@/lib/config";
import { memoryLog } from "./log-lines";
import { startSideServer, type SideServer } from "../app";
import { bootSideServer, tempDir, waitFor } from "./helpers";

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("database file modes", () => {
  const temp = tempDir();
  let umask: number;

  beforeAll(() => {
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
    temp.cleanup();
  });

  it("F1 a first start makes its directories 0700 and the database, its WAL and shm files and the admin token 0600", async () => {
    const file = join(temp.dir, "srv", "onescreen", "ops.db");
    let server: SideServer | null = await bootSideServer(temp.dir, { SIM_ENABLED: "true", SIM_ENTITY_EVERY: "1", DATABASE_URL: `file:${file}` });
    try {
      await createUser(server.db, "ops-admin", "admin", "correct horse battery staple");
      // The writer thread's connection writes the simulated city: the WAL and its index exist once it has.
      await waitFor("the WAL and shm files", () => (existsSync(`${file}-wal`) && existsSync(`${file}-shm`) ? true : undefined));
      expect({
        srv: modeOf(join(temp.dir, "srv")),
        onescreen: modeOf(join(temp.dir, "srv", "onescreen")),
        db: modeOf(file),
        wal: modeOf(`${file}-wal`),
        shm: modeOf(`${file}-shm`),
        adminToken: modeOf(join(temp.dir, "srv", "onescreen", "admin-token")),
      }).toEqual({ srv: "700", onescreen: "700", db: "600", wal: "600", shm: "600", adminToken: "600" });
    } finally {
      await server?.close();
      server = null;
    }
  });

  it("F2 files left readable by an older version are tightened at the next start, and the log says so", async () => {
    const dir = join(temp.dir, "old");
    mkdirSync(dir, { mode: 0o755 });
    const file = join(dir, "ops.db");
    const { log, events } = memoryLog();
    const first = await bootSideServer(temp.dir, { SIM_ENABLED: "false", DATABASE_URL: `file:${file}` });
    await first.close();
    chmodSync(file, 0o644);
    if (existsSync(`${file}-wal`)) chmodSync(`${file}-wal`, 0o644);
    const again = await startSideServer(parseEnv(ZServerEnv, { REALTIME_PORT: "0", REALTIME_HOST: "127.0.0.1", DATABASE_URL: `file:${file}`, SIM_ENABLED: "false", SIM_BACKFILL_HOURS: "0" }), {
      cwd: temp.dir,
      now: Date.now,
      log,
    });
    try {
      expect(modeOf(file)).toBe("600");
      expect(events).toContainEqual(expect.objectContaining({ component: "database", msg: "the database's files were readable by other users: now owner-only (0600)", files: ["ops.db (was 0644)"] }));
      // A directory that existed already is not ours to change.
      expect(modeOf(dir)).toBe("755");
    } finally {
      await again.close();
    }
  });

  it("F3 a web server or tool opening a database that does not exist yet creates it 0600 too", async () => {
    const file = join(temp.dir, "web-first.db");
    const db = await openDatabase(file);
    await db.$disconnect();
    expect(modeOf(file)).toBe("600");
  });
});
