import { DOMAINS } from "@/lib/catalog";
import { referenceFigures } from "@/lib/db/reference";
import { fetchSnapshot, webDatabase, webEnv } from "@/lib/db/web";
import { parseLang } from "@/lib/i18n";
import { SERIES, type ReferenceFigure } from "@/lib/reference/figures";
import { Wall } from "@/components/wall/Wall";

export const dynamic = "force-dynamic";

async function investmentFigures(): Promise<ReferenceFigure[] | null> {
  try {
    return await referenceFigures(await webDatabase(), [SERIES.globalInvestment, SERIES.chinaInvestment]);
  } catch (error) {
    console.error("[web] reference figures unavailable:", error instanceof Error ? error.message : error);
    return null;
  }
}

export default async function WallPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const lang = parseLang(params.lang);
  const env = webEnv();
  const [snapshot, figures] = await Promise.all([fetchSnapshot(DOMAINS), investmentFigures()]);
  return (
    <Wall
      lang={lang}
      langHref={lang === "zh" ? "/?lang=en" : "/"}
      snapshot={snapshot}
      figures={figures}
      realtime={{ configuredUrl: env.REALTIME_PUBLIC_URL ?? null, port: env.REALTIME_PORT }}
    />
  );
}
