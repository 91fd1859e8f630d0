import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EntityView } from "@/components/drill/EntityView";
import { fetchSnapshot, realtimeLocation } from "@/lib/db/web";
import { DOMAIN_OF_KIND, entityOfSegment, parseViewState } from "@/lib/drill/routes";

export const dynamic = "force-dynamic";

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
  const snapshot = await fetchSnapshot({ domains: [domain], level: "entities", scope: entity.id });
  return <EntityView entity={entity} lang={view.lang} snapshot={snapshot} realtime={realtimeLocation()} />;
}
