/**
 * The side server's one writer of samples. better-sqlite3 is synchronous, so a batch's
 * transaction (and SQLite's WAL checkpoint inside its COMMIT) would hold the event loop
 * that sends frames for tens to hundreds of milliseconds (bench: `writes`). The writer
 * runs in a worker thread with its own connection; a batch is acknowledged when the
 * worker replies after COMMIT.
 *
 * A failed write is the disk's or another process's doing far more often than ours: a lock
 * held by someone's `BEGIN EXCLUSIVE`, a read-only or immutable file, a full disk, an I/O
 * error. Such a batch is retried with backoff until it commits (server/write-retry.ts, as
 * on PostgreSQL), the thread opening its connection anew after each failure and being
 * started again should it ever end; only an error in the statement itself fails the batch.
 */
import { Worker } from "node:worker_threads";
import { isTransientSqliteError, type Backoff } from "@/lib/db/retry";
import type { SampleRow } from "@/lib/db/samples";
import type { TSample } from "@/lib/realtime/protocol";
import type { WriterReply, WriterRequest } from "./sample-writer-worker";
import { createWriteRetry, type WriteHealth } from "./write-retry";
import { type Log } from "@/lib/log";

export interface SampleWriter {
  /** Writes the rows in one transaction; resolves, once committed, to the rows that were new, as stored. */
  insert(rows: readonly SampleRow[]): Promise<TSample[]>;
  /**
   * Shutdown has begun: a batch still failing `graceMs` from now is given up (its insert
   * rejects, so nothing of it is acknowledged) instead of being retried.
   */
  shutdown(graceMs: number): void;
  /** Since when writes fail and why; since when the WAL cannot be copied into the file (SQLite). */
  health(): WriterHealth;
  /** Closes the connection after every batch already sent is written. */
  close(): Promise<void>;
}

export interface WriterHealth extends WriteHealth {
  checkpointFailingSince: number | null;
  checkpointError?: string;
}

/** A failed write as the thread reported it, with SQLite's code (SQLITE_BUSY, SQLITE_READONLY, …). */
export class SqliteWriteError extends Error {
  override name = "SqliteWriteError";
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(code ? `${code}: ${message}` : message);
  }
}

/**
 * The writer thread's code. Compiled (`npm run build`), this module is inside a bundle in dist/
 * and the worker is dist/sample-writer-worker.js beside it, plain JavaScript (a deployment has no
 * tsx). From source the worker is TypeScript, which tsx loads whether this process runs under
 * tsx, vitest or plain node.
 */
function newWorkerThread(workerData: { databaseFile: string }): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./sample-writer-worker.js", import.meta.url), { workerData });
  const source = new URL("./sample-writer-worker.ts", import.meta.url).href;
  const bootstrap = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { eval: true, workerData });
}

interface Thread {
  write(rows: SampleRow[]): Promise<TSample[]>;
  close(): Promise<void>;
}

export interface SqliteWriterOptions {
  log: Log;
  backoff?: Backoff;
}

export async function startSampleWriter(databaseFile: string, options: SqliteWriterOptions): Promise<SampleWriter> {
  const retry = createWriteRetry({ ...options, name: "SQLite", isTransient: (error) => !(error instanceof SqliteWriteError) || isTransientSqliteError(error.code) });
  const checkpoint = { failingSince: null as number | null, error: "" };
  let thread: Thread | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();

  /** Starts the thread; rejects if its connection cannot be opened. */
  function startThread(): Promise<Thread> {
    const worker = newWorkerThread({ databaseFile });
    const waiting = new Map<number, { resolve: (stored: TSample[]) => void; reject: (error: Error) => void }>();
    let nextId = 0;
    let closing = false;
    return new Promise<Thread>((resolve, reject) => {
      // A thread that ends fails what waits on it (to be retried, on a new thread) and is forgotten.
      const ended = (error: Error) => {
        if (thread === self) thread = null;
        for (const entry of waiting.values()) entry.reject(error);
        waiting.clear();
        reject(error);
        if (!closing) options.log.error({ err: error }, "SQLite writer thread ended; it starts again with the next batch");
      };
      const self: Thread = {
        write(rows) {
          const id = nextId++;
          return new Promise<TSample[]>((resolveWrite, rejectWrite) => {
            waiting.set(id, { resolve: resolveWrite, reject: rejectWrite });
            worker.postMessage({ id, rows } satisfies WriterRequest);
          });
        },
        async close() {
          closing = true;
          const exited = new Promise<void>((done) => worker.once("exit", () => done()));
          worker.postMessage({ close: true } satisfies WriterRequest);
          await exited;
        },
      };
      worker.on("message", (reply: WriterReply) => {
        if ("ready" in reply) return resolve(self);
        if ("openError" in reply) {
          closing = true;
          void worker.terminate();
          return reject(new SqliteWriteError(`cannot open ${databaseFile}: ${reply.openError}`, reply.code));
        }
        if ("checkpointError" in reply) return noteCheckpoint(reply.checkpointError);
        const entry = waiting.get(reply.id);
        waiting.delete(reply.id);
        if ("error" in reply) entry?.reject(new SqliteWriteError(reply.error, reply.code));
        else entry?.resolve(reply.stored);
      });
      worker.once("error", ended);
      worker.once("exit", (code) => ended(new Error(`sample writer thread exited (code ${code})`)));
    });
  }

  function noteCheckpoint(error: string | null): void {
    if (error === null) {
      if (checkpoint.failingSince !== null) options.log.warn("SQLite checkpoint recovered: the WAL is copied into the database file again");
      checkpoint.failingSince = null;
      return;
    }
    if (checkpoint.failingSince === null) options.log.error({ error }, "SQLite checkpoint failed: writes go on into the WAL, which grows until the file takes them again");
    checkpoint.failingSince ??= Date.now();
    checkpoint.error = error;
  }

  async function writeOnce(rows: SampleRow[]): Promise<TSample[]> {
    thread ??= await startThread();
    return thread.write(rows);
  }

  thread = await startThread(); // fail at start, not at the first batch, when the file cannot be opened

  return {
    insert(rows) {
      if (rows.length === 0) return Promise.resolve([]);
      const result = retry.run(rows.length, () => writeOnce([...rows]));
      inFlight = result.catch(() => undefined);
      return result;
    },
    shutdown: retry.shutdown,
    health: () => ({
      ...retry.health(),
      checkpointFailingSince: checkpoint.failingSince,
      ...(checkpoint.failingSince !== null ? { checkpointError: checkpoint.error } : {}),
    }),
    async close() {
      retry.shutdown(0);
      await inFlight;
      await thread?.close();
      thread = null;
    },
  };
}
