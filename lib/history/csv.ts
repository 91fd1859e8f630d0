/** CSV of what a history chart shows, named after its series and range. */
import { compactShenzhen, shenzhenIso } from "../shenzhen-time";
import type { HistoryPoint } from "./series";

export const CSV_HEADER = "time,epoch_ms,value,min,max,samples";

/** CSV rows (CRLF-terminated, no header); a bucket's value is its average, a single sample's min and max are itself. */
export function csvRows(points: readonly HistoryPoint[]): string {
  return points.map(([ts, avg, min, max, count]) => `${shenzhenIso(ts)},${ts},${avg},${min},${max},${count}\r\n`).join("");
}

export function historyCsv(points: readonly HistoryPoint[]): string {
  return `${CSV_HEADER}\r\n${csvRows(points)}`;
}

/** `…_<from>_<to>.csv`, or `…_<from>_<to>_<resolution>.csv` for a full-resolution export. */
export function csvFilename(q: { metricId: string; entityId: string; from: number; to: number; resolution?: string }): string {
  const safe = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, "_");
  const suffix = q.resolution ? `_${safe(q.resolution)}` : "";
  return `onescreen_${safe(q.metricId)}_${safe(q.entityId)}_${compactShenzhen(q.from)}_${compactShenzhen(q.to)}${suffix}.csv`;
}

/** How far a streamed CSV download is, from the rows seen so far (CRLF-counted) and the total announced. */
export function csvProgress(rowsSeen: number, totalRows: number | null): number | null {
  if (totalRows === null || !Number.isFinite(totalRows)) return null;
  // The header is one more line than the rows.
  return totalRows === 0 ? 1 : Math.min(1, Math.max(0, (rowsSeen - 1) / totalRows));
}
