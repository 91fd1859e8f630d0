/** Shenzhen time (UTC+8, no daylight saving) as text, whatever zone the wall PC or a browser is in. */
const SHENZHEN_OFFSET_MS = 8 * 3_600_000;

/** 2026-11-25T08:15:00+08:00: readable in a spreadsheet or a chat message, and unambiguous. */
export function shenzhenIso(epochMs: number): string {
  return `${new Date(epochMs + SHENZHEN_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** 20261125-0815: for file names (no colons, sorts by time). */
export function compactShenzhen(epochMs: number): string {
  const iso = shenzhenIso(epochMs);
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 16).replace(":", "")}`;
}

/** The value of an <input type="datetime-local"> showing this instant in Shenzhen time (to the minute). */
export function toShenzhenInput(epochMs: number): string {
  return shenzhenIso(epochMs).slice(0, 16);
}

/** An <input type="datetime-local"> value read as Shenzhen time; NaN when it is not one. */
export function fromShenzhenInput(value: string): number {
  return Date.parse(`${value}:00+08:00`);
}
