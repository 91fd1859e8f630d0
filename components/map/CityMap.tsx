"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { DISTRICTS, DOMAINS, entityById, metricById, type Domain, type MetricDefinition } from "@/lib/catalog";
import { cityMapOption, type MapAlert, type MapPlace } from "@/lib/charts/city-map";
import { RANKINGS } from "@/lib/drill/rankings";
import { entityPath, withView } from "@/lib/drill/routes";
import { DISTRICT_MAP, DISTRICT_MAP_URL, districtsWithoutOutline, type DistrictCollection } from "@/lib/geo/districts";
import { pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { EChart, type ChartMap, type EChartEvents } from "../charts/EChart";
import { useLive } from "../realtime/LiveProvider";
import { useRem } from "../wall/hooks";

/** Fetched once per page load; the outlines are a static file. */
let outlines: Promise<DistrictCollection> | null = null;

function useOutlines(): DistrictCollection | null | "error" {
  const [state, setState] = useState<DistrictCollection | null | "error">(null);
  useEffect(() => {
    outlines ??= fetch(DISTRICT_MAP_URL).then((r) => (r.ok ? (r.json() as Promise<DistrictCollection>) : Promise.reject(new Error(`HTTP ${r.status}`))));
    let live = true;
    outlines.then(
      (geo) => live && setState(geo),
      () => {
        outlines = null;
        if (live) setState("error");
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

const name = (lang: Lang, e: { nameZh: string; nameEn: string }) => (lang === "zh" ? e.nameZh.replace(/新区$|区$/, "") : e.nameEn);

/**
 * Shenzhen's districts coloured live by the layer's key metric (the worst-first metric
 * of that domain's ranking). Clicking a district opens it; clicking a dot opens its
 * district or entity. `onLayerChange` adds the layer switch.
 */
export function CityMap(props: {
  layer: Domain;
  lang: Lang;
  /** Ids of districts or dots to outline. */
  highlight?: readonly string[];
  dots?: readonly MapPlace[];
  /** False: names only, no figures (a page following one entity has no district figures). */
  values?: boolean;
  onLayerChange?: (layer: Domain) => void;
  /** A district or entity to zoom in on (an alert's). */
  focus?: string | null;
  /** An alert to show: its district marked, its road or place drawn with its value, the view around them. */
  alert?: MapAlert;
}) {
  const { layer, lang } = props;
  const live = useLive();
  const rem = useRem();
  const router = useRouter();
  const geo = useOutlines();
  const metric = metricById(RANKINGS[layer].metricId);

  const noOutline = geo && geo !== "error" ? districtsWithoutOutline(geo) : [];
  const valueOf = (id: string) => (metric ? (live.store.latest(metric.id, id)?.value ?? null) : null);
  const regions: MapPlace[] = DISTRICTS.filter((d) => !noOutline.includes(d.id)).map((d) => {
    const at = entityById(d.id);
    return { id: d.id, label: name(lang, d), value: valueOf(d.id), ...(at?.lon != null && at.lat != null ? { lon: at.lon, lat: at.lat } : {}) };
  });
  const dots: MapPlace[] = [
    ...noOutline.flatMap((id) => {
      const d = entityById(id);
      return d && d.lon !== null && d.lat !== null ? [{ id, label: name(lang, d), value: valueOf(id), lon: d.lon, lat: d.lat }] : [];
    }),
    ...(props.dots ?? []),
  ];
  const values = props.values ?? true;
  const focusPlace = props.focus ? entityById(props.focus) : undefined;
  const focus = focusPlace && focusPlace.lon !== null && focusPlace.lat !== null ? { lon: focusPlace.lon, lat: focusPlace.lat } : undefined;
  const key = JSON.stringify([regions, dots, props.highlight, values, rem, metric?.id, focus, props.alert]);
  const option = useMemo(
    () => (metric ? cityMapOption({ metric, regions, dots, highlight: props.highlight ?? [], values, rem, focus, alert: props.alert }) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for the places' content
    [key],
  );
  const map: ChartMap | undefined = useMemo(() => (geo && geo !== "error" ? { name: DISTRICT_MAP, geoJson: geo } : undefined), [geo]);
  const onEvents: EChartEvents = useMemo(
    () => ({
      click: (params) => {
        const id = (params as { name?: string }).name;
        const entity = id ? entityById(id) : undefined;
        if (entity) router.push(withView(entityPath(entity), { lang }));
      },
    }),
    [router, lang],
  );

  return (
    <div data-testid={testIds.map} data-layer={layer} data-focus={focus ? props.focus : undefined} className="flex h-full min-h-0 flex-col">
      <div className="flex flex-wrap items-center justify-between gap-[0.5rem] text-[0.85rem] text-ink-dim">
        <span>
          {values && <MapLegend metric={metric} lang={lang} />}
        </span>
        {props.onLayerChange && (
          <span role="group" aria-label={t(lang, "map.layer")} data-chrome className="flex gap-[0.25rem]">
            {DOMAINS.map((d) => (
              <button
                key={d}
                type="button"
                data-testid={testIds.mapLayer(d)}
                aria-pressed={d === layer}
                onClick={() => props.onLayerChange?.(d)}
                className={`rounded border px-[0.45rem] text-[0.85rem] focus-visible:outline-2 focus-visible:outline-accent ${d === layer ? "border-accent bg-accent/20 text-ink" : "border-panel-edge text-ink-dim hover:text-ink"}`}
              >
                {t(lang, `domain.${d}`)}
              </button>
            ))}
          </span>
        )}
      </div>
      <div className="min-h-0 flex-1">
        {geo === "error" ? (
          <p className="p-[1rem] text-warn">⚠ {t(lang, "map.unavailable")}</p>
        ) : (
          // A new chart when the focus comes or goes: merged in place, the map would keep the zoomed centre.
          option && map && <EChart key={props.focus ?? "city"} option={option} map={map} testId={testIds.chart("map")} label={`${t(lang, "map.title")} · ${metric ? pick(lang, metric.label) : ""}`} onEvents={onEvents} />
        )}
      </div>
      {noOutline.length > 0 && <p className="text-[0.75rem] text-ink-dim">{t(lang, "map.note")}</p>}
    </div>
  );
}

/** What the colours and marks mean: severity by colour and by shape. */
function MapLegend({ metric, lang }: { metric: MetricDefinition | undefined; lang: Lang }) {
  return (
    <>
      {metric ? pick(lang, metric.label) : ""}
      {metric && pick(lang, metric.unit) ? ` (${pick(lang, metric.unit)})` : ""}
      <span className="ml-[0.6rem]">
        <span className="text-ok">■</span> {t(lang, "map.ok")} <span className="ml-[0.4rem] text-warn">▲</span> {t(lang, "map.warning")}{" "}
        <span className="ml-[0.4rem] text-crit">◆</span> {t(lang, "map.critical")}
      </span>
    </>
  );
}
