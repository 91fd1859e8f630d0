"use client";

import { attentionOf } from "@/lib/alerts/attention";
import { alertValueText } from "@/lib/alerts/value";
import { entityById } from "@/lib/catalog";
import type { MapAlert } from "@/lib/charts/city-map";
import { t, type Lang } from "@/lib/i18n";
import { useView } from "../drill/use-view";
import { CityMap } from "../map/CityMap";
import { useLive } from "../realtime/LiveProvider";
import { Panel } from "./Panel";
import { freshnessOf } from "./freshness";

/** 一图全面感知: the wall's map, its layer (domain) switchable and kept in the URL. */
export function MapPanel({ lang }: { lang: Lang }) {
  const live = useLive();
  const [view, setView] = useView();
  // A critical alert nobody has acknowledged takes the map to its layer and to its place: the road or site drawn with its value, its district marked.
  const attention = attentionOf(live.alerts);
  const layer = attention?.domain ?? view.layer;
  let alert: MapAlert | undefined;
  if (attention) {
    const entity = entityById(attention.alert.entityId);
    const district = attention.districtId ? entityById(attention.districtId) : undefined;
    const value = alertValueText(lang, attention.alert);
    alert = {
      severity: "critical",
      districtId: attention.districtId,
      place: attention.place,
      label: `${entity ? (lang === "zh" ? entity.nameZh : entity.nameEn) : attention.alert.entityId}${value !== null ? ` ${value}` : ""}`,
      districtAt: district?.lon != null && district.lat != null ? [district.lon, district.lat] : null,
    };
  }
  return (
    <Panel id="map" title={t(lang, "map.title")} lang={lang} freshness={freshnessOf(live, layer)} attention={attention !== null}>
      <CityMap layer={layer} lang={lang} alert={alert} focus={attention?.districtId} onLayerChange={(next) => setView({ layer: next })} />
    </Panel>
  );
}
