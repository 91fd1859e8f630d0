/**
 * Shenzhen's main roads on the wall: real names, the districts each runs through
 * (first = where it is filed), and the roads congestion spreads to when it is blocked.
 */
export interface Road {
  id: string;
  nameZh: string;
  nameEn: string;
  districts: readonly string[];
  neighbours: readonly string[];
  /** Lanes each way; more lanes carry more flow. */
  lanes: number;
}

export const ROADS: readonly Road[] = [
  { id: "road-shennan", nameZh: "深南大道", nameEn: "Shennan Blvd", districts: ["futian", "nanshan", "luohu"], neighbours: ["road-beihuan", "road-binhai", "road-hongli", "road-xinzhou"], lanes: 5 },
  { id: "road-beihuan", nameZh: "北环大道", nameEn: "Beihuan Blvd", districts: ["nanshan", "futian", "luohu"], neighbours: ["road-shennan", "road-meiguan", "road-nanping"], lanes: 4 },
  { id: "road-binhai", nameZh: "滨海大道", nameEn: "Binhai Blvd", districts: ["nanshan", "futian"], neighbours: ["road-shennan", "road-shahexi", "road-xinzhou"], lanes: 4 },
  { id: "road-meiguan", nameZh: "梅观高速", nameEn: "Meiguan Expwy", districts: ["futian", "longhua"], neighbours: ["road-beihuan", "road-huanggang", "road-bulong"], lanes: 4 },
  { id: "road-nanping", nameZh: "南坪快速", nameEn: "Nanping Expressway", districts: ["nanshan", "futian", "longhua", "longgang"], neighbours: ["road-beihuan", "road-meiguan"], lanes: 3 },
  { id: "road-huanggang", nameZh: "皇岗路", nameEn: "Huanggang Rd", districts: ["futian"], neighbours: ["road-shennan", "road-meiguan", "road-xinzhou"], lanes: 4 },
  { id: "road-xinzhou", nameZh: "新洲路", nameEn: "Xinzhou Rd", districts: ["futian"], neighbours: ["road-shennan", "road-huanggang", "road-binhai"], lanes: 3 },
  { id: "road-hongli", nameZh: "红荔路", nameEn: "Hongli Rd", districts: ["futian", "luohu"], neighbours: ["road-shennan", "road-beihuan"], lanes: 3 },
  { id: "road-shahexi", nameZh: "沙河西路", nameEn: "Shahe West Rd", districts: ["nanshan"], neighbours: ["road-binhai", "road-shennan"], lanes: 3 },
  { id: "road-guangshen", nameZh: "广深高速", nameEn: "Guangshen Expwy", districts: ["baoan", "nanshan"], neighbours: ["road-baoan", "road-g107"], lanes: 4 },
  { id: "road-baoan", nameZh: "宝安大道", nameEn: "Bao'an Blvd", districts: ["baoan"], neighbours: ["road-guangshen", "road-g107"], lanes: 4 },
  { id: "road-g107", nameZh: "107国道", nameEn: "National Road 107", districts: ["baoan", "guangming"], neighbours: ["road-baoan", "road-guangming"], lanes: 3 },
  { id: "road-guangming", nameZh: "光明大道", nameEn: "Guangming Blvd", districts: ["guangming"], neighbours: ["road-g107"], lanes: 3 },
  { id: "road-longgang", nameZh: "龙岗大道", nameEn: "Longgang Blvd", districts: ["longgang", "luohu"], neighbours: ["road-dongbu", "road-bulong", "road-pingshan"], lanes: 4 },
  { id: "road-bulong", nameZh: "布龙路", nameEn: "Bulong Rd", districts: ["longhua", "longgang"], neighbours: ["road-meiguan", "road-longgang"], lanes: 3 },
  { id: "road-dongbu", nameZh: "东部过境高速", nameEn: "Eastern Transit Expwy", districts: ["luohu", "longgang"], neighbours: ["road-longgang", "road-yanba"], lanes: 3 },
  { id: "road-yanba", nameZh: "盐坝高速", nameEn: "Yanba Expwy", districts: ["yantian", "dapeng"], neighbours: ["road-dongbu"], lanes: 3 },
  { id: "road-pingshan", nameZh: "坪山大道", nameEn: "Pingshan Blvd", districts: ["pingshan"], neighbours: ["road-longgang"], lanes: 3 },
];
