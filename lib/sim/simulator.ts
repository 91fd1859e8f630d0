/**
 * The simulated Shenzhen: every metric of the catalog for every district at one
 * instant, plus the city values aggregated from them. A pure function of
 * (seed, time) — no state, no clock, no I/O — so the stream is reproducible sample
 * for sample and any instant of any day can be computed directly.
 */
import { CITY_ID, CITY_TOTALS, DISTRICTS, shareByPopulation, type District, type DistrictProfile } from "../catalog/districts";
import { metricById, type MetricId } from "../catalog/metrics";
import type { TSample } from "../realtime/protocol";
import { smoothNoise, steppedUniform } from "./noise";
import {
  broadbandDemand,
  clinicDemand,
  homePresence,
  officePresence,
  shenzhenLocalTime,
  trafficDemand,
  type LocalTime,
} from "./rhythm";

const MINUTE = 60_000;
const SPACES_PER_LOT = 320;

const lotsByDistrict = shareByPopulation(CITY_TOTALS.parkingLots);
const institutionsByDistrict = shareByPopulation(CITY_TOTALS.hospitals + CITY_TOTALS.communityHealthCentres);
const householdsByDistrict = shareByPopulation(CITY_TOTALS.ftthHouseholdsTenK * 10); // in thousands, for rounding

