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
  /** Where it runs, [lon, lat] from end to end: a few points, enough to draw it on the city map (not a survey). */
  course: readonly (readonly [number, number])[];
}

export const ROADS: readonly Road[] = [
  { id: "road-shennan", nameZh: "深南大道", nameEn: "Shennan Blvd", districts: ["futian", "nanshan", "luohu"], neighbours: ["road-beihuan", "road-binhai", "road-hongli", "road-xinzhou"], lanes: 5, course: [[113.918, 22.535], [113.95, 22.54], [113.985, 22.539], [114.02, 22.538], [114.058, 22.541], [114.085, 22.543], [114.118, 22.545]] },
  { id: "road-beihuan", nameZh: "北环大道", nameEn: "Beihuan Blvd", districts: ["nanshan", "futian", "luohu"], neighbours: ["road-shennan", "road-meiguan", "road-nanping"], lanes: 4, course: [[113.935, 22.558], [113.98, 22.557], [114.03, 22.56], [114.08, 22.562], [114.115, 22.568]] },
  { id: "road-binhai", nameZh: "滨海大道", nameEn: "Binhai Blvd", districts: ["nanshan", "futian"], neighbours: ["road-shennan", "road-shahexi", "road-xinzhou"], lanes: 4, course: [[113.92, 22.508], [113.965, 22.515], [114.01, 22.523], [114.045, 22.526]] },
  { id: "road-meiguan", nameZh: "梅观高速", nameEn: "Meiguan Expwy", districts: ["futian", "longhua"], neighbours: ["road-beihuan", "road-huanggang", "road-bulong"], lanes: 4, course: [[114.062, 22.56], [114.055, 22.6], [114.045, 22.64], [114.03, 22.68]] },
  { id: "road-nanping", nameZh: "南坪快速", nameEn: "Nanping Expressway", districts: ["nanshan", "futian", "longhua", "longgang"], neighbours: ["road-beihuan", "road-meiguan"], lanes: 3, course: [[113.97, 22.585], [114.03, 22.6], [114.08, 22.61], [114.15, 22.62]] },
  { id: "road-huanggang", nameZh: "皇岗路", nameEn: "Huanggang Rd", districts: ["futian"], neighbours: ["road-shennan", "road-meiguan", "road-xinzhou"], lanes: 4, course: [[114.07, 22.518], [114.071, 22.54], [114.072, 22.565]] },
  { id: "road-xinzhou", nameZh: "新洲路", nameEn: "Xinzhou Rd", districts: ["futian"], neighbours: ["road-shennan", "road-huanggang", "road-binhai"], lanes: 3, course: [[114.04, 22.52], [114.042, 22.54], [114.045, 22.562]] },
  { id: "road-hongli", nameZh: "红荔路", nameEn: "Hongli Rd", districts: ["futian", "luohu"], neighbours: ["road-shennan", "road-beihuan"], lanes: 3, course: [[114.02, 22.549], [114.06, 22.549], [114.1, 22.551]] },
  { id: "road-shahexi", nameZh: "沙河西路", nameEn: "Shahe West Rd", districts: ["nanshan"], neighbours: ["road-binhai", "road-shennan"], lanes: 3, course: [[113.955, 22.52], [113.957, 22.55], [113.96, 22.58]] },
  { id: "road-guangshen", nameZh: "广深高速", nameEn: "Guangshen Expwy", districts: ["baoan", "nanshan"], neighbours: ["road-baoan", "road-g107"], lanes: 4, course: [[113.93, 22.55], [113.88, 22.6], [113.83, 22.67], [113.8, 22.73]] },
  { id: "road-baoan", nameZh: "宝安大道", nameEn: "Bao'an Blvd", districts: ["baoan"], neighbours: ["road-guangshen", "road-g107"], lanes: 4, course: [[113.9, 22.56], [113.86, 22.62], [113.82, 22.69]] },
  { id: "road-g107", nameZh: "107国道", nameEn: "National Road 107", districts: ["baoan", "guangming"], neighbours: ["road-baoan", "road-guangming"], lanes: 3, course: [[113.88, 22.58], [113.85, 22.65], [113.81, 22.73]] },
  { id: "road-guangming", nameZh: "光明大道", nameEn: "Guangming Blvd", districts: ["guangming"], neighbours: ["road-g107"], lanes: 3, course: [[113.915, 22.74], [113.935, 22.78]] },
  { id: "road-longgang", nameZh: "龙岗大道", nameEn: "Longgang Blvd", districts: ["longgang", "luohu"], neighbours: ["road-dongbu", "road-bulong", "road-pingshan"], lanes: 4, course: [[114.13, 22.6], [114.2, 22.64], [114.25, 22.72]] },
  { id: "road-bulong", nameZh: "布龙路", nameEn: "Bulong Rd", districts: ["longhua", "longgang"], neighbours: ["road-meiguan", "road-longgang"], lanes: 3, course: [[114.04, 22.63], [114.1, 22.62], [114.18, 22.62]] },
  { id: "road-dongbu", nameZh: "东部过境高速", nameEn: "Eastern Transit Expwy", districts: ["luohu", "longgang"], neighbours: ["road-longgang", "road-yanba"], lanes: 3, course: [[114.13, 22.57], [114.2, 22.6], [114.26, 22.62]] },
  { id: "road-yanba", nameZh: "盐坝高速", nameEn: "Yanba Expwy", districts: ["yantian", "dapeng"], neighbours: ["road-dongbu"], lanes: 3, course: [[114.25, 22.58], [114.35, 22.6], [114.45, 22.6]] },
  { id: "road-pingshan", nameZh: "坪山大道", nameEn: "Pingshan Blvd", districts: ["pingshan"], neighbours: ["road-longgang"], lanes: 3, course: [[114.3, 22.69], [114.36, 22.7]] },
];
