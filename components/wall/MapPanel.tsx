"use client";

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
  return (
    <Panel id="map" title={t(lang, "map.title")} lang={lang} freshness={freshnessOf(live, view.layer)}>
      <CityMap layer={view.layer} lang={lang} onLayerChange={(layer) => setView({ layer })} />
    </Panel>
  );
}
