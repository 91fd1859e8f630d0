import { referenceFigures } from "@/lib/db/reference";
import { webDatabase } from "@/lib/db/web";
import { SERIES } from "@/lib/reference/figures";
import { unavailable } from "@/lib/web-answers";

export const dynamic = "force-dynamic";

/** Smart-city investment figures with provenance (kind, source, derivation). */
export async function GET(): Promise<Response> {
  try {
    const figures = await referenceFigures(await webDatabase(), [SERIES.globalInvestment, SERIES.chinaInvestment]);
    return Response.json({ figures });
  } catch (error) {
    return unavailable("reference data", error);
  }
}
