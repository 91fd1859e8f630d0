/** data-testid values shared by components and Playwright specs (never select by CSS class). */
export const testIds = {
  header: "wall-header",
  clock: "wall-clock",
  linkState: "link-state",
  newestAge: "newest-age",
  panel: (id: string) => `panel-${id}`,
  panelAge: (id: string) => `panel-age-${id}`,
  kpi: (metricId: string) => `kpi-${metricId.replace(".", "-")}`,
  chart: (id: string) => `chart-${id}`,
  districtTable: "district-table",
  drillMarker: "drill-marker",
  simulatedClock: "simulated-clock",
} as const;
