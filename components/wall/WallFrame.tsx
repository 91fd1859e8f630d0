"use client";

import type { ReactNode } from "react";
import { useLive } from "../realtime/LiveProvider";

/** The wall's outer frame; during a replay it is drawn in the replay colour all round, so no one mistakes it for live. */
export function WallFrame({ children }: { children: ReactNode }) {
  const replaying = useLive().replay !== null;
  return (
    <div
      data-replay={replaying ? "true" : "false"}
      className={`flex h-screen w-screen flex-col overflow-hidden ${replaying ? "outline-[0.35rem] -outline-offset-[0.35rem] outline-replay outline-solid" : ""}`}
    >
      {children}
    </div>
  );
}
