import type { NextRequest } from "next/server";
import { clientOf } from "@/lib/web-client";
import { ClientSlots } from "@/lib/concurrency";
import { retentionOf } from "@/lib/config";
import { exportPage, exportRowCount } from "@/lib/db/history";
import { webDatabase, webEnv } from "@/lib/db/web";
import { CSV_HEADER, csvFilename, csvRows } from "@/lib/history/csv";
import { finestRetained } from "@/lib/history/plan";
import { historyQuerySchema } from "@/lib/history/query";
import { issuesMessage } from "@/lib/issues";
import { tooMany, unavailable } from "@/lib/web-answers";
import type { ExportOutcome } from "@/lib/metrics-labels";
import { observeExport, timedRoute } from "@/lib/web-metrics";
import { webLog } from "@/lib/web-log";

export const dynamic = "force-dynamic";

export const GET = timedRoute("history_csv", answerExport);

/** Rows per database read: 2–4 ms of the event loop, read and formatted (Prisma maps every row). */
const PAGE_ROWS = 500;
/** A client that reads nothing for this long loses its download (and its place). */
const IDLE_MS = 30_000;
/** What a refused export is told: a 48-hour raw export takes a few seconds. */
const RETRY_AFTER_S = 5;

// One per web process.
let slots: ClientSlots | undefined;
const exportSlots = () => (slots ??= new ClientSlots({ total: webEnv().EXPORTS_AT_ONCE, perClient: webEnv().EXPORTS_PER_CLIENT }));

/**
 * The pages of every running export take turns, each followed by a rest as long as it took:
 * exports together hold at most half of the event loop, and a request arriving meanwhile
 * waits for one page at most at each of its own turns. (Measured: with pages only separated
 * by setImmediate, two exports made a probe wait 70–90 ms at the median, 330–380 ms at p99;
 * taking turns, 15–25 ms and 100–210 ms, on the same loaded 2-core machine.)
 */
let turns: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = turns.then(async () => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, performance.now() - started)));
    }
  });
  turns = turn.catch(() => undefined);
  return turn;
}

/**
 * GET /api/history/csv?metric=&entity=&from=&to= — every stored row of one series in the
 * range at the finest resolution still kept at `from` (raw samples, else minute or hour
 * rollups), streamed page by page. `X-Total-Rows` announces the row count so a client
 * can show progress. Same columns as a chart's CSV; a bad parameter is a 400 naming it.
 * At most EXPORTS_AT_ONCE run at once, EXPORTS_PER_CLIENT per client: beyond, a 429 with
 * Retry-After. Pages take turns and rest (inTurn), so the rest of the app answers meanwhile.
 */
async function answerExport(request: NextRequest): Promise<Response> {
  const started = performance.now();
  const retention = retentionOf(webEnv());
  const parsed = historyQuerySchema(retention.hourMs).safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) {
    return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  }
  const q = parsed.data;
  const place = exportSlots().take(clientOf(request.headers));
  if ("refused" in place) {
    return tooMany(
      place.refused === "client" ? "export: a download from this address is still running; try again when it ends" : "export: the server is busy with other downloads; try again shortly",
      RETRY_AFTER_S,
    );
  }
  const series = { metricId: q.metric, entityId: q.entity, to: q.to, resolution: finestRetained(q.from, Math.max(Date.now(), q.to), retention) };
  let total: number;
  try {
    total = await exportRowCount(await webDatabase(), { ...series, from: q.from });
  } catch (error) {
    place.release();
    return unavailable("history", error);
  }

  let cursor = q.from;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const encoder = new TextEncoder();
  const end = (outcome: ExportOutcome) => {
    if (!ended) observeExport(outcome, (performance.now() - started) / 1_000);
    ended = true;
    clearTimeout(idle);
    place.release();
  };
  // Also before the first page: a response nobody ever reads must not keep its place.
  const armIdle = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    idle = setTimeout(() => {
      end("idle");
      controller.error(new Error(`export: nothing read for ${IDLE_MS / 1_000} s`));
    }, IDLE_MS);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${CSV_HEADER}\r\n`));
      armIdle(controller);
    },
    // One page per pull: the stream reads the database only as fast as the client downloads.
    async pull(controller) {
      clearTimeout(idle);
      try {
        const read = await inTurn(async () => {
          // Cancelled while it waited (the client went away): nothing more to read.
          if (ended) return null;
          const page = await exportPage(await webDatabase(), { ...series, from: cursor, limit: PAGE_ROWS });
          return { page, bytes: encoder.encode(csvRows(page)) };
        });
        if (!read) return;
        const { page, bytes } = read;
        if (page.length > 0) controller.enqueue(bytes);
        if (page.length < PAGE_ROWS) {
          controller.close();
          return end("complete");
        }
        cursor = page[page.length - 1]![0] + 1;
        armIdle(controller);
      } catch (error) {
        webLog("export").error({ err: error }, "history export failed");
        end("failed");
        controller.error(new Error("history: export failed"));
      }
    },
    cancel: () => end("cancelled"),
  });
  const filename = csvFilename({ metricId: q.metric, entityId: q.entity, from: q.from, to: q.to, resolution: series.resolution });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "X-Total-Rows": String(total),
      "X-Resolution": series.resolution,
      // Not gzipped on the way (no-transform): compressing takes as much CPU as producing the rows, and a
      // 2-core server needs it for everyone else (two exports at once: probe p50 21-43 ms instead of 39-63).
      "Cache-Control": "no-store, no-transform",
    },
  });
}
