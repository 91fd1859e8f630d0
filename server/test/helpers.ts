/** Test helpers that boot the real side server and connect real socket.io clients. */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { DOMAINS, ENTITIES, METRICS, type Domain, type EntityKind } from "@/lib/catalog";
import { ZServerEnv, parseEnv, type DatabaseTarget, type Provider } from "@/lib/config";
import type { Database as Db } from "@/lib/db/client";
import { dialectOf } from "@/lib/db/dialect";
import { createTestDatabase } from "@/lib/db/test-databases";
import {
  Event,
  PROTOCOL_VERSION,
  ZDrillState,
  ZFrame,
  seriesKey,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type TDrillState,
  type TFrame,
  type THelloReply,
  type TLevel,
} from "@/lib/realtime/protocol";
import { silentLogger } from "@/lib/log";
import { startSideServer, type SideServer } from "../app";

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "onescreen-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Boots the real side server on a free port with its database in `dir` (or the one `env`'s
 * DATABASE_URL names); `now` is the wall clock it reads (default Date.now), `monotonicNow` the
 * monotonic one its steady clock advances by (move it to make time pass). `dir` is also its
 * working directory, so with PostgreSQL its state (./data) stays in the test's folder.
 */
export async function bootSideServer(dir: string, env: Record<string, string> = {}, now: () => number = Date.now, monotonicNow?: () => number): Promise<SideServer> {
  // No simulated history unless a test asks (SIM_BACKFILL_HOURS): it is seconds of background work on every fresh database.
  const config = parseEnv(ZServerEnv, { REALTIME_PORT: "0", REALTIME_HOST: "127.0.0.1", DATABASE_URL: `file:${join(dir, "test.db")}`, SIM_BACKFILL_HOURS: "0", ...env });
  return startSideServer(config, { cwd: dir, now, monotonicNow, log: silentLogger() });
}

/** DATABASE_URL for a target. */
export const databaseUrl = (target: DatabaseTarget): string => (target.provider === "sqlite" ? `file:${target.file}` : target.url);

/** A new database of `provider` for a side server under test: `env` to boot it with, `drop` to delete it. */
export async function sideServerDatabase(provider: Provider, label: string): Promise<{ env: { DATABASE_URL: string }; drop(): Promise<void> }> {
  const created = await createTestDatabase(provider, label);
  return { env: { DATABASE_URL: databaseUrl(created.target) }, drop: created.drop };
}

/**
 * Rows of a read through a side server's own client, in either database: `?` placeholders,
 * quoted identifiers; DateTime values come back as epoch milliseconds and big integers as
 * numbers, so assertions read the same on SQLite and PostgreSQL. `time` wraps a `?` that
 * is compared with a DateTime column.
 */
export async function queryRows<T>(db: Db, sql: (time: (placeholder: string) => string) => string, ...params: unknown[]): Promise<T[]> {
  const d = dialectOf(db);
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(d.sql(sql(d.time)), ...params);
  return rows.map(
    (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.getTime() : typeof v === "bigint" ? Number(v) : v])) as T,
  );
}

/** As waitFor, with an asynchronous check (a database read). */
export async function waitForAsync<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A socket.io client connected to the local `port` (a side server, or a proxy before some); `options` over the defaults (WebSocket only, no reconnection). */
export async function connect(port: number, options: Partial<ManagerOptions & SocketOptions> = {}): Promise<TestClient> {
  const socket: TestClient = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false, forceNew: true, ...options });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Says hello; `level` and `scope` are left out of the message when not given, so the server's defaults apply. */
export function hello(socket: TestClient, domains: readonly Domain[] = DOMAINS, protocolVersion = PROTOCOL_VERSION, level?: TLevel, scope?: string): Promise<THelloReply> {
  return socket.timeout(5_000).emitWithAck(Event.hello, { protocolVersion, domains: [...domains], ...(level ? { level } : {}), ...(scope ? { scope } : {}) });
}

/** Collects validated frames until `ms` have passed. */
export function collectFrames(socket: TestClient, ms: number): Promise<TFrame[]> {
  const frames: TFrame[] = [];
  const onFrame = (raw: unknown) => frames.push(ZFrame.parse(raw));
  socket.on(Event.frame, onFrame);
  return new Promise((resolve) =>
    setTimeout(() => {
      socket.off(Event.frame, onFrame);
      resolve(frames);
    }, ms),
  );
}

/** Records every validated frame and drill message from the moment it is called. */
export function record(socket: TestClient): { frames: TFrame[]; drills: TDrillState[]; stop(): void } {
  const frames: TFrame[] = [];
  const drills: TDrillState[] = [];
  const onFrame = (raw: unknown) => frames.push(ZFrame.parse(raw));
  const onDrills = (raw: unknown) => drills.push(ZDrillState.parse(raw));
  socket.on(Event.frame, onFrame);
  socket.on(Event.drills, onDrills);
  return {
    frames,
    drills,
    stop() {
      socket.off(Event.frame, onFrame);
      socket.off(Event.drills, onDrills);
    },
  };
}

/** Resolves with the first value `check` returns (polled every 50 ms); rejects with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `read` against the SQLite file opened read-only, closing it afterwards. */
export function readDb<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The (metric, entity) series keys the catalog defines for the given domains and entity kinds. */
export function expectedSeries(domains: readonly Domain[], kinds: readonly EntityKind[]): Set<string> {
  const keys = new Set<string>();
  for (const metric of METRICS) {
    if (!domains.includes(metric.domain)) continue;
    for (const entity of ENTITIES) {
      if (kinds.includes(entity.kind) && (metric.entityKinds as readonly EntityKind[]).includes(entity.kind)) keys.add(seriesKey(metric.id, entity.id));
    }
  }
  return keys;
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One HTTP request to the side server; `body` is sent as is when a string, else as JSON. */
export async function api(
  port: number,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; contentType?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}
