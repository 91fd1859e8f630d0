/**
 * The simulated city's fixed structure: every road, public car park, hospital,
 * community health centre and broadband access node, generated deterministically
 * from CITY_SEED (the same ids on every machine and every start) and scaled to the
 * seed article's figures: 767 networked lots, 120 hospitals + 240 community health
 * centres, 9.41 M FTTH households.
 */
import { CITY, CITY_TOTALS, DISTRICTS, TOTAL_POPULATION_TEN_K, shareByPopulation, type DistrictProfile } from "./districts";
import { seededRandom } from "../random";
import { ROADS } from "./roads";

export const ENTITY_KINDS = ["city", "district", "road", "lot", "hospital", "healthCentre", "accessNode"] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntityDefinition {
  id: string;
  kind: EntityKind;
  nameZh: string;
  nameEn: string;
  /** The district it belongs to (a road: where it is filed); null for the city. */
  districtId: string | null;
  /** Residents (district, city), parking spaces (lot), outpatients per hour (hospital, centre), households (node); null for roads. */
  capacity: number | null;
  /** What drives its daily rhythm (lots: offices or homes); null where it does not apply. */
  profile: DistrictProfile | null;
  lon: number | null;
  lat: number | null;
}

export const CITY_SEED = 518_000; // Shenzhen's postcode prefix
export const ACCESS_NODES = 350;

/** Approximate district centres (WGS-84), for placing generated entities on the map. */
const CENTRES: Record<string, [number, number]> = {
  futian: [114.055, 22.541],
  luohu: [114.131, 22.568],
  nanshan: [113.93, 22.533],
  yantian: [114.236, 22.578],
  baoan: [113.883, 22.62],
  longgang: [114.247, 22.72],
  longhua: [114.045, 22.696],
  pingshan: [114.346, 22.708],
  guangming: [113.936, 22.748],
  dapeng: [114.479, 22.598],
};

const pad = (n: number, width = 3) => String(n).padStart(width, "0");

function place(rand: () => number, districtId: string): { lon: number; lat: number } {
  const [lon, lat] = CENTRES[districtId] ?? [114.06, 22.6];
  return { lon: Math.round((lon + (rand() - 0.5) * 0.08) * 1e5) / 1e5, lat: Math.round((lat + (rand() - 0.5) * 0.06) * 1e5) / 1e5 };
}

/** A lot's rhythm: mostly its district's, but every district has some of each kind. */
function lotProfile(rand: () => number, district: DistrictProfile): DistrictProfile {
  const r = rand();
  if (district === "cbd") return r < 0.7 ? "cbd" : r < 0.9 ? "mixed" : "residential";
  if (district === "residential") return r < 0.65 ? "residential" : r < 0.85 ? "mixed" : "cbd";
  if (district === "coastal") return r < 0.6 ? "coastal" : "residential";
  return r < 0.5 ? "mixed" : r < 0.8 ? "residential" : "cbd";
}

