/**
 * The SQLite database holds password hashes and session digests: only its owner may read
 * it. Directories made for it are 0700, the file is created 0600 before SQLite opens it
 * (SQLite makes its -wal, -shm and -journal files with the database's own mode), and the
 * side server tightens files an older version left readable (0644, the umask's default).
 * A directory that existed already is left alone: it may be shared (/var/lib, a home).
 */
import fs from "node:fs";
import path from "node:path";

const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_DIR = 0o700;

/**
 * `mkdir -p` for the directories that are missing, each 0700. Not fs.mkdirSync(dir, {
 * recursive: true }): on Node 20 it spins forever when mkdir fails with ENOENT under an
 * existing parent (e.g. /proc/nope), hanging start-up.
 */
export function makePrivateDirectories(dir: string): void {
  if (fs.existsSync(dir)) return;
  makePrivateDirectories(path.dirname(dir));
  try {
    fs.mkdirSync(dir, { mode: OWNER_ONLY_DIR });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Creates the database file empty and 0600 when it does not exist (an empty file is an empty SQLite database). */
export function createPrivately(file: string): void {
  try {
    fs.writeFileSync(file, "", { flag: "wx", mode: OWNER_ONLY_FILE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Makes the database's files 0600 where others could read them; returns those it changed. */
export function tightenDatabaseFiles(file: string): string[] {
  const changed: string[] = [];
  for (const candidate of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    let mode: number;
    try {
      mode = fs.statSync(candidate).mode & 0o777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    if ((mode & 0o077) === 0) continue;
    fs.chmodSync(candidate, OWNER_ONLY_FILE);
    changed.push(`${path.basename(candidate)} (was ${mode.toString(8).padStart(4, "0")})`);
  }
  return changed;
}
