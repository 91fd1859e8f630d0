/**
 * The writer thread (see sample-writer.ts): its own better-sqlite3 connection, one
 * transaction per batch, and the WAL checkpoint after it — all off the event loop
 * that sends frames.
 */
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { sqlite } from "@/lib/db/dialect";
import { byKey, sampleInserts, type SampleRow } from "@/lib/db/samples";

export type WriterRequest = { id: number; rows: SampleRow[] } | { close: true };
export type WriterReply = { id: number; inserted: number } | { id: number; error: string } | { ready: true };

const port = parentPort!;
const db = new Database((workerData as { databaseFile: string }).databaseFile);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = 5000");
// This thread checkpoints after each batch; SQLite's automatic checkpoint would run inside a COMMIT.
db.pragma("wal_autocheckpoint = 0");

/** Prepared statements by SQL text; bounded, since a batch's last statement has any row count. */
const prepared = new Map<string, Database.Statement>();
function statement(sql: string): Database.Statement {
  let stmt = prepared.get(sql);
  if (!stmt) {
    if (prepared.size >= 32) prepared.clear();
    prepared.set(sql, (stmt = db.prepare(sql)));
  }
  return stmt;
}

// In key order, a batch's rows land series by series in the clustered table instead of hopping between pages.
const insertBatch = db.transaction((rows: SampleRow[]) => sampleInserts(rows.sort(byKey), sqlite).reduce((sum, { sql, params }) => sum + statement(sql).run(...params).changes, 0));

/** At most one checkpoint a second: each copies the WAL into the file and syncs it (tens of ms), so under heavy ingest it runs once for many batches. */
const CHECKPOINT_EVERY_MS = 1_000;
let lastCheckpoint = 0;

port.on("message", (request: WriterRequest) => {
  if ("close" in request) {
    db.close();
    return port.close();
  }
  const { id, rows } = request;
  let reply: WriterReply;
  try {
    reply = { id, inserted: insertBatch(rows) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
  // PASSIVE never waits for readers; what it cannot copy now is copied at the next checkpoint.
  if (Date.now() - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
    db.pragma("wal_checkpoint(PASSIVE)");
    lastCheckpoint = Date.now();
  }
});

port.postMessage({ ready: true } satisfies WriterReply);
