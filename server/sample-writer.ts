/**
 * The side server's one writer of samples. better-sqlite3 is synchronous, so a batch's
 * transaction (and SQLite's WAL checkpoint inside its COMMIT) would hold the event loop
 * that sends frames for tens to hundreds of milliseconds (bench: `writes`). The writer
 * runs in a worker thread with its own connection; a batch is acknowledged when the
 * worker replies after COMMIT, exactly as before.
 */
import { Worker } from "node:worker_threads";
import type { SampleRow } from "@/lib/db/samples";
import type { WriterReply, WriterRequest } from "./sample-writer-worker";

export interface SampleWriter {
  /** Writes the rows in one transaction; resolves to how many were new once committed. */
  insert(rows: readonly SampleRow[]): Promise<number>;
  /**
   * Shutdown has begun: a batch still failing `graceMs` from now is given up (its insert
   * rejects, so nothing of it is acknowledged) instead of being retried. A no-op for this
   * SQLite writer, which never retries.
   */
  shutdown(graceMs: number): void;
  /** Closes the connection after every batch already sent is written. */
  close(): Promise<void>;
}

const WORKER_URL = new URL("./sample-writer-worker.ts", import.meta.url).href;
// The worker is TypeScript: tsx loads it whether this process runs under tsx, vitest or plain node.
const BOOTSTRAP = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(WORKER_URL)}, ${JSON.stringify(import.meta.url)}))`;

export async function startSampleWriter(databaseFile: string): Promise<SampleWriter> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { databaseFile } });
  const waiting = new Map<number, { resolve: (inserted: number) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;

  await new Promise<void>((resolve, reject) => {
    worker.on("message", (reply: WriterReply) => {
      if ("ready" in reply) return resolve();
      const entry = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ("error" in reply) entry?.reject(new Error(reply.error));
      else entry?.resolve(reply.inserted);
    });
    // A dead writer fails every batch waiting on it and every later one: the pipeline reports them, nothing is acknowledged.
    const fail = (error: Error) => {
      failure = error;
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
      reject(error);
    };
    worker.once("error", fail);
    worker.once("exit", (code) => fail(new Error(`sample writer exited (code ${code})`)));
  });

  const send = (request: WriterRequest) => worker.postMessage(request);
  return {
    insert(rows) {
      if (failure) return Promise.reject(failure);
      if (rows.length === 0) return Promise.resolve(0);
      const id = nextId++;
      return new Promise<number>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        send({ id, rows: [...rows] });
      });
    },
    shutdown() {},
    async close() {
      if (failure) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      send({ close: true });
      await exited;
    },
  };
}