function generate(): EntityDefinition[] {
  const rand = seededRandom(CITY_SEED);
  const lots = shareByPopulation(CITY_TOTALS.parkingLots);
  const hospitals = shareByPopulation(CITY_TOTALS.hospitals);
  const centres = shareByPopulation(CITY_TOTALS.communityHealthCentres);
  const nodes = shareByPopulation(ACCESS_NODES);
  // Shared out in whole thousands, so the districts' 万户 figures (one decimal) add up to 941 exactly.
  const householdThousands = shareByPopulation(CITY_TOTALS.ftthHouseholdsTenK * 10);

  const entities: EntityDefinition[] = [
    { ...CITY, kind: "city", districtId: null, capacity: Math.round(TOTAL_POPULATION_TEN_K * 10_000), profile: null, lon: 114.06, lat: 22.62 },
    ...DISTRICTS.map((d) => {
      const [lon, lat] = CENTRES[d.id] ?? [null, null];
      return { id: d.id, kind: "district" as const, nameZh: d.nameZh, nameEn: d.nameEn, districtId: d.id, capacity: Math.round(d.populationTenK * 10_000), profile: d.profile, lon, lat };
    }),
    ...ROADS.map((r) => ({ id: r.id, kind: "road" as const, nameZh: r.nameZh, nameEn: r.nameEn, districtId: r.districts[0] ?? null, capacity: null, profile: null, ...place(rand, r.districts[0] ?? "futian") })),
  ];

  for (const d of DISTRICTS) {
    const short = d.nameZh.replace(/新区$|区$/, "");
    for (let i = 1; i <= (lots[d.id] ?? 0); i++) {
      // Sizes from a small kerbside lot to a large garage, skewed small.
      const capacity = Math.round(60 + 840 * rand() ** 2.2);
      entities.push({ id: `lot-${d.id}-${pad(i)}`, kind: "lot", nameZh: `${short}公共停车场 ${pad(i)}`, nameEn: `${d.nameEn} car park ${pad(i)}`, districtId: d.id, capacity, profile: lotProfile(rand, d.profile), ...place(rand, d.id) });
    }
    for (let i = 1; i <= (hospitals[d.id] ?? 0); i++) {
      const capacity = Math.round(120 + 780 * rand() ** 1.5);
      entities.push({ id: `hospital-${d.id}-${pad(i, 2)}`, kind: "hospital", nameZh: `${short}公立医院 ${pad(i, 2)}`, nameEn: `${d.nameEn} public hospital ${pad(i, 2)}`, districtId: d.id, capacity, profile: null, ...place(rand, d.id) });
    }
    for (let i = 1; i <= (centres[d.id] ?? 0); i++) {
      const capacity = Math.round(20 + 60 * rand());
      entities.push({ id: `centre-${d.id}-${pad(i)}`, kind: "healthCentre", nameZh: `${short}社区健康服务中心 ${pad(i)}`, nameEn: `${d.nameEn} community health centre ${pad(i)}`, districtId: d.id, capacity, profile: null, ...place(rand, d.id) });
    }
    // Households split evenly over the district's nodes, remainder to the first ones.
    const n = nodes[d.id] ?? 0;
    const total = (householdThousands[d.id] ?? 0) * 1_000;
    for (let i = 1; i <= n; i++) {
      const capacity = Math.floor(total / n) + (i <= total % n ? 1 : 0);
      entities.push({ id: `node-${d.id}-${pad(i)}`, kind: "accessNode", nameZh: `${short}光纤接入节点 ${pad(i)}`, nameEn: `${d.nameEn} fibre access node ${pad(i)}`, districtId: d.id, capacity, profile: null, ...place(rand, d.id) });
    }
  }
  return entities;
}

/** Every entity, in display order: the city, the districts, roads, then each district's lots, hospitals, centres and nodes. */
export const ENTITIES: readonly EntityDefinition[] = generate();

const byId: ReadonlyMap<string, EntityDefinition> = new Map(ENTITIES.map((e) => [e.id, e]));

export function entityById(id: string): EntityDefinition | undefined {
  return byId.get(id);
}

export function entitiesOfKind(kind: EntityKind): EntityDefinition[] {
  return ENTITIES.filter((e) => e.kind === kind);
}

/** The city and its districts: what the wall shows, as opposed to single roads, lots, institutions, nodes. */
export function isSummaryEntity(entityId: string): boolean {
  const kind = byId.get(entityId)?.kind;
  return kind === "city" || kind === "district";
}

/**
 * Whether an entity is within a scope: the city holds everything, a district itself
 * and everything filed in it, any other entity only itself.
 */
export function inScope(entityId: string, scope: string): boolean {
  if (scope === CITY.id || entityId === scope) return true;
  const entity = byId.get(entityId);
  return entity !== undefined && entity.kind !== "district" && entity.districtId === scope && byId.get(scope)?.kind === "district";
}
