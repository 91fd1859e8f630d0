import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DomainView } from "@/components/drill/DomainView";
import { CITY_ID } from "@/lib/catalog";
import { fetchSnapshot, realtimeLocation } from "@/lib/db/web";
import { isDomain, parseViewState } from "@/lib/drill/routes";
import { t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ domain: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { domain } = await params;
  return { title: isDomain(domain) ? `${t("zh", `domain.${domain}`)} · OneScreen` : "404 · OneScreen" };
}

export default async function DomainPage({ params, searchParams }: Props) {
  const { domain } = await params;
  if (!isDomain(domain)) notFound(); // never: the layout checked
  const { lang } = parseViewState(await searchParams);
  const snapshot = await fetchSnapshot({ domains: [domain], level: "entities", scope: CITY_ID });
  return <DomainView domain={domain} lang={lang} snapshot={snapshot} realtime={realtimeLocation()} />;
}
