"use client";

import { entityById, metricsOfKind, type Domain, type EntityDefinition } from "@/lib/catalog";
import { levelsOf, type SeverityLevel } from "@/lib/charts/severity";
import { DOMAIN_OF_KIND, districtPath, entityTrail, withView } from "@/lib/drill/routes";
import { formatValue, t, type Lang, type MessageKey } from "@/lib/i18n";
import type { TSubscription } from "@/lib/realtime/protocol";
import { testIds } from "@/lib/testids";
import { CityMap } from "../map/CityMap";
import { useLive } from "../realtime/LiveProvider";
import { entityStaleAfterMs, freshnessOf } from "../wall/freshness";
import { Kpi } from "../wall/Kpi";
import { Panel } from "../wall/Panel";
import { TrendChart } from "../wall/TrendChart";
import { DrillShell, type DrillPageProps } from "./DrillShell";
import { useView } from "./use-view";
import { NavLink } from "./NavLink";

/** Per metric, the levels at which this entity's value is a warning or critical (catalog thresholds and the rules watching it). */
export type EntityLevels = Record<string, SeverityLevel[]>;

/** `/entity/lot-futian-001`: one road, lot, institution or node — live values, history and what it is. */
export function EntityView({ entity, lang, levels, ...page }: DrillPageProps & { entity: EntityDefinition; lang: Lang; levels: EntityLevels }) {
  // Every kind with a page of its own has a domain (the page's layout sends the city and districts elsewhere).
  const domain = DOMAIN_OF_KIND[entity.kind] ?? "traffic";
  const subscription: TSubscription = { domains: [domain], level: "entities", scope: entity.id };
  return (
    <DrillShell {...page} lang={lang} trail={entityTrail(entity.id)} current={lang === "zh" ? entity.nameZh : entity.nameEn} subscription={subscription}>
      <EntityBody entity={entity} domain={domain} lang={lang} levels={levels} />
    </DrillShell>
  );
}

function EntityBody({ entity, domain, lang, levels }: { entity: EntityDefinition; domain: Domain; lang: Lang; levels: EntityLevels }) {
  const live = useLive();
  const [view, setView] = useView();
  const metrics = metricsOfKind(entity.kind);
  const levelsOfMetric = (id: string) => levels[id] ?? levelsOf(metrics.find((m) => m.id === id)?.thresholds);
  const freshness = freshnessOf(live, domain, entityStaleAfterMs(live));
  const name = lang === "zh" ? entity.nameZh : entity.nameEn;
  return (
    <div className="grid grid-cols-[2fr_1fr] items-start gap-[0.7rem]">
      <div className="grid grid-cols-2 gap-[0.7rem]">
        <div className="col-span-2">
          <Panel id="entity-live" title={name} lang={lang} freshness={freshness}>
            <div className="grid grid-cols-3 gap-[0.8rem] py-[0.35rem]">
              {metrics.map((m) => (
                <Kpi key={m.id} metric={m} value={live.store.latest(m.id, entity.id)?.value} lang={lang} levels={levelsOfMetric(m.id)} />
              ))}
            </div>
          </Panel>
        </div>
        {metrics.map((m) => (
          <Panel key={m.id} id={`entity-history-${m.id}`} title={t(lang, "drill.history")} lang={lang}>
            <div className="flex h-[18rem] flex-col">
              <TrendChart
                id={`${m.id}-entity`}
                metric={m}
                entityId={entity.id}
                scope={name}
                lang={lang}
                levels={levelsOfMetric(m.id)}
                range={view.range}
                onRangeChange={(range) => setView({ range })}
              />
            </div>
          </Panel>
        ))}
      </div>
      <div className="grid gap-[0.7rem]">
        <Panel id="entity-facts" title={t(lang, "drill.details")} lang={lang}>
          <EntityFacts entity={entity} lang={lang} />
        </Panel>
        {entity.lon !== null && entity.lat !== null && (
          <Panel id="entity-map" title={t(lang, "map.title")} lang={lang}>
            <div className="h-[18rem]">
              <CityMap layer={domain} lang={lang} values={false} highlight={[entity.id, entity.districtId ?? ""]} dots={[{ id: entity.id, label: name, value: null, lon: entity.lon, lat: entity.lat }]} />
            </div>
          </Panel>
        )}
      </div>
    </div>
  );
}

function EntityFacts({ entity, lang }: { entity: EntityDefinition; lang: Lang }) {
  const district = entity.districtId ? entityById(entity.districtId) : undefined;
  const capacityKey = `capacity.${entity.kind}` as MessageKey;
  const hasCapacity = entity.capacity !== null && ["lot", "hospital", "healthCentre", "accessNode"].includes(entity.kind);
  const rows: [string, React.ReactNode][] = [
    [t(lang, "drill.kind"), t(lang, `kind.${entity.kind}` as MessageKey)],
    [t(lang, "drill.id"), <code key="id">{entity.id}</code>],
    [
      t(lang, "districts.name"),
      district ? (
        <NavLink key="d" href={withView(districtPath(district.id), { lang })} >
          {lang === "zh" ? district.nameZh : district.nameEn}
        </NavLink>
      ) : (
        "—"
      ),
    ],
    ...(hasCapacity ? [[t(lang, "drill.capacity"), t(lang, capacityKey, { n: formatValue(lang, entity.capacity ?? 0, 0) })] as [string, React.ReactNode]] : []),
    [t(lang, "drill.position"), entity.lon !== null && entity.lat !== null ? `${entity.lat.toFixed(4)}°N, ${entity.lon.toFixed(4)}°E` : "—"],
  ];
  return (
    <dl data-testid={testIds.entityFacts} className="grid grid-cols-[auto_1fr] gap-x-[1rem] gap-y-[0.3rem] py-[0.35rem] text-[1rem]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-ink-dim">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
