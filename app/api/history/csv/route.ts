import type { NextRequest } from "next/server";
import { retentionOf } from "@/lib/config";
import { exportPage, exportRowCount } from "@/lib/db/history";
import { webDatabase, webEnv } from "@/lib/db/web";
import { CSV_HEADER, csvFilename, csvRows } from "@/lib/history/csv";
import { finestRetained } from "@/lib/history/plan";
import { historyQuerySchema } from "@/lib/history/query";
import { issuesMessage } from "@/lib/issues";

export const dynamic = "force-dynamic";

/** Rows per database read: a few milliseconds of the event loop each, and bounded memory. */
const PAGE_ROWS = 10_000;

/**
 * GET /api/history/csv?metric=&entity=&from=&to= — every stored row of one series in the
 * range at the finest resolution still kept at `from` (raw samples, else minute or hour
 * rollups), streamed page by page. `X-Total-Rows` announces the row count so a client
 * can show progress. Same columns as a chart's CSV; a bad parameter is a 400 naming it.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const retention = retentionOf(webEnv());
  const parsed = historyQuerySchema(retention.hourMs).safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) {
    return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  }
  const q = parsed.data;
  const series = { metricId: q.metric, entityId: q.entity, to: q.to, resolution: finestRetained(q.from, Math.max(Date.now(), q.to), retention) };
  let total: number;
  try {
    total = await exportRowCount(await webDatabase(), { ...series, from: q.from });
  } catch (error) {
    return Response.json({ error: `history unavailable: ${error instanceof Error ? error.message : String(error)}` }, { status: 503 });
  }

  let cursor = q.from;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${CSV_HEADER}\r\n`));
    },
    // One page per pull: the stream reads the database only as fast as the client downloads.
    async pull(controller) {
      try {
        const page = await exportPage(await webDatabase(), { ...series, from: cursor, limit: PAGE_ROWS });
        if (page.length > 0) controller.enqueue(encoder.encode(csvRows(page)));
        if (page.length < PAGE_ROWS) controller.close();
        else cursor = page[page.length - 1]![0] + 1;
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const filename = csvFilename({ metricId: q.metric, entityId: q.entity, from: q.from, to: q.to, resolution: series.resolution });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "X-Total-Rows": String(total),
      "X-Resolution": series.resolution,
    },
  });
}
