"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { attentionOf } from "@/lib/alerts/attention";
import { useLive } from "../realtime/LiveProvider";

/**
 * `?chime=1`: two short tones when a new critical alert draws attention. Off by default. A
 * browser may keep audio suspended until someone has touched the page (autoplay rules);
 * then it stays silent rather than fail — a kiosk browser can be started with
 * `--autoplay-policy=no-user-gesture-required`.
 */
export function AttentionChime() {
  const enabled = useSearchParams().get("chime") === "1";
  const live = useLive();
  const alertId = attentionOf(live.alerts)?.alert.id ?? null;
  const audio = useRef<AudioContext | null>(null);
  const chimed = useRef<string | null>(null);

  useEffect(() => {
    if (!enabled || alertId === null || alertId === chimed.current) return;
    chimed.current = alertId;
    try {
      audio.current ??= new AudioContext();
      const ctx = audio.current;
      void ctx.resume().catch(() => undefined);
      [880, 660].forEach((frequency, i) => {
        const tone = ctx.createOscillator();
        const gain = ctx.createGain();
        tone.frequency.value = frequency;
        gain.gain.setValueAtTime(0.15, ctx.currentTime + i * 0.25);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + i * 0.25 + 0.22);
        tone.connect(gain).connect(ctx.destination);
        tone.start(ctx.currentTime + i * 0.25);
        tone.stop(ctx.currentTime + i * 0.25 + 0.24);
      });
    } catch {
      // No audio device or no Web Audio: the red frame still draws attention.
    }
  }, [enabled, alertId]);

  useEffect(() => () => void audio.current?.close().catch(() => undefined), []);
  return null;
}
