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
