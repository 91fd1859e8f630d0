"use client";

import { useEffect, useRef, useState } from "react";
import { csvProgress } from "@/lib/history/csv";

/** Hands a finished file to the browser's download. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type ExportState = { status: "idle" } | { status: "running"; progress: number | null } | { status: "error"; message: string };

const LF = 10;

/**
 * A full-resolution CSV from /api/history/csv, read as a stream so the chart can show
 * how far it is (rows seen ÷ the X-Total-Rows the server announced); cancellable, and
 * cancelled when the chart goes away.
 */
export function useCsvDownload(): { state: ExportState; start: (url: string) => void; cancel: () => void } {
  const [state, setState] = useState<ExportState>({ status: "idle" });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = (url: string) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ status: "running", progress: 0 });
    void (async () => {
      try {
        const response = await fetch(url, { signal: abort.signal });
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => ({}))) as { error?: string };
          throw new Error(body.error ?? `HTTP ${response.status}`);
        }
        const total = Number(response.headers.get("X-Total-Rows") ?? NaN);
        const reader = response.body.getReader();
        const chunks: Uint8Array<ArrayBuffer>[] = [];
        let lines = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          for (const byte of value) if (byte === LF) lines++;
          setState({ status: "running", progress: csvProgress(lines, Number.isFinite(total) ? total : null) });
        }
        // The server names the file (it knows the resolution it read).
        const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "onescreen.csv";
        saveFile(new Blob(chunks, { type: "text/csv;charset=utf-8" }), filename);
        setState({ status: "idle" });
      } catch (error) {
        if (abort.signal.aborted) return setState({ status: "idle" });
        setState({ status: "error", message: error instanceof Error ? error.message : String(error) });
      }
    })();
  };
  return { state, start, cancel: () => controller.current?.abort() };
}
