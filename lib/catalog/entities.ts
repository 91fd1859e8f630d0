import { CITY, DISTRICTS } from "./districts";
import type { EntityKind } from "./metrics";

export interface EntityDefinition {
  id: string;
  kind: EntityKind;
  nameZh: string;
  nameEn: string;
  districtId: string | null;
}

/** Every entity a metric can be measured on, in display order (city first). */
export const ENTITIES: readonly EntityDefinition[] = [
  { id: CITY.id, kind: "city", nameZh: CITY.nameZh, nameEn: CITY.nameEn, districtId: null },
  ...DISTRICTS.map((d) => ({ id: d.id, kind: "district" as const, nameZh: d.nameZh, nameEn: d.nameEn, districtId: d.id })),
];

const byId: ReadonlyMap<string, EntityDefinition> = new Map(ENTITIES.map((e) => [e.id, e]));

export function entityById(id: string): EntityDefinition | undefined {
  return byId.get(id);
}
