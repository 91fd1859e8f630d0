/** CSV of what a history chart shows, named after its series and range. */
import type { HistoryPoint } from "./series";

const SHENZHEN_OFFSET_MS = 8 * 3_600_000;

/** 2026-11-25T08:15:00+08:00: Shenzhen time, readable in a spreadsheet and unambiguous. */
export function shenzhenIso(epochMs: number): string {
  return `${new Date(epochMs + SHENZHEN_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** 20261125-0815: for file names (no colons, sorts by time). */
function compactShenzhen(epochMs: number): string {
  const iso = new Date(epochMs + SHENZHEN_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 16).replace(":", "")}`;
}

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
