/**
 * The simulator as a 1 Hz source: how much of one core does producing the whole
 * city (≈ 1,500 entities, several metrics each) every second take, and the
 * pipeline's per-sample validation on top?
 *
 * Loads: consecutive ticks of `simulateCity`, one simulated second apart, from a
 * weekday morning peak — once with no drill, once with all four scenarios at full
 * intensity — each bounded in ticks and wall time. Baseline, same run: a bare
 * generator that allocates the same number of sample objects of the same shape
 * (ids from a real tick, value from a cheap PRNG), i.e. the floor cost of the
 * stream itself. Validation: `ZSample.safeParse` over every sample of one tick,
 * exactly as server/pipeline.ts does, repeated. Finally the real per-tick load, measured
 * rather than summed: simulate a tick, then validate it, for consecutive ticks.
 */
import { ENTITIES } from "../lib/catalog";
import { ZSample, type TSample } from "../lib/realtime/protocol";
import { SCENARIO_IDS, SCENARIOS, type ActiveDrill } from "../lib/sim/scenarios";
import { simulateCity } from "../lib/sim/simulator";
import { seededRandom } from "../lib/random";
import { fmt, measure, pct, type Benchmark, type Measurement, type Row } from "./lib";

const SEED = 518_000;
/** Monday 23 Nov 2026, 08:30 in Shenzhen (UTC+8): the morning peak. */
const START_MS = Date.UTC(2026, 10, 23, 0, 30);
const TICK_MS = 1_000;
/** Share of one core the simulator plus validation may use at 1 Hz. */
const BUDGET = 0.25;

/** 600 simulated seconds per load, each also bounded in wall time: the whole run stays under ~20 s. */
const SIM_BOUNDS = { maxIterations: 600, maxWallMs: 5_000, warmup: 60 };
/** Validation's cost is mostly allocation, so GC: repeat it enough to average over collections. */
const VALIDATE_BOUNDS = { maxIterations: 1_000, maxWallMs: 4_000, warmup: 30 };
/** The baseline is cheap; run it longer in count so its CPU figure is not noise. */
const BASELINE_BOUNDS = { maxIterations: 6_000, maxWallMs: 1_500, warmup: 100 };

/** Every scenario, started so that the whole measured window is in its hold phase. */
function allDrills(): ActiveDrill[] {
  return SCENARIO_IDS.map((scenarioId) => {
    const s = SCENARIOS[scenarioId];
    const duration = s.defaultMinutes * 60_000;
    const startMs = START_MS - Math.ceil(s.rampIn * duration) - 60_000;
    return { id: `bench-${scenarioId}`, scenarioId, startMs, endMs: startMs + duration };
  });
}

/** The bare stream: the same objects a tick allocates, with no model behind them. */
function bareTick(template: readonly TSample[], ts: number, rand: () => number): TSample[] {
  const out: TSample[] = [];
  for (const s of template) out.push({ metricId: s.metricId, entityId: s.entityId, ts, value: Math.round(rand() * 10_000) / 100 });
  return out;
}

/** The pipeline's validate(), verbatim in effect: safeParse each sample, keep the parsed copies. */
function validate(input: readonly unknown[]): { valid: number; rejected: number } {
  const valid: TSample[] = [];
  let rejected = 0;
  input.forEach((raw) => {
    const parsed = ZSample.safeParse(raw);
    if (parsed.success) valid.push(parsed.data);
    else rejected++;
  });
  return { valid: valid.length, rejected };
}

interface Figures {
  label: string;
  samplesPerTick: number;
  m: Measurement;
  cpuMsPerTick: number;
  cpuUsPerSample: number;
}

function figures(label: string, samples: number, m: Measurement): Figures {
  const samplesPerTick = samples / Math.max(1, m.iterations);
  const cpuMsPerTick = m.cpuMs / Math.max(1, m.iterations);
  return { label, samplesPerTick, m, cpuMsPerTick, cpuUsPerSample: samplesPerTick === 0 ? 0 : (1000 * cpuMsPerTick) / samplesPerTick };
}

function row(f: Figures, baseline: Figures): Row {
  const wallS = f.m.wallMs / 1000;
  return {
    load: f.label,
    ticks: fmt(f.m.iterations, 0),
    "samples/tick": fmt(f.samplesPerTick, 0),
    "ticks/s": fmt(f.m.iterations / wallS, 0),
    "samples/s": fmt((f.samplesPerTick * f.m.iterations) / wallS, 0),
    "CPU ms/tick": fmt(f.cpuMsPerTick, 3),
    "CPU µs/sample": fmt(f.cpuUsPerSample, 3),
    "core @1 Hz": pct(f.cpuMsPerTick / TICK_MS, 2),
    "× baseline": `${fmt(f.cpuUsPerSample / baseline.cpuUsPerSample, 1)}×`,
    "p99 ms": fmt(f.m.p99Ms, 2),
    "GC pause ms": fmt(f.m.gcMs, 0),
  };
}

