/** When /healthz says degraded and /readyz not ready, and why: the pure reading of the side server's figures (server/health.ts). */
import { describe, expect, it } from "vitest";
import { healthProblems, readiness, type HealthInputs, type ReadinessInputs } from "../health";

const NOW = Date.UTC(2026, 11, 3, 2, 0, 0);
const calm: HealthInputs = {
  database: { reachable: true },
  writer: { failingSince: null, error: null, checkpointFailingSince: null },
  stats: { queued: 0, waitingSince: null, lastPersistAt: NOW - 800 },
  now: NOW,
  simulating: true,
  startedAt: NOW - 600_000,
  systemClockOffsetMs: 0,
  backfill: null,
};
const whats = (change: Partial<HealthInputs>) => healthProblems({ ...calm, ...change }).map((p) => p.what);

describe("health problems", () => {
  it("none on a calm day", () => {
    expect(healthProblems(calm)).toEqual([]);
  });

  it.each<[string, Partial<HealthInputs>, RegExp]>([
    ["the database unreachable", { database: { reachable: false, error: "connect ECONNREFUSED" } }, /^database unreachable: connect ECONNREFUSED$/],
    ["writes failing", { writer: { failingSince: NOW - 9_000, error: "SQLITE_READONLY: attempt to write a readonly database", checkpointFailingSince: null } }, /^sample writes failing, retried until they succeed: SQLITE_READONLY/],
    ["the checkpoint failing", { writer: { failingSince: null, error: null, checkpointFailingSince: NOW - 3_000, checkpointError: "SQLITE_IOERR_WRITE: disk I/O error" } }, /^WAL checkpoint failing \(SQLITE_IOERR_WRITE/],
    ["a sample waiting 6 s", { stats: { queued: 2_797, waitingSince: NOW - 6_000, lastPersistAt: NOW - 6_000 } }, /^2797 samples waiting to be written, the oldest for 6 s$/],
    ["nothing stored for 11 s while simulating", { stats: { queued: 0, waitingSince: null, lastPersistAt: NOW - 11_000 } }, /^nothing stored for 11 s while the simulator runs$/],
    ["the system clock set back 10 min", { systemClockOffsetMs: -600_000 }, /^the system clock was set back by 600 s since start/],
    ["the live window still being filled", { backfill: { filled: 120, total: 3_120, windowFilled: false } }, /^filling simulated history into the empty database: 120 of 3120 instants/],
  ])("%s", (_, change, what) => {
    expect(whats(change)).toEqual([expect.stringMatching(what)]);
  });

  it("not for what is normal: a sample waiting 4 s, nothing stored while not simulating, a clock slewed by 1 s, history filled in behind a whole window", () => {
    expect(whats({ stats: { queued: 100, waitingSince: NOW - 4_000, lastPersistAt: NOW - 4_000 } })).toEqual([]);
    expect(whats({ simulating: false, stats: { queued: 0, waitingSince: null, lastPersistAt: null } })).toEqual([]);
    expect(whats({ systemClockOffsetMs: 1_000 })).toEqual([]);
    expect(whats({ backfill: { filled: 1_000, total: 3_120, windowFilled: true } })).toEqual([]);
  });

  it("says since when", () => {
    const [problem] = healthProblems({ ...calm, writer: { failingSince: NOW - 9_000, error: "x", checkpointFailingSince: null } });
    expect(problem?.since).toBe(new Date(NOW - 9_000).toISOString());
  });
});

describe("readiness (/readyz)", () => {
  const serving: ReadinessInputs = { migrated: true, backfill: null, databaseReachable: true, queued: 0, maxQueued: 1_000 };
  const verdict = (change: Partial<ReadinessInputs>) => readiness({ ...serving, ...change });

  it("ready when migrated, the window whole and samples taken, whether or not the database answers now", () => {
    expect(verdict({})).toMatchObject({ ready: true, reasons: [] });
    // An outage being ridden out: writes wait in the queue, which has room.
    expect(verdict({ databaseReachable: false, queued: 999 })).toMatchObject({ ready: true, reasons: [], checks: { database: "unreachable", writeQueue: { samples: 999, max: 1_000, refusing: false } } });
    expect(verdict({ backfill: { filled: 900, total: 3_120, windowFilled: true } })).toMatchObject({ ready: true });
  });

  it.each<[string, Partial<ReadinessInputs>, string]>([
    ["the queue full during an outage", { databaseReachable: false, queued: 1_000 }, "write queue full (1000 of PERSIST_QUEUE_MAX_SAMPLES=1000): new samples are refused; the database is unreachable"],
    ["the queue full with the database answering (writes slower than what comes in)", { queued: 1_000 }, "write queue full (1000 of PERSIST_QUEUE_MAX_SAMPLES=1000): new samples are refused"],
    ["the live window still being filled", { backfill: { filled: 120, total: 3_120, windowFilled: false } }, "filling the live window with simulated history"],
    ["migrations not applied", { migrated: false }, "migrations not applied"],
  ])("not ready with %s, and says so", (_name, change, reason) => {
    expect(verdict(change)).toMatchObject({ ready: false, reasons: [reason] });
  });
});
