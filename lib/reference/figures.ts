/**
 * Reference figures from the seed article (《智慧城市发展研究报告》 excerpt in
 * shared/seed), each with its provenance. Derived values say how they were derived
 * and are never presented as reported.
 */

export const FIGURE_KINDS = ["reported", "forecast", "derived"] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

export interface ReferenceFigure {
  id: string;
  series: string;
  region: string;
  /** null where the article gives no year. */
  year: number | null;
  value: number;
  unit: string;
  kind: FigureKind;
  source: string;
  derivation: string | null;
  note: string | null;
}

export const SEED_SOURCE = "《智慧城市发展研究》（seed 文章），第二、三部分";

export const SERIES = {
  globalInvestment: "smart-city-investment-global",
  chinaInvestment: "smart-city-investment-china",
  shanghaiIndex: "shanghai-smart-city-index-2017",
  shanghaiInfrastructure: "shanghai-infrastructure-2016",
  chinaAdoption: "china-smart-city-adoption-2019",
  shenzhenIndustry: "shenzhen-iot-industry",
} as const;

const GLOBAL_CAGR = 0.146;
const CHINA_CAGR = 0.119;

type Stated = Omit<ReferenceFigure, "id" | "source" | "derivation">;

/** The id is stable across restarts so seeding is an idempotent upsert. */
function figure(f: Stated, derivation: string | null = null, key: string = f.kind): ReferenceFigure {
  return { ...f, id: `${f.series}:${f.region}:${f.year ?? "undated"}:${key}`, source: SEED_SOURCE, derivation };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

const global = (year: number, value: number, kind: FigureKind, note: string | null = null): Stated => ({
  series: SERIES.globalInvestment,
  region: "global",
  year,
  value,
  unit: "亿美元",
  kind,
  note,
});

const china = (year: number, value: number, kind: FigureKind, note: string | null = null): Stated => ({
  series: SERIES.chinaInvestment,
  region: "china",
  year,
  value,
  unit: "万亿元",
  kind,
  note,
});

/**
 * Global 2021–2023 interpolated from the 2020 forecast at the article's 14.6 % CAGR;
 * the same rate reproduces the 2024 forecast (1144 × 1.146⁴ ≈ 1973), which is why it fits.
 */
function derivedGlobal(): ReferenceFigure[] {
  return [2021, 2022, 2023].map((year) =>
    figure(
      global(year, round(1144 * (1 + GLOBAL_CAGR) ** (year - 2020), 0), "derived"),
      `由 2020 年预测值 1144 亿美元按文中 2021–2024 年复合增长率 14.6% 推算：1144 × 1.146^${year - 2020}`,
    ),
  );
}

/**
 * China 2021–2023 discounted back from the 2024 forecast ("over 25") at the stated
 * 11.9 % CAGR. The article gives no 2020 figure and its 2019 value does not lie on
 * that curve, so nothing is derived for 2020 and these are lower bounds.
 */
function derivedChina(): ReferenceFigure[] {
  return [2021, 2022, 2023].map((year) =>
    figure(
      china(year, round(25 / (1 + CHINA_CAGR) ** (2024 - year), 1), "derived", "下限估计"),
      `由 2024 年预测值（25 万亿元以上）按文中复合增长率 11.9% 反推：25 ÷ 1.119^${2024 - year}；因 2024 年为“超过 25”，此为下限`,
    ),
  );
}

export const REFERENCE_FIGURES: readonly ReferenceFigure[] = [
  figure(global(2019, 1030, "reported")),
  figure(global(2020, 1144, "forecast", "同比增长 11.1%，受疫情影响低于 2019 年 12 月发布的 18.9% 预期")),
  ...derivedGlobal(),
  figure(global(2024, 1973, "forecast", "2021–2024 年复合增长率 14.6%")),
  figure(china(2019, 10.5, "reported", "同比增长 32.9%")),
  ...derivedChina(),
  figure(china(2024, 25, "forecast", "超过 25 万亿元；2021–2024 年复合增长率 11.9%")),
  figure({ series: SERIES.shanghaiIndex, region: "shanghai", year: 2017, value: 99.53, unit: "指数", kind: "reported", note: "总指数" }, null, "overall"),
  figure({ series: SERIES.shanghaiIndex, region: "shanghai", year: 2017, value: 99.03, unit: "指数", kind: "reported", note: "网络就绪度" }, null, "network-readiness"),
  figure({ series: SERIES.shanghaiIndex, region: "shanghai", year: 2017, value: 105.74, unit: "指数", kind: "reported", note: "智慧应用" }, null, "smart-applications"),
  figure({ series: SERIES.shanghaiIndex, region: "shanghai", year: 2017, value: 95.3, unit: "指数", kind: "reported", note: "发展环境" }, null, "environment"),
  figure({ series: SERIES.shanghaiInfrastructure, region: "shanghai", year: 2016, value: 941, unit: "万户", kind: "reported", note: "光纤到户覆盖总量" }, null, "ftth"),
  figure({ series: SERIES.shanghaiInfrastructure, region: "shanghai", year: 2016, value: 767, unit: "个", kind: "reported", note: "公共停车场（库）系统联网，同比增加 200 多个" }, null, "parking-lots"),
  figure({ series: SERIES.shanghaiInfrastructure, region: "shanghai", year: 2016, value: 120, unit: "家以上", kind: "reported", note: "公立医院接入上海健康信息网" }, null, "hospitals"),
  figure({ series: SERIES.shanghaiInfrastructure, region: "shanghai", year: 2016, value: 240, unit: "家", kind: "reported", note: "社区卫生服务中心接入上海健康信息网" }, null, "health-centres"),
  figure({ series: SERIES.chinaAdoption, region: "china", year: 2019, value: 95, unit: "%", kind: "reported", note: "副省级城市提出建设智慧城市" }, null, "sub-provincial"),
  figure({ series: SERIES.chinaAdoption, region: "china", year: 2019, value: 83, unit: "%", kind: "reported", note: "地级城市提出建设智慧城市" }, null, "prefecture"),
  figure({ series: SERIES.chinaAdoption, region: "china", year: 2019, value: 789, unit: "个", kind: "reported", note: "智慧城市相关试点累计" }, null, "pilots"),
  figure({ series: SERIES.shenzhenIndustry, region: "shenzhen", year: null, value: 600, unit: "家以上", kind: "reported", note: "通信设备制造企业" }, null, "equipment-makers"),
  figure({ series: SERIES.shenzhenIndustry, region: "shenzhen", year: null, value: 100, unit: "家以上", kind: "reported", note: "通信技术服务与内容服务企业" }, null, "service-firms"),
  figure({ series: SERIES.shenzhenIndustry, region: "shenzhen", year: null, value: 70, unit: "%以上", kind: "reported", note: "EPC 标准产品国内市场份额" }, null, "epc-share"),
];
