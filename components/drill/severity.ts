/** Severity in a table cell: by colour and by a mark, so it reads without colour too. */
export const SEVERITY_CELL = { ok: "text-ink", warning: "text-warn", critical: "text-crit font-bold" } as const;
export const SEVERITY_MARK = { ok: "", warning: "▲ ", critical: "◆ " } as const;
