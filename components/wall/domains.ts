/** What each domain panel shows: which catalog metrics as headline figures and charts. */
import { CITY_TOTALS, type Domain, type MetricId } from "@/lib/catalog";

export interface DomainPanelConfig {
  domain: Domain;
  kpis: { metricId: MetricId; totalOf?: number }[];
  trend: MetricId;
  byDistrict: MetricId;
}

export const DOMAIN_PANELS: Record<Domain, DomainPanelConfig> = {
  traffic: {
    domain: "traffic",
    kpis: [{ metricId: "traffic.congestionIndex" }, { metricId: "traffic.avgSpeed" }, { metricId: "traffic.incidents" }],
    trend: "traffic.congestionIndex",
    byDistrict: "traffic.congestionIndex",
  },
  parking: {
    domain: "parking",
    kpis: [
      { metricId: "parking.freeSpaces" },
      { metricId: "parking.occupancy" },
      { metricId: "parking.lotsOnline", totalOf: CITY_TOTALS.parkingLots },
    ],
    trend: "parking.occupancy",
    byDistrict: "parking.occupancy",
  },
  health: {
    domain: "health",
    kpis: [
      { metricId: "health.connected", totalOf: CITY_TOTALS.hospitals + CITY_TOTALS.communityHealthCentres },
      { metricId: "health.visits" },
      { metricId: "health.waitMinutes" },
    ],
    trend: "health.visits",
    byDistrict: "health.waitMinutes",
  },
  broadband: {
    domain: "broadband",
    kpis: [{ metricId: "broadband.downloadMbps" }, { metricId: "broadband.ftthHouseholds" }, { metricId: "broadband.backboneTbps" }],
    trend: "broadband.backboneTbps",
    byDistrict: "broadband.downloadMbps",
  },
};
