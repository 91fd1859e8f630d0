"use client";

import { attentionOf } from "@/lib/alerts/attention";
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
  // A critical alert nobody has acknowledged takes the map to its layer and zooms in on its district, outlined.
  const attention = attentionOf(live.alerts);
  const layer = attention?.domain ?? view.layer;
  return (
    <Panel id="map" title={t(lang, "map.title")} lang={lang} freshness={freshnessOf(live, layer)} attention={attention !== null}>
      <CityMap layer={layer} lang={lang} highlight={attention?.districtId ? [attention.districtId] : []} focus={attention?.districtId} onLayerChange={(next) => setView({ layer: next })} />
    </Panel>
  );
}
