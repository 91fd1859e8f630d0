/**
 * The simulated Shenzhen: every catalog metric for every entity at one instant —
 * roads, car parks, health institutions and access nodes first, then each district
 * aggregated from its entities and the city from its districts, so every sum adds
 * up. A pure function of (seed, time, drills): no state, no clock, no I/O, so the
 * stream is reproducible sample for sample and any instant can be computed directly.
 */
import { CITY_ID, DISTRICTS, ENTITIES, ROADS, metricById, type District, type DistrictProfile, type EntityDefinition, type MetricId } from "../catalog";
import type { TSample } from "../realtime/protocol";
import { smoothNoise, steppedUniform } from "./noise";
import { broadbandDemand, clinicDemand, homePresence, officePresence, shenzhenLocalTime, trafficDemand, type LocalTime } from "./rhythm";
import { effectsAt, type ActiveDrill, type Effects } from "./scenarios";

const MINUTE = 60_000;

const congestionProfile: Record<DistrictProfile, { base: number; peak: number }> = {
  cbd: { base: 1.6, peak: 5.6 },
  residential: { base: 1.4, peak: 4.9 },
  mixed: { base: 1.1, peak: 3.6 },
  coastal: { base: 0.7, peak: 2.4 },
};

const entitiesByDistrict = new Map<string, { lots: EntityDefinition[]; institutions: EntityDefinition[]; nodes: EntityDefinition[] }>(
  DISTRICTS.map((d) => [
    d.id,
    {
      lots: ENTITIES.filter((e) => e.kind === "lot" && e.districtId === d.id),
      institutions: ENTITIES.filter((e) => (e.kind === "hospital" || e.kind === "healthCentre") && e.districtId === d.id),
      nodes: ENTITIES.filter((e) => e.kind === "accessNode" && e.districtId === d.id),
    },
  ]),
);

/** A stable rank in [0, 1) per entity, so an outage share cuts off the same entities throughout a drill. */
const outageRank = new Map(ENTITIES.map((e) => [e.id, steppedUniform(1, `rank:${e.id}`, 0, 1)]));

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function rounded(metricId: MetricId, value: number): number {
  const f = 10 ** (metricById(metricId)?.decimals ?? 2);
  return Math.round(value * f) / f;
}

function parkingFill(profile: DistrictProfile, t: LocalTime): number {
  switch (profile) {
    case "cbd":
      return 0.22 + 0.72 * officePresence(t);
    case "residential":
      return 0.26 + 0.62 * homePresence(t);
    case "mixed":
      return 0.3 + 0.3 * officePresence(t) + 0.3 * homePresence(t);
    case "coastal":
      return 0.35 + 0.25 * trafficDemand(t);
  }
}

interface Context {
  seed: number;
  timeMs: number;
  t: LocalTime;
  effects: Effects;
  out: TSample[];
}

function emit(ctx: Context, metricId: MetricId, entityId: string, value: number): number {
  const v = rounded(metricId, value);
  ctx.out.push({ metricId, entityId, ts: ctx.timeMs, value: v });
  return v;
}

const noise = (ctx: Context, key: string, periodMs: number) => smoothNoise(ctx.seed, key, ctx.timeMs, periodMs);
const stepped = (ctx: Context, key: string, periodMs: number) => steppedUniform(ctx.seed, key, ctx.timeMs, periodMs);

function districtCongestion(ctx: Context, d: District): number {
  const profile = congestionProfile[d.profile];
  const normal = profile.base + profile.peak * trafficDemand(ctx.t) * (1 + 0.12 * noise(ctx, `${d.id}:tpi`, 7 * MINUTE)) + 0.25 * noise(ctx, `${d.id}:tpi-fast`, MINUTE / 2);
  return clamp(normal + (ctx.effects.districtCongestion.get(d.id) ?? 0), 0, 10);
}

function speedFor(ctx: Context, congestion: number, freeFlow: number, key: string): number {
  return clamp((freeFlow - 4.4 * congestion + 2 * noise(ctx, key, MINUTE)) * ctx.effects.speedFactor, 3, 120);
}

function simulateRoads(ctx: Context, congestionByDistrict: Map<string, number>): void {
  const demand = trafficDemand(ctx.t);
  for (const road of ROADS) {
    const around = road.districts.reduce((sum, id) => sum + (congestionByDistrict.get(id) ?? 0), 0) / road.districts.length;
    const congestion = clamp(around * (0.85 + 0.1 * road.lanes / 4) + 0.6 * noise(ctx, `${road.id}:tpi`, 4 * MINUTE) + (ctx.effects.roadCongestion.get(road.id) ?? 0), 0, 10);
    const c = emit(ctx, "traffic.congestionIndex", road.id, congestion);
    emit(ctx, "traffic.avgSpeed", road.id, speedFor(ctx, c, road.lanes >= 4 ? 72 : 58, `${road.id}:speed`));
    // Past severe congestion a road carries less, not more (capacity drop).
    const jam = c >= 8 ? 0.55 : 1;
    emit(ctx, "traffic.flow", road.id, road.lanes * 2 * 1_600 * (0.08 + 0.85 * demand) * ctx.effects.flowFactor * jam * (1 + 0.05 * noise(ctx, `${road.id}:flow`, 3 * MINUTE)));
  }
}

