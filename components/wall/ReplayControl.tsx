"use client";

import { useEffect, useState } from "react";
import { fromShenzhenInput, toShenzhenInput } from "@/lib/shenzhen-time";
import { RANGES, type RangeKey } from "@/lib/history/series";
import { closeOnEscape } from "./RangeControl";
import { formatClock, formatDate, t, type Lang } from "@/lib/i18n";
import { REPLAY_SPEEDS, replayFromUrl, replayToUrl, type ReplayRequest, type ReplaySpeed } from "@/lib/realtime/replay";
import { testIds } from "@/lib/testids";
import type { LiveClient } from "../realtime/live-client";
import { useLive } from "../realtime/LiveProvider";

const DURATIONS: RangeKey[] = ["15m", "1h", "6h", "24h"];
const button = "whitespace-nowrap rounded-[0.25rem] border px-[0.6rem] focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent";

const same = (a: ReplayRequest | undefined, b: ReplayRequest) => a !== undefined && a.from === b.from && a.to === b.to && a.speed === b.speed;

/** Keeps the replay in the URL and the URL's replay on the wall (pasted links, the back button). */
export function useReplayUrl(live: LiveClient): (request: ReplayRequest | null) => void {
  useEffect(() => {
    const apply = () => {
      const request = replayFromUrl(new URLSearchParams(window.location.search));
      if (request && !same(live.replay?.request, request)) live.startReplay(request);
      else if (!request && live.replay) live.stopReplay();
    };
    apply();
    window.addEventListener("popstate", apply);
    return () => window.removeEventListener("popstate", apply);
  }, [live]);
  return (request) => {
    const params = replayToUrl(new URLSearchParams(window.location.search), request);
    window.history.pushState(null, "", `${window.location.pathname}${params.size > 0 ? `?${params}` : ""}`);
    if (request) live.startReplay(request);
    else live.stopReplay();
  };
}

/** The header's replay: a button and form while live; the unmistakable marker, replayed time and exit while replaying. */
export function ReplayControl({ lang, navigate }: { lang: Lang; navigate: (request: ReplayRequest | null) => void }) {
  const live = useLive();
  const replay = live.replay;
  if (replay) {
    const now = live.sourceNow() ?? replay.request.from;
    const { from, to, speed } = replay.request;
    const progress = Math.min(1, Math.max(0, (now - from) / (to - from)));
    const state = replay.status === "loading" ? t(lang, "replay.loading") : replay.status === "ended" ? t(lang, "replay.ended") : replay.status === "error" ? `⚠ ${t(lang, "replay.error")}` : null;
    return (
      <div
        data-testid={testIds.replayMarker}
        data-status={replay.status}
        className="relative flex shrink-0 items-center gap-[0.8rem] overflow-hidden whitespace-nowrap rounded-[0.3rem] border-[0.15rem] border-replay bg-replay/20 px-[0.8rem] py-[0.1rem]"
      >
        <span className="rounded-[0.2rem] bg-replay px-[0.5rem] text-[1.4rem] font-bold tracking-[0.08em] text-wall-bg">
          <RewindIcon /> {t(lang, "replay.marker")}
        </span>
        <span data-testid={testIds.replayClock} data-ts={now} className="text-[1.9rem] font-bold tabular-nums text-ink">
          {formatClock(lang, now)}
        </span>
        <span className="flex flex-col text-[0.85rem] leading-tight text-ink-dim tabular-nums">
          <span>{formatDate(lang, now)}</span>
          <span>
            {formatClock(lang, from).slice(0, 5)}–{formatClock(lang, to).slice(0, 5)}
          </span>
        </span>
        <span className="text-[1.3rem] font-bold text-replay">×{speed}</span>
        {state && <span className="text-[1rem] text-ink">{state}</span>}
        <button type="button" data-testid={testIds.replayExit} className={`${button} border-replay text-[1rem] text-ink hover:bg-replay/30`} onClick={() => navigate(null)}>
          {t(lang, "replay.exit")}
        </button>
        <span className="absolute inset-x-0 bottom-0 h-[0.2rem] bg-panel-edge" aria-hidden>
          <span className="absolute inset-y-0 left-0 bg-replay" style={{ width: `${progress * 100}%` }} />
        </span>
      </div>
    );
  }
  return <ReplayForm lang={lang} liveNow={live.sourceNow()} onStart={navigate} />;
}

