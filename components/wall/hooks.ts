"use client";

import { useEffect, useSyncExternalStore } from "react";
import { wallLayoutOf, type WallLayout } from "@/lib/wall/layout";
import { wallRem, type WallGeometry, type WallRem } from "@/lib/wall/geometry";

/** Fired when the wall sets its own root font size (a viewing distance), which no resize announces. */
const REM_CHANGE = "onescreen:rem";

function subscribeResize(onChange: () => void): () => void {
  window.addEventListener("resize", onChange);
  window.addEventListener(REM_CHANGE, onChange);
  return () => {
    window.removeEventListener("resize", onChange);
    window.removeEventListener(REM_CHANGE, onChange);
  };
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

// One string per size, so useSyncExternalStore sees a stable snapshot between resizes.
const readSize = () => `${window.innerWidth}x${window.innerHeight}x${window.devicePixelRatio}`;

/** The window's size in CSS pixels and its device pixel ratio; null on the server. */
export function useWindowSize(): { width: number; height: number; devicePixelRatio: number } | null {
  const size = useSyncExternalStore(subscribeResize, readSize, () => null);
  if (size === null) return null;
  const [width, height, devicePixelRatio] = size.split("x").map(Number) as [number, number, number];
  return { width, height, devicePixelRatio };
}

/**
 * The rem a viewing distance calls for (lib/wall/geometry.ts), set as the root font size
 * while the wall is shown; without a distance the stylesheet's own rem stays.
 */
export function useDistanceRem(geometry: WallGeometry | null): WallRem | null {
  const size = useWindowSize();
  const chosen = size && geometry?.distanceM != null ? wallRem(size.width, size.height, size.devicePixelRatio, geometry) : null;
  const px = chosen?.rem ?? null;
  useEffect(() => {
    if (px === null) return;
    const root = document.documentElement;
    root.style.fontSize = `${px}px`;
    window.dispatchEvent(new Event(REM_CHANGE));
    return () => {
      root.style.fontSize = "";
      window.dispatchEvent(new Event(REM_CHANGE));
    };
  }, [px]);
  return chosen;
}
