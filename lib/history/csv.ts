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

/** One row per point; a bucket's value is its average, a live point's min and max are itself. */
export function historyCsv(points: readonly HistoryPoint[]): string {
  const rows = points.map(([ts, avg, min, max, count]) => `${shenzhenIso(ts)},${ts},${avg},${min},${max},${count}`);
  return `${[CSV_HEADER, ...rows].join("\r\n")}\r\n`;
}

export function csvFilename(q: { metricId: string; entityId: string; from: number; to: number }): string {
  const safe = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, "_");
  return `onescreen_${safe(q.metricId)}_${safe(q.entityId)}_${compactShenzhen(q.from)}_${compactShenzhen(q.to)}.csv`;
}