function ReplayForm({ lang, liveNow, onStart }: { lang: Lang; liveNow: number | null; onStart: (request: ReplayRequest) => void }) {
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState("");
  const [duration, setDuration] = useState<RangeKey>("1h");
  const [speed, setSpeed] = useState<ReplaySpeed>(10);
  const from = fromShenzhenInput(start);
  const valid = Number.isFinite(from) && liveNow !== null && from < liveNow;
  const toggle = () => {
    // Default: the hour before now, on the minute.
    if (!open && liveNow !== null) setStart(toShenzhenInput(liveNow - RANGES["1h"]));
    setOpen(!open);
  };
  return (
    <div className="relative">
      <button type="button" data-testid={testIds.replayOpen} aria-expanded={open} className={`${button} border-panel-edge text-ink-dim hover:text-ink`} onClick={toggle}>
        <RewindIcon /> {t(lang, "replay.open")}
      </button>
      {open && (
        <form
          data-testid={testIds.replayForm}
          className="absolute top-full right-0 z-20 mt-[0.4rem] flex w-[22rem] flex-col gap-[0.6rem] rounded-[0.4rem] border border-replay bg-panel p-[0.9rem] text-[0.95rem] text-ink shadow-xl"
          onKeyDown={(event) => closeOnEscape(event, () => setOpen(false))}
          onSubmit={(event) => {
            event.preventDefault();
            if (!valid || liveNow === null) return;
            setOpen(false);
            onStart({ from, to: Math.min(liveNow, from + RANGES[duration]), speed });
          }}
        >
          <strong className="text-[1.05rem]">{t(lang, "replay.title")}</strong>
          <label className="flex items-center justify-between gap-[0.6rem]">
            {t(lang, "replay.from")}
            <input type="datetime-local" name="replay-from" required value={start} onChange={(e) => setStart(e.target.value)} className="bg-wall-bg px-[0.3rem] [color-scheme:dark]" />
          </label>
          <Choice label={t(lang, "replay.duration")} options={DURATIONS} value={duration} onChange={setDuration} text={(d) => t(lang, `range.${d}`)} />
          <Choice label={t(lang, "replay.speed")} options={REPLAY_SPEEDS} value={speed} onChange={setSpeed} text={(s) => `${s}×`} />
          <span className="text-[0.8rem] text-ink-dim">UTC+8</span>
          {!valid && start !== "" && <span className="text-warn">{t(lang, "replay.notPast")}</span>}
          <button type="submit" data-testid={testIds.replayStart} disabled={!valid} className={`${button} self-end border-replay bg-replay/30 py-[0.2rem] disabled:opacity-40`}>
            ▶ {t(lang, "replay.start")}
          </button>
        </form>
      )}
    </div>
  );
}

/** Drawn, not a glyph: the wall's fonts have no ⏪, and a tofu box would be the marker's first sight. */
function RewindIcon() {
  return (
    <svg viewBox="0 0 16 10" className="inline-block h-[0.75em] w-[1.2em] align-baseline" fill="currentColor" aria-hidden>
      <path d="M8 0v10L0 5zM16 0v10L8 5z" />
    </svg>
  );
}

function Choice<T extends string | number>(props: { label: string; options: readonly T[]; value: T; onChange: (value: T) => void; text: (value: T) => string }) {
  return (
    <div role="radiogroup" aria-label={props.label} className="flex items-center justify-between gap-[0.6rem]">
      {props.label}
      <span className="flex gap-[0.3rem]">
        {props.options.map((option) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={option === props.value}
            className={`${button} ${option === props.value ? "border-replay bg-replay/30 text-ink" : "border-panel-edge text-ink-dim"}`}
            onClick={() => props.onChange(option)}
          >
            {props.text(option)}
          </button>
        ))}
      </span>
    </div>
  );
}