async function run() {
  const drills = allDrills();
  const template = simulateCity(SEED, START_MS);
  const entities = new Set(template.map((s) => s.entityId)).size;

  // Baseline first, while the heap is small and cold like the others'.
  const rand = seededRandom(SEED);
  let bareSamples = 0;
  const bare = await measure(BASELINE_BOUNDS, (i) => {
    const out = bareTick(template, START_MS + Math.max(0, i) * TICK_MS, rand);
    if (i >= 0) bareSamples += out.length;
    return out.length;
  });

  const simulate = async (active: readonly ActiveDrill[]) => {
    let samples = 0;
    const m = await measure(SIM_BOUNDS, (i) => {
      // Warm-up ticks (i < 0) lie before the window; measured ticks are consecutive seconds.
      const out = simulateCity(SEED, START_MS + i * TICK_MS, active);
      if (i >= 0) samples += out.length;
      return out.length + (out[out.length - 1]?.value ?? 0);
    });
    return { samples, m };
  };
  const calm = await simulate([]);
  const drilled = await simulate(drills);

  let validated = 0;
  let rejected = 0;
  const validation = await measure(VALIDATE_BOUNDS, (i) => {
    const r = validate(template);
    if (i >= 0) {
      validated += r.valid + r.rejected;
      rejected += r.rejected;
    }
    return r.valid;
  });

  let combinedSamples = 0;
  let combinedRejected = 0;
  const combined = await measure(SIM_BOUNDS, (i) => {
    const r = validate(simulateCity(SEED, START_MS + i * TICK_MS, drills));
    if (i >= 0) {
      combinedSamples += r.valid + r.rejected;
      combinedRejected += r.rejected;
    }
    return r.valid;
  });

  const baseline = figures("baseline: bare allocation", bareSamples, bare);
  const sims = [figures("simulateCity, no drill", calm.samples, calm.m), figures(`simulateCity, ${drills.length} drills`, drilled.samples, drilled.m)];
  const val = figures("validate (ZSample.safeParse)", validated, validation);
  const worst = sims.reduce((a, b) => (b.cpuMsPerTick > a.cpuMsPerTick ? b : a));
  const summedMsPerTick = worst.cpuMsPerTick + val.cpuMsPerTick;
  const both = figures(`simulate (${drills.length} drills) + validate`, combinedSamples, combined);
  const share = both.cpuMsPerTick / TICK_MS;

  const rows = [baseline, ...sims, val, both].map((f) => row(f, baseline));

  return {
    rows,
    verdicts: [
      {
        target: `simulate + validate at 1 Hz ≤ ${pct(BUDGET, 0)} of one core`,
        figure: `${fmt(both.cpuMsPerTick, 2)} ms CPU per tick = ${pct(share, 2)} of one core, ${fmt(BUDGET / share, 0)}× under budget (separately: simulate ≤ ${fmt(worst.cpuMsPerTick, 2)} ms + validate ${fmt(val.cpuMsPerTick, 2)} ms = ${fmt(summedMsPerTick, 2)} ms)`,
        pass: share <= BUDGET,
      },
    ],
    notes: [
      `${fmt(ENTITIES.length, 0)} catalog entities, ${fmt(entities, 0)} reporting in the no-drill tick; ticks are consecutive simulated seconds from ${new Date(START_MS).toISOString()} (08:30 Shenzhen).`,
      `CPU is process.cpuUsage() (user + system, all threads, GC included) over the loop; "core @1 Hz" = CPU ms per tick / 1000 ms; "× baseline" = CPU per sample / the bare allocation's CPU per sample.`,
      `validation ran over one no-drill tick ${fmt(validation.iterations, 0)} times; validate / simulate (no drill) CPU = ${fmt(val.cpuMsPerTick / (sims[0]?.cpuMsPerTick ?? 1), 2)}×; rejected ${rejected + combinedRejected}.`,
    ],
    data: {
      seed: SEED,
      startMs: START_MS,
      budget: BUDGET,
      bounds: { simulate: SIM_BOUNDS, validate: VALIDATE_BOUNDS, baseline: BASELINE_BOUNDS },
      drills,
      catalogEntities: ENTITIES.length,
      reportingEntities: entities,
      raw: Object.fromEntries([baseline, ...sims, val, both].map((f) => [f.label, { samplesPerTick: f.samplesPerTick, cpuMsPerTick: f.cpuMsPerTick, cpuUsPerSample: f.cpuUsPerSample, ...f.m }])),
      cpuMsPerTick: both.cpuMsPerTick,
      summedCpuMsPerTick: summedMsPerTick,
      shareOfOneCore: share,
    },
  };
}

export const simulatorBenchmark: Benchmark = {
  name: "simulator",
  summary: "the simulated city at 1 Hz — samples/s generated and CPU per tick, plus the pipeline's validation",
  run,
};
