"use client";

import { useSyncExternalStore } from "react";
import { wallLayoutOf, type WallLayout } from "@/lib/wall/layout";

function subscribeResize(onChange: () => void): () => void {
  window.addEventListener("resize", onChange);
  return () => window.removeEventListener("resize", onChange);
}

const readRem = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/** Pixels per rem on this wall (the root font size scales with the viewport); 16 on the server. */
export function useRem(): number {
  return useSyncExternalStore(subscribeResize, readRem, () => 16);
}

const readLayout = () => wallLayoutOf(window.innerWidth, window.innerHeight);

/** The arrangement this window's shape calls for; "standard" on the server (the page re-lays itself out on mount and on resize). */
export function useWallLayout(): WallLayout {
  return useSyncExternalStore(subscribeResize, readLayout, () => "standard");
}
