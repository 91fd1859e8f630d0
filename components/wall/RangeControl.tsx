"use client";

import { useState } from "react";
import { fromShenzhenInput, shenzhenIso, toShenzhenInput } from "@/lib/shenzhen-time";
import { RANGE_KEYS, type TimeRange } from "@/lib/history/series";
import { t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import type { ExportState } from "./csv-download";

/** "近 1小时", or the fixed window in Shenzhen time ("11-24 08:00 – 11-24 09:00"). */
export function rangeCaption(lang: Lang, range: TimeRange): string {
  if (range.kind === "live") return t(lang, "range.last", { n: t(lang, `range.${range.key}`) });
  const short = (ms: number) => shenzhenIso(ms).slice(5, 16).replace("T", " ");
  return `${short(range.from)} – ${short(range.to)}`;
}


const button = "whitespace-nowrap rounded-[0.2rem] border px-[0.35rem] leading-[1.35] focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent";
const idle = "border-panel-edge text-ink-dim hover:text-ink";
const active = "border-accent bg-accent/20 text-ink";

/** The ranges a history chart offers (15 min … 7 d, custom) and its CSV export. */
export function RangeControl(props: {
  id: string;
  lang: Lang;
  range: TimeRange;
  endMs: number;
  onChange: (range: TimeRange) => void;
  /** What the chart draws, and how many points that is. */
  shownPoints: number;
  onExport: () => void;
  /** Every stored row of the range, streamed with progress. */
  onExportFull: () => void;
  exportState: ExportState;
  onCancelExport: () => void;
}) {
  const { id, lang, range } = props;
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const [exportMenu, setExportMenu] = useState(false);
  const running = props.exportState.status === "running" ? props.exportState : null;
  const percent = running?.progress != null ? `${Math.round(running.progress * 100)}%` : "…";
  const openCustom = () => {
    const to = range.kind === "fixed" ? range.to : props.endMs;
    const from = range.kind === "fixed" ? range.from : to - 3_600_000;
    setCustom({ from: toShenzhenInput(from), to: toShenzhenInput(to) });
  };
  const from = custom ? fromShenzhenInput(custom.from) : NaN;
  const to = custom ? fromShenzhenInput(custom.to) : NaN;
  const valid = Number.isFinite(from) && Number.isFinite(to) && to > from;
  return (
    // Over the chart's top edge, dimmed until pointed at: the wall's viewers read the chart, not the buttons.
    <div data-chrome className="absolute top-0 right-0 z-10 flex items-center gap-[0.2rem] text-[0.72rem] opacity-70 transition-opacity focus-within:opacity-100 hover:opacity-100">
      {RANGE_KEYS.map((key) => (
        <button
          key={key}
          type="button"
          data-testid={testIds.chartRange(id, key)}
          aria-pressed={range.kind === "live" && range.key === key}
          // "15m", "1h", "7d" read the same in both languages and keep the row narrow; the title says it in full.
          title={t(lang, "range.last", { n: t(lang, `range.${key}`) })}
          className={`${button} ${range.kind === "live" && range.key === key ? active : idle}`}
          onClick={() => props.onChange({ kind: "live", key })}
        >
          {key}
        </button>
      ))}
      <button
        type="button"
        data-testid={testIds.chartRange(id, "custom")}
        aria-pressed={range.kind === "fixed"}
        title={t(lang, "range.zoomHint")}
        className={`${button} ${range.kind === "fixed" ? active : idle}`}
        onClick={openCustom}
      >
        {t(lang, "range.custom")}
      </button>
      <button
        type="button"
        data-testid={testIds.chartExportMenu(id)}
        aria-expanded={exportMenu}
        title={t(lang, "chart.csvTitle")}
        className={`${button} ${exportMenu || running ? active : idle}`}
        onClick={() => setExportMenu(!exportMenu)}
      >
        ⤓ CSV{running && ` ${percent}`}
      </button>
      {exportMenu && (
        <div
          className="absolute top-full right-0 z-10 mt-[0.3rem] flex w-[17rem] flex-col gap-[0.35rem] rounded-[0.3rem] border border-accent bg-panel p-[0.5rem] text-[0.85rem] text-ink shadow-lg"
          onKeyDown={(event) => closeOnEscape(event, () => setExportMenu(false))}
        >
          <button
            type="button"
            data-testid={testIds.chartExport(id)}
            className={`${button} ${idle} text-left`}
            onClick={() => {
              props.onExport();
              setExportMenu(false);
            }}
          >
            {t(lang, "csv.shown", { n: props.shownPoints.toLocaleString("en-US") })}
          </button>
          <button type="button" data-testid={testIds.chartExportFull(id)} disabled={running !== null} className={`${button} ${idle} text-left disabled:opacity-40`} onClick={props.onExportFull}>
            {t(lang, "csv.full")}
          </button>
          {running && (
            <div data-testid={testIds.chartExportProgress(id)} data-progress={running.progress ?? ""} className="flex items-center gap-[0.4rem]">
              <span className="whitespace-nowrap">
                {t(lang, "csv.exporting")} {percent}
              </span>
              <span className="relative h-[0.35rem] flex-1 rounded bg-panel-edge" aria-hidden>
                <span className="absolute inset-y-0 left-0 rounded bg-accent" style={{ width: `${(running.progress ?? 0) * 100}%` }} />
              </span>
              <button type="button" className={`${button} ${idle}`} onClick={props.onCancelExport}>
                {t(lang, "range.cancel")}
              </button>
            </div>
          )}
          {props.exportState.status === "error" && (
            <span className="text-warn">
              ⚠ {t(lang, "csv.failed")}: {props.exportState.message}
            </span>
          )}
        </div>
      )}
      {custom && (
        <form
          data-testid={testIds.customRange(id)}
          className="absolute top-full right-0 z-10 mt-[0.3rem] flex flex-col gap-[0.4rem] rounded-[0.3rem] border border-accent bg-panel p-[0.6rem] text-[0.85rem] text-ink shadow-lg"
          onSubmit={(event) => {
            event.preventDefault();
            if (!valid) return;
            props.onChange({ kind: "fixed", from, to });
            setCustom(null);
          }}
          onKeyDown={(event) => closeOnEscape(event, () => setCustom(null))}
        >
          <label className="flex items-center justify-between gap-[0.5rem]">
            {t(lang, "range.from")}
            <input type="datetime-local" name="from" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} className="bg-wall-bg px-[0.3rem] text-ink [color-scheme:dark]" />
          </label>
          <label className="flex items-center justify-between gap-[0.5rem]">
            {t(lang, "range.to")}
            <input type="datetime-local" name="to" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} className="bg-wall-bg px-[0.3rem] text-ink [color-scheme:dark]" />
          </label>
          <span className="text-[0.75rem] text-ink-dim">UTC+8 · {t(lang, "range.zoomHint")}</span>
          {!valid && <span className="text-warn">{t(lang, "range.invalid")}</span>}
          <div className="flex justify-end gap-[0.4rem]">
            <button type="button" className={`${button} ${idle}`} onClick={() => setCustom(null)}>
              {t(lang, "range.cancel")}
            </button>
            <button type="submit" disabled={!valid} className={`${button} ${active} disabled:opacity-40`}>
              {t(lang, "range.apply")}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** Escape closes the open menu or form, and only that: a drill-down page's Escape (up one level) stays put. */
export function closeOnEscape(event: { key: string; preventDefault(): void }, close: () => void): void {
  if (event.key !== "Escape") return;
  event.preventDefault();
  close();
}
