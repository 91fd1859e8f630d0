import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DistrictView } from "@/components/drill/DistrictView";
import { DOMAINS } from "@/lib/catalog";
import { fetchSnapshot, realtimeLocation } from "@/lib/db/web";
import { districtOf, parseViewState } from "@/lib/drill/routes";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const district = districtOf((await params).id);
  return { title: district ? `${district.nameZh} · OneScreen` : "404 · OneScreen" };
}

export default async function DistrictPage({ params, searchParams }: Props) {
  const district = districtOf((await params).id);
  if (!district) notFound(); // never: the layout checked
  const { lang } = parseViewState(await searchParams);
  const snapshot = await fetchSnapshot({ domains: [...DOMAINS], level: "entities", scope: district.id });
  return <DistrictView district={district} lang={lang} snapshot={snapshot} realtime={realtimeLocation()} />;
}
