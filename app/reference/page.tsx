import type { Metadata } from "next";
import { ReferenceView } from "@/components/drill/ReferenceView";
import { referenceFigures } from "@/lib/db/reference";
import { realtimeLocation, webDatabase } from "@/lib/db/web";
import { parseLang } from "@/lib/i18n";
import { SERIES, type ReferenceFigure } from "@/lib/reference/figures";
import { webLog } from "@/lib/web-log";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "参考数据 · OneScreen" };

async function investmentFigures(): Promise<ReferenceFigure[] | null> {
  try {
    return await referenceFigures(await webDatabase(), [SERIES.globalInvestment, SERIES.chinaInvestment]);
  } catch (error) {
    webLog().error({ err: error }, "reference figures unavailable");
    return null;
  }
}

export default async function ReferencePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const lang = parseLang((await searchParams).lang);
  return <ReferenceView lang={lang} figures={await investmentFigures()} snapshot={null} realtime={realtimeLocation()} />;
}
