import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { EntityView, type EntityLevels } from "@/components/drill/EntityView";
import { ZAlertRule, seriesLevels } from "@/lib/alerts/rules";
import { metricsOfKind } from "@/lib/catalog";
import { fetchSnapshot, realtimeLocation } from "@/lib/db/web";
import { DOMAIN_OF_KIND, entityOfSegment, parseViewState } from "@/lib/drill/routes";
import { sideServerGet } from "@/lib/web-auth";

export const dynamic = "force-dynamic";

const ZRules = z.object({ rules: z.array(ZAlertRule) });

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const entity = entityOfSegment((await params).id);
  return { title: entity ? `${entity.nameZh} · OneScreen` : "404 · OneScreen" };
}

export default async function EntityPage({ params, searchParams }: Props) {
  const entity = entityOfSegment((await params).id);
  const domain = entity && DOMAIN_OF_KIND[entity.kind];
  if (!entity || !domain) notFound(); // never: the layout checked
  const view = parseViewState(await searchParams);
  const [snapshot, rules] = await Promise.all([fetchSnapshot({ domains: [domain], level: "entities", scope: entity.id }), sideServerGet("/alerts/rules", ZRules)]);
  // The alert rules in force, so a value at a rule's level is marked here as on the alert feed; without
  // the side server (no live data either) only the catalog's thresholds.
  const levels: EntityLevels = Object.fromEntries(metricsOfKind(entity.kind).map((m) => [m.id, seriesLevels(m, entity.id, rules?.rules ?? [])]));
  return <EntityView entity={entity} lang={view.lang} snapshot={snapshot} realtime={realtimeLocation()} levels={levels} />;
}
