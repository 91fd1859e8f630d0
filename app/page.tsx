import { fetchSnapshot, realtimeLocation } from "@/lib/db/web";
import { parseLang } from "@/lib/i18n";
import { parseWallGeometry } from "@/lib/wall/geometry";
import { WALL_SUBSCRIPTION } from "@/lib/realtime/protocol";
import { Wall } from "@/components/wall/Wall";

export const dynamic = "force-dynamic";

export default async function WallPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  return <Wall lang={parseLang(params.lang)} geometry={parseWallGeometry(params)} snapshot={await fetchSnapshot(WALL_SUBSCRIPTION)} realtime={realtimeLocation()} />;
}
