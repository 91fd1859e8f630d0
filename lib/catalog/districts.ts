/**
 * Shenzhen's ten districts and the city itself, with the static figures the
 * simulator and the wall scale by. Population is the 2020 census (10k people);
 * parking lots, health institutions and FTTH households are the seed article's
 * Shanghai figures (767 lots, 120 hospitals + 240 community centres, 9.41 M FTTH
 * households) shared out by population, because the article gives no Shenzhen split.
 */

export type DistrictProfile = "cbd" | "mixed" | "residential" | "coastal";

export interface District {
  id: string;
  nameZh: string;
  nameEn: string;
  populationTenK: number;
  profile: DistrictProfile;
}

export const CITY_ID = "shenzhen";
export const CITY = { id: CITY_ID, nameZh: "深圳市", nameEn: "Shenzhen" } as const;

export const DISTRICTS: readonly District[] = [
  { id: "futian", nameZh: "福田区", nameEn: "Futian", populationTenK: 155.3, profile: "cbd" },
  { id: "luohu", nameZh: "罗湖区", nameEn: "Luohu", populationTenK: 114.4, profile: "cbd" },
  { id: "nanshan", nameZh: "南山区", nameEn: "Nanshan", populationTenK: 179.6, profile: "cbd" },
  { id: "yantian", nameZh: "盐田区", nameEn: "Yantian", populationTenK: 21.4, profile: "coastal" },
  { id: "baoan", nameZh: "宝安区", nameEn: "Bao'an", populationTenK: 447.7, profile: "residential" },
  { id: "longgang", nameZh: "龙岗区", nameEn: "Longgang", populationTenK: 397.9, profile: "residential" },
  { id: "longhua", nameZh: "龙华区", nameEn: "Longhua", populationTenK: 252.9, profile: "residential" },
  { id: "pingshan", nameZh: "坪山区", nameEn: "Pingshan", populationTenK: 55.1, profile: "mixed" },
  { id: "guangming", nameZh: "光明区", nameEn: "Guangming", populationTenK: 109.5, profile: "mixed" },
  { id: "dapeng", nameZh: "大鹏新区", nameEn: "Dapeng", populationTenK: 15.6, profile: "coastal" },
];

export const TOTAL_POPULATION_TEN_K = DISTRICTS.reduce((sum, d) => sum + d.populationTenK, 0);

/** Seed-article totals the city's infrastructure is scaled to. */
export const CITY_TOTALS = {
  parkingLots: 767,
  hospitals: 120,
  communityHealthCentres: 240,
  ftthHouseholdsTenK: 941,
} as const;

/**
 * Splits a city total over the districts by population with the largest-remainder
 * method, so the district figures are whole numbers that add up to the total exactly.
 */
export function shareByPopulation(total: number): Record<string, number> {
  const exact = DISTRICTS.map((d) => ({ id: d.id, value: (total * d.populationTenK) / TOTAL_POPULATION_TEN_K }));
  const shares = Object.fromEntries(exact.map((e) => [e.id, Math.floor(e.value)])) as Record<string, number>;
  let remaining = total - Object.values(shares).reduce((a, b) => a + b, 0);
  for (const e of [...exact].sort((a, b) => (b.value % 1) - (a.value % 1))) {
    if (remaining <= 0) break;
    shares[e.id] = (shares[e.id] ?? 0) + 1;
    remaining -= 1;
  }
  return shares;
}
