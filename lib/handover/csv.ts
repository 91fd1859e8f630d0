/** A handover as CSV: the page's rows, a header row, UTF-8 with a BOM so Excel opens Chinese as Chinese. */
import { compactShenzhen } from "../shenzhen-time";
import type { Lang } from "../i18n";
import { COLUMNS, COLUMN_TEXT, say, type HandoverRow } from "./rows";
import type { HandoverSpan } from "./span";

const BOM = "\uFEFF";

/**
 * One cell: quoted when it holds a separator, quote or line break; a cell that a spreadsheet
 * would run as a formula (an operator's comment "=HYPERLINK(…)") is prefixed with ' so it stays text.
 */
export function csvCell(text: string): string {
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

export function handoverCsv(rows: readonly HandoverRow[], lang: Lang): string {
  const header = COLUMNS.map((c) => csvCell(COLUMN_TEXT[c][lang])).join(",");
  const body = rows.map((row) => COLUMNS.map((c) => csvCell(c === "section" ? say(lang, row.section) : row[c])).join(",")).join("\r\n");
  return `${BOM}${header}\r\n${body}${rows.length > 0 ? "\r\n" : ""}`;
}

export function handoverCsvFilename(span: HandoverSpan): string {
  return `onescreen_handover_${compactShenzhen(span.from)}_${compactShenzhen(span.to)}.csv`;
}