const congestionProfile: Record<DistrictProfile, { base: number; peak: number }> = {
  cbd: { base: 1.6, peak: 5.6 },
  residential: { base: 1.4, peak: 4.9 },
  mixed: { base: 1.1, peak: 3.6 },
  coastal: { base: 0.7, peak: 2.4 },
};

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round(metricId: MetricId, value: number): number {
  const decimals = metricById(metricId)?.decimals ?? 2;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Everything the simulator knows about one district at one instant, before rounding. */
interface DistrictState {
  district: District;
  congestionIndex: number;
  avgSpeed: number;
  flow: number;
  incidents: number;
  parkingCapacity: number;
  parkingOccupied: number;
  lotsOnline: number;
  healthConnected: number;
  visits: number;
  waitMinutes: number;
  households: number;
  downloadMbps: number;
  backboneTbps: number;
  outages: number;
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

function simulateDistrict(seed: number, district: District, timeMs: number, t: LocalTime): DistrictState {
  const id = district.id;
  const noise = (key: string, periodMs: number) => smoothNoise(seed, `${id}:${key}`, timeMs, periodMs);
  const stepped = (key: string, periodMs: number) => steppedUniform(seed, `${id}:${key}`, timeMs, periodMs);

  const demand = trafficDemand(t);
  const profile = congestionProfile[district.profile];
  const congestionIndex = clamp(profile.base + profile.peak * demand * (1 + 0.12 * noise("tpi", 7 * MINUTE)) + 0.25 * noise("tpi-fast", MINUTE / 2), 0, 10);
  const coastalBonus = district.profile === "coastal" ? 6 : 0;
  const avgSpeed = clamp(58 + coastalBonus - 4.4 * congestionIndex + 2 * noise("speed", MINUTE), 5, 120);
  const flow = district.populationTenK * 120 * (0.15 + demand) * (1 + 0.05 * noise("flow", 3 * MINUTE));
  const incidents = Math.floor((district.populationTenK / 70) * (0.3 + demand) * 2 * stepped("incidents", 5 * MINUTE));

  const lots = lotsByDistrict[id] ?? 0;
  const parkingCapacity = lots * SPACES_PER_LOT;
  const fill = clamp(parkingFill(district.profile, t) + 0.04 * noise("parking", 10 * MINUTE), 0.02, 0.995);
  const parkingOccupied = Math.round(fill * parkingCapacity);
  const lotsOnline = lots - Math.floor(stepped("lots-offline", 10 * MINUTE) * 3);

  const institutions = institutionsByDistrict[id] ?? 0;
  const healthConnected = institutions - (stepped("health-offline", 15 * MINUTE) < 0.12 ? 1 : 0);
  const clinic = clinicDemand(t);
  const visits = district.populationTenK * 14 * clinic * (1 + 0.08 * noise("visits", 4 * MINUTE));
  const busyFactor = district.profile === "cbd" ? 1.2 : 1;
  const waitMinutes = clamp(10 + 36 * clinic * busyFactor + 4 * noise("wait", 5 * MINUTE), 0, 240);

  const households = (householdsByDistrict[id] ?? 0) / 10;
  const netDemand = broadbandDemand(t);
  const downloadMbps = clamp(330 * (1 - 0.3 * netDemand) + 12 * noise("download", 2 * MINUTE), 1, 2_000);
  const backboneTbps = households * 0.012 * netDemand * (1 + 0.06 * noise("backbone", 3 * MINUTE));
  const outages = Math.floor(stepped("outages", 15 * MINUTE) ** 3 * 4);

  return {
    district,
    congestionIndex,
    avgSpeed,
    flow,
    incidents,
    parkingCapacity,
    parkingOccupied,
    lotsOnline,
    healthConnected,
    visits,
    waitMinutes,
    households,
    downloadMbps,
    backboneTbps,
    outages,
  };
}

function districtSamples(s: DistrictState, ts: number): TSample[] {
  const entityId = s.district.id;
  const values: [MetricId, number][] = [
    ["traffic.congestionIndex", s.congestionIndex],
    ["traffic.avgSpeed", s.avgSpeed],
    ["traffic.flow", s.flow],
    ["traffic.incidents", s.incidents],
    ["parking.freeSpaces", s.parkingCapacity - s.parkingOccupied],
    ["parking.occupancy", (100 * s.parkingOccupied) / s.parkingCapacity],
    ["parking.lotsOnline", s.lotsOnline],
    ["health.connected", s.healthConnected],
    ["health.visits", s.visits],
    ["health.waitMinutes", s.waitMinutes],
    ["broadband.downloadMbps", s.downloadMbps],
    ["broadband.backboneTbps", s.backboneTbps],
    ["broadband.ftthHouseholds", s.households],
    ["broadband.outages", s.outages],
  ];
  return values.map(([metricId, value]) => ({ metricId, entityId, ts, value: round(metricId, value) }));
}

function weightedMean(states: DistrictState[], value: (s: DistrictState) => number, weight: (s: DistrictState) => number): number {
  const total = states.reduce((sum, s) => sum + weight(s), 0);
  return total === 0 ? 0 : states.reduce((sum, s) => sum + value(s) * weight(s), 0) / total;
}

/** City samples: sums of the districts' rounded values, or weighted means of them. */
function citySamples(states: DistrictState[], districtRows: TSample[], ts: number): TSample[] {
  const sumOf = (metricId: MetricId) => districtRows.filter((r) => r.metricId === metricId).reduce((sum, r) => sum + r.value, 0);
  const population = (s: DistrictState) => s.district.populationTenK;
  const occupied = states.reduce((sum, s) => sum + s.parkingOccupied, 0);
  const capacity = states.reduce((sum, s) => sum + s.parkingCapacity, 0);
  const values: [MetricId, number][] = [
    ["traffic.congestionIndex", weightedMean(states, (s) => s.congestionIndex, population)],
    ["traffic.avgSpeed", weightedMean(states, (s) => s.avgSpeed, population)],
    ["traffic.flow", sumOf("traffic.flow")],
    ["traffic.incidents", sumOf("traffic.incidents")],
    ["parking.freeSpaces", sumOf("parking.freeSpaces")],
    ["parking.occupancy", (100 * occupied) / capacity],
    ["parking.lotsOnline", sumOf("parking.lotsOnline")],
    ["health.connected", sumOf("health.connected")],
    ["health.visits", sumOf("health.visits")],
    ["health.waitMinutes", weightedMean(states, (s) => s.waitMinutes, (s) => s.visits)],
    ["broadband.downloadMbps", weightedMean(states, (s) => s.downloadMbps, (s) => s.households)],
    ["broadband.backboneTbps", sumOf("broadband.backboneTbps")],
    ["broadband.ftthHouseholds", sumOf("broadband.ftthHouseholds")],
    ["broadband.outages", sumOf("broadband.outages")],
  ];
  return values.map(([metricId, value]) => ({ metricId, entityId: CITY_ID, ts, value: round(metricId, value) }));
}

/** All samples of the simulated city at `timeMs` (epoch ms), city first. */
export function simulateCity(seed: number, timeMs: number): TSample[] {
  const t = shenzhenLocalTime(timeMs);
  const states = DISTRICTS.map((d) => simulateDistrict(seed, d, timeMs, t));
  const districtRows = states.flatMap((s) => districtSamples(s, timeMs));
  return [...citySamples(states, districtRows, timeMs), ...districtRows];
}
