"use client";

import { useSyncExternalStore } from "react";

function subscribeResize(onChange: () => void): () => void {
  window.addEventListener("resize", onChange);
  return () => window.removeEventListener("resize", onChange);
}

const readRem = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/** Pixels per rem on this wall (the root font size scales with the viewport); 16 on the server. */
export function useRem(): number {
  return useSyncExternalStore(subscribeResize, readRem, () => 16);
}
