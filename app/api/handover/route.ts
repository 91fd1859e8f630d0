import type { NextRequest } from "next/server";
import { parseLang } from "@/lib/i18n";
import { handoverCsv, handoverCsvFilename } from "@/lib/handover/csv";
import { handoverRows } from "@/lib/handover/rows";
import { handoverSpanSchema } from "@/lib/handover/span";
import { issuesMessage } from "@/lib/issues";
import { unavailable } from "@/lib/web-answers";
import { loadHandover, sourceClock } from "@/app/handover/load";

export const dynamic = "force-dynamic";

/**
 * GET /api/handover?from=&to=[&lang=en] — the shift handover as CSV (what /handover?format=csv
 * sends you to): the page's rows under a header row, UTF-8 with a BOM. The span defaults to
 * the last 8 hours of the source clock and is at most 7 days; a bad one is a 400 naming the field.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const params = request.nextUrl.searchParams;
  const clock = await sourceClock();
  const parsed = handoverSpanSchema(clock.now).safeParse({ from: params.get("from") ?? undefined, to: params.get("to") ?? undefined, format: "csv" });
  if (!parsed.success) return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  const lang = parseLang(params.get("lang") ?? undefined);
  try {
    const report = await loadHandover(parsed.data, clock);
    return new Response(handoverCsv(handoverRows(report, lang), lang), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${handoverCsvFilename(parsed.data)}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return unavailable("handover", error);
  }
}