function simulateDistrictTraffic(ctx: Context, d: District, congestion: number): void {
  const c = emit(ctx, "traffic.congestionIndex", d.id, congestion);
  emit(ctx, "traffic.avgSpeed", d.id, speedFor(ctx, c, d.profile === "coastal" ? 64 : 58, `${d.id}:speed`));
  emit(ctx, "traffic.flow", d.id, d.populationTenK * 120 * (0.15 + trafficDemand(ctx.t)) * ctx.effects.flowFactor * (1 + 0.05 * noise(ctx, `${d.id}:flow`, 3 * MINUTE)));
  const base = Math.floor((d.populationTenK / 70) * (0.3 + trafficDemand(ctx.t)) * 2 * stepped(ctx, `${d.id}:incidents`, 5 * MINUTE));
  emit(ctx, "traffic.incidents", d.id, base + (ctx.effects.incidents.get(d.id) ?? 0));
}

/** Occupied and total spaces of a district's online lots: the city occupancy is their ratio. */
interface ParkingTotals {
  occupied: number;
  capacity: number;
}

function simulateParking(ctx: Context, d: District, lots: EntityDefinition[]): ParkingTotals {
  let occupied = 0;
  let capacity = 0;
  let online = 0;
  for (const lot of lots) {
    // A lot that is offline this minute reports nothing, as a real one would.
    if (stepped(ctx, `${lot.id}:offline`, 10 * MINUTE) < 0.004) continue;
    const spaces = lot.capacity ?? 0;
    const fill = clamp(parkingFill(lot.profile ?? d.profile, ctx.t) + 0.06 * noise(ctx, `${lot.id}:fill`, 12 * MINUTE) + (ctx.effects.parkingFill.get(d.id) ?? 0), 0.01, 1);
    const taken = Math.round(fill * spaces);
    emit(ctx, "parking.freeSpaces", lot.id, spaces - taken);
    emit(ctx, "parking.occupancy", lot.id, (100 * taken) / spaces);
    occupied += taken;
    capacity += spaces;
    online++;
  }
  emit(ctx, "parking.freeSpaces", d.id, capacity - occupied);
  emit(ctx, "parking.occupancy", d.id, capacity === 0 ? 0 : (100 * occupied) / capacity);
  emit(ctx, "parking.lotsOnline", d.id, online);
  return { occupied, capacity };
}

/** A district's lasting character (older clinics, an older fibre plant), stable for a seed: districts differ, and stay different. */
const character = (ctx: Context, d: District, key: string) => steppedUniform(ctx.seed, `${d.id}:${key}`, 0, Number.MAX_SAFE_INTEGER);

function simulateHealth(ctx: Context, d: District, institutions: EntityDefinition[]): void {
  const clinic = clinicDemand(ctx.t) * ctx.effects.clinicFactor * (0.7 + 0.6 * character(ctx, d, "clinic-pressure"));
  const outage = ctx.effects.institutionOutage.get(d.id) ?? 0;
  let connected = 0;
  let visits = 0;
  let waitWeighted = 0;
  for (const inst of institutions) {
    const down = (outageRank.get(inst.id) ?? 1) < outage || stepped(ctx, `${inst.id}:offline`, 15 * MINUTE) < 0.003;
    emit(ctx, "health.connected", inst.id, down ? 0 : 1);
    // Cut off from the network, an institution reports nothing else.
    if (down) continue;
    connected++;
    const capacity = inst.capacity ?? 0;
    const v = emit(ctx, "health.visits", inst.id, capacity * 0.4 * clinic * (1 + 0.1 * noise(ctx, `${inst.id}:visits`, 5 * MINUTE)) * (ctx.effects.visitsFactor.get(inst.id) ?? 1));
    const load = capacity === 0 ? 0 : v / capacity;
    const w = emit(ctx, "health.waitMinutes", inst.id, clamp((8 + 55 * load + 4 * noise(ctx, `${inst.id}:wait`, 6 * MINUTE)) * (ctx.effects.waitFactor.get(inst.id) ?? 1), 0, 240));
    visits += v;
    waitWeighted += w * v;
  }
  emit(ctx, "health.connected", d.id, connected);
  emit(ctx, "health.visits", d.id, visits);
  emit(ctx, "health.waitMinutes", d.id, visits === 0 ? 0 : waitWeighted / visits);
}

