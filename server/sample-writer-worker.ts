/**
 * The writer thread (see sample-writer.ts): its own better-sqlite3 connection, one
 * transaction per batch, and the WAL checkpoint after it — all off the event loop
 * that sends frames. Nothing here may end the thread: every failure is answered (a batch's
 * error with its SQLite code, a checkpoint's as a report), and after a failure that is not
 * a lock the connection is opened anew for the next batch, since one that met an I/O error,
 * a read-only or a vanished file is not to be trusted again.
 */
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { sqlite } from "@/lib/db/dialect";
import { isSqliteLockError } from "@/lib/db/retry";
import { byKey, sampleInserts, storedSample, type SampleRow, type StoredRow } from "@/lib/db/samples";
import type { TSample } from "@/lib/realtime/protocol";

export type WriterRequest = { id: number; rows: SampleRow[] } | { close: true };
export type WriterReply =
  | { id: number; stored: TSample[] }
  | { id: number; error: string; code: string | undefined }
  | { ready: true }
  | { openError: string; code: string | undefined }
  /** The WAL could not be copied into the file (it grows meanwhile), or it can again (error null). */
  | { checkpointError: string | null };

const port = parentPort!;
const databaseFile = (workerData as { databaseFile: string }).databaseFile;

interface Connection {
  db: Database.Database;
  insertBatch(rows: SampleRow[]): TSample[];
}

function open(): Connection {
  const db = new Database(databaseFile);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    // This thread checkpoints after each batch; SQLite's automatic checkpoint would run inside a COMMIT.
    db.pragma("wal_autocheckpoint = 0");
  } catch (error) {
    db.close();
    throw error;
  }
  /** Prepared statements by SQL text; bounded, since a batch's last statement has any row count. */
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      if (prepared.size >= 32) prepared.clear();
      prepared.set(sql, (stmt = db.prepare(sql)));
    }
    return stmt;
  };
  // In key order, a batch's rows land series by series in the clustered table instead of hopping between pages.
  const insertBatch = db.transaction((rows: SampleRow[]) =>
    sampleInserts(rows.sort(byKey), sqlite).flatMap(({ sql, params }) => (statement(sql).all(...params) as StoredRow[]).map(storedSample)),
  );
  return { db, insertBatch };
}

const codeOf = (error: unknown): string | undefined => (error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined);
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function closeConnection(): void {
  const closing = connection;
  connection = null;
  try {
    closing?.db.close();
  } catch {
    // Closing a connection that met an I/O error may fail too; it is dropped either way, and the error that mattered was reported.
  }
}

/** At most one checkpoint a second: each copies the WAL into the file and syncs it (tens of ms), so under heavy ingest it runs once for many batches. */
const CHECKPOINT_EVERY_MS = 1_000;
let lastCheckpoint = 0;
let checkpointFailing = false;

function checkpoint(): void {
  if (!connection || Date.now() - lastCheckpoint < CHECKPOINT_EVERY_MS) return;
  lastCheckpoint = Date.now();
  try {
    // PASSIVE never waits for readers; what it cannot copy now is copied at the next checkpoint.
    connection.db.pragma("wal_checkpoint(PASSIVE)");
    if (checkpointFailing) port.postMessage({ checkpointError: null } satisfies WriterReply);
    checkpointFailing = false;
  } catch (error) {
    checkpointFailing = true;
    port.postMessage({ checkpointError: `${codeOf(error) ?? "error"}: ${messageOf(error)}` } satisfies WriterReply);
    if (!isSqliteLockError(codeOf(error))) closeConnection();
  }
}

let connection: Connection | null = null;
try {
  connection = open();
  port.postMessage({ ready: true } satisfies WriterReply);
} catch (error) {
  port.postMessage({ openError: messageOf(error), code: codeOf(error) } satisfies WriterReply);
}

port.on("message", (request: WriterRequest) => {
  if ("close" in request) {
    closeConnection();
    return port.close();
  }
  const { id, rows } = request;
  try {
    connection ??= open();
    port.postMessage({ id, stored: connection.insertBatch(rows) } satisfies WriterReply);
  } catch (error) {
    const code = codeOf(error);
    port.postMessage({ id, error: messageOf(error), code } satisfies WriterReply);
    if (!isSqliteLockError(code)) closeConnection();
  }
  checkpoint();
});
