/**
 * When the side server is degraded, and why: a pure reading of the figures it keeps, so
 * /healthz can never say "ok" while samples are not reaching the disk. Each problem says
 * since when, as the operator's first question is "how long has this been going on?".
 */
import type { BackfillProgress } from "./backfill";
import type { HealthProblem } from "./http";
import type { PipelineStats } from "./pipeline";
import type { WriterHealth } from "./sample-writer";

/** A sample accepted this long ago and still not written means writes are stuck, whatever the writer says. */
export const STUCK_AFTER_MS = 5_000;
/** With the simulator running, a tick is stored every second: this long without one is not normal. */
export const SILENT_AFTER_MS = 10_000;

export interface HealthInputs {
  database: { reachable: boolean; error?: string };
  writer: WriterHealth;
  stats: Pick<PipelineStats, "queued" | "waitingSince" | "lastPersistAt">;
  now: number;
  /** This instance runs the simulator (enabled, and the leader): something should be stored every tick. */
  simulating: boolean;
  startedAt: number;
  /** How far the system clock has been stepped since start (server/steady-clock.ts). */
  systemClockOffsetMs: number;
  /** Simulated history being filled into an empty database, or null. */
  backfill: BackfillProgress | null;
}

/** A step of the system clock this large is reported (NTP slews smaller errors away unnoticed). */
export const CLOCK_STEP_REPORTED_MS = 2_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export function healthProblems(h: HealthInputs): HealthProblem[] {
  const problems: HealthProblem[] = [];
  if (!h.database.reachable) problems.push({ what: `database unreachable: ${h.database.error ?? "no answer"}`, since: null });
  if (h.writer.failingSince !== null) problems.push({ what: `sample writes failing, retried until they succeed: ${h.writer.error}`, since: iso(h.writer.failingSince) });
  if (h.writer.checkpointFailingSince !== null) {
    problems.push({ what: `WAL checkpoint failing (${h.writer.checkpointError}): writes go on into the WAL, which grows`, since: iso(h.writer.checkpointFailingSince) });
  }
  // Not ready until the live window is whole: `npm start` opens the wall only then.
  if (h.backfill && !h.backfill.windowFilled) {
    problems.push({ what: `filling simulated history into the empty database: ${h.backfill.filled} of ${h.backfill.total} instants (the live window first)`, since: iso(h.startedAt) });
  }
  const { queued, waitingSince, lastPersistAt } = h.stats;
  if (waitingSince !== null && h.now - waitingSince > STUCK_AFTER_MS) {
    problems.push({ what: `${queued} samples waiting to be written, the oldest for ${seconds(h.now - waitingSince)}`, since: iso(waitingSince) });
  }
  const lastStored = lastPersistAt ?? h.startedAt;
  if (h.simulating && h.now - lastStored > SILENT_AFTER_MS) {
    problems.push({ what: `nothing stored for ${seconds(h.now - lastStored)} while the simulator runs`, since: iso(lastStored) });
  }
  const offset = h.systemClockOffsetMs;
  if (Math.abs(offset) > CLOCK_STEP_REPORTED_MS) {
    problems.push({
      what: `the system clock was set ${offset < 0 ? "back" : "forward"} by ${seconds(Math.abs(offset))} since start: the source clock keeps its pace (the wall keeps moving); restart the side server to follow the system clock`,
      since: null,
    });
  }
  return problems;
}

export interface ReadinessInputs {
  /** Every migration applied: the server listens only after that, so a probe answered says yes. */
  migrated: boolean;
  /** Simulated history being filled into the empty database, or null. */
  backfill: BackfillProgress | null;
  /** Whether `SELECT 1` answered within the probe's time (null: not asked). */
  databaseReachable: boolean;
  queued: number;
  maxQueued: number;
}

export interface Readiness {
  ready: boolean;
  /** Why not, one sentence each; empty when ready. */
  reasons: string[];
  checks: { migrated: boolean; windowFilled: boolean; database: "reachable" | "unreachable"; writeQueue: { samples: number; max: number; refusing: boolean } };
}

/**
 * Whether this side server can serve: migrated, its live window whole, and taking samples.
 * A database outage alone does not make it unready: it is built to ride one out (walls are
 * served from memory, samples wait in the bounded queue and are retried), and every
 * instance shares the one database, so a load balancer turning them all away would black
 * out every wall for nothing. It is unready once the queue is full and samples are refused,
 * which an outage reaches in time; that is the truth a monitor must see.
 */
export function readiness(r: ReadinessInputs): Readiness {
  const windowFilled = !r.backfill || r.backfill.windowFilled;
  const refusing = r.queued >= r.maxQueued;
  const reasons: string[] = [];
  if (!r.migrated) reasons.push("migrations not applied");
  if (!windowFilled) reasons.push("filling the live window with simulated history");
  if (refusing) {
    reasons.push(`write queue full (${r.queued} of PERSIST_QUEUE_MAX_SAMPLES=${r.maxQueued}): new samples are refused` + (r.databaseReachable ? "" : "; the database is unreachable"));
  }
  return {
    ready: reasons.length === 0,
    reasons,
    checks: { migrated: r.migrated, windowFilled, database: r.databaseReachable ? "reachable" : "unreachable", writeQueue: { samples: r.queued, max: r.maxQueued, refusing } },
  };
}