function simulateBroadband(ctx: Context, d: District, nodes: EntityDefinition[]): void {
  const demand = broadbandDemand(ctx.t) + ctx.effects.broadbandDemand;
  const plant = 0.85 + 0.3 * character(ctx, d, "fibre-plant");
  const outage = ctx.effects.nodeOutage.get(d.id) ?? 0;
  let households = 0;
  let onlineHouseholds = 0;
  let speedWeighted = 0;
  let online = 0;
  for (const node of nodes) {
    const homes = node.capacity ?? 0;
    households += homes;
    if ((outageRank.get(node.id) ?? 1) < outage || stepped(ctx, `${node.id}:offline`, 20 * MINUTE) < 0.002) continue;
    const speed = emit(ctx, "broadband.downloadMbps", node.id, clamp(330 * plant * (1 - 0.3 * demand) + 15 * noise(ctx, `${node.id}:download`, 2 * MINUTE), 1, 2_000));
    online++;
    onlineHouseholds += homes;
    speedWeighted += speed * homes;
  }
  emit(ctx, "broadband.downloadMbps", d.id, onlineHouseholds === 0 ? 0 : speedWeighted / onlineHouseholds);
  emit(ctx, "broadband.backboneTbps", d.id, (onlineHouseholds / 10_000) * 0.012 * demand * (1 + 0.06 * noise(ctx, `${d.id}:backbone`, 3 * MINUTE)));
  emit(ctx, "broadband.ftthHouseholds", d.id, households / 10_000);
  emit(ctx, "broadband.nodesOnline", d.id, online);
  emit(ctx, "broadband.outages", d.id, Math.floor(stepped(ctx, `${d.id}:outages`, 15 * MINUTE) ** 3 * 4) + (ctx.effects.outages.get(d.id) ?? 0));
}

const SUMMED: MetricId[] = [
  "traffic.flow",
  "traffic.incidents",
  "parking.freeSpaces",
  "parking.lotsOnline",
  "health.connected",
  "health.visits",
  "broadband.backboneTbps",
  "broadband.ftthHouseholds",
  "broadband.nodesOnline",
  "broadband.outages",
];

/** City values from the districts' emitted (rounded) values, so sums add up exactly as displayed. */
function simulateCityTotals(ctx: Context, districtRows: TSample[], parking: ParkingTotals[]): void {
  const value = (metricId: MetricId, districtId: string) => districtRows.find((r) => r.metricId === metricId && r.entityId === districtId)?.value ?? 0;
  const sum = (metricId: MetricId) => DISTRICTS.reduce((total, d) => total + value(metricId, d.id), 0);
  const weighted = (metricId: MetricId, weight: (d: District) => number) => {
    const total = DISTRICTS.reduce((s, d) => s + weight(d), 0);
    return total === 0 ? 0 : DISTRICTS.reduce((s, d) => s + value(metricId, d.id) * weight(d), 0) / total;
  };
  for (const metricId of SUMMED) emit(ctx, metricId, CITY_ID, sum(metricId));
  emit(ctx, "traffic.congestionIndex", CITY_ID, weighted("traffic.congestionIndex", (d) => d.populationTenK));
  emit(ctx, "traffic.avgSpeed", CITY_ID, weighted("traffic.avgSpeed", (d) => d.populationTenK));
  const occupied = parking.reduce((s, p) => s + p.occupied, 0);
  const capacity = parking.reduce((s, p) => s + p.capacity, 0);
  emit(ctx, "parking.occupancy", CITY_ID, capacity === 0 ? 0 : (100 * occupied) / capacity);
  emit(ctx, "health.waitMinutes", CITY_ID, weighted("health.waitMinutes", (d) => value("health.visits", d.id)));
  emit(ctx, "broadband.downloadMbps", CITY_ID, weighted("broadband.downloadMbps", (d) => value("broadband.ftthHouseholds", d.id) * (value("broadband.downloadMbps", d.id) > 0 ? 1 : 0)));
}

/**
 * All samples of the simulated city at `timeMs` (epoch ms of simulated time), with
 * the drills' effects applied. Order: entities, then districts, then the city.
 */
export function simulateCity(seed: number, timeMs: number, drills: readonly ActiveDrill[] = []): TSample[] {
  const ctx: Context = { seed, timeMs, t: shenzhenLocalTime(timeMs), effects: effectsAt(drills, timeMs), out: [] };
  const congestion = new Map(DISTRICTS.map((d) => [d.id, districtCongestion(ctx, d)]));
  simulateRoads(ctx, congestion);
  const districtRows: TSample[] = [];
  const parking: ParkingTotals[] = [];
  for (const d of DISTRICTS) {
    const own = entitiesByDistrict.get(d.id);
    if (!own) continue;
    const start = ctx.out.length;
    simulateDistrictTraffic(ctx, d, congestion.get(d.id) ?? 0);
    parking.push(simulateParking(ctx, d, own.lots));
    simulateHealth(ctx, d, own.institutions);
    simulateBroadband(ctx, d, own.nodes);
    districtRows.push(...ctx.out.slice(start).filter((s) => s.entityId === d.id));
  }
  simulateCityTotals(ctx, districtRows, parking);
  return ctx.out;
}
