/**
 * A server that a test or a benchmark runs as a child process (a side server it SIGKILLs,
 * a cluster's instances, the built wall): waiting until it answers, and reading its
 * /healthz. A wait ends as soon as the child exits, with what it printed, rather than
 * at its deadline.
 */
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export interface ChildServer {
  /** Who it is in errors: "side server", "A". */
  name: string;
  child: ChildProcess;
  /** What it has printed (or its last lines), for the error when it never answers. */
  output(): string;
}

const POLL_MS = 100;

/** The side server's health endpoint on a local port. */
export const healthzUrl = (port: number): string => `http://127.0.0.1:${port}/healthz`;

/** The response of `url` when it answers 200 within `timeoutMs`; undefined when it does not (not listening yet, starting, gone). */
async function answer(url: string, timeoutMs: number): Promise<Response | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? res : undefined;
  } catch {
    return undefined;
  }
}

/** What the side server on `port` reports on /healthz (its role, clients…), or undefined when it does not answer within a second. */
export async function healthz(port: number): Promise<Record<string, unknown> | undefined> {
  try {
    return (await (await answer(healthzUrl(port), 1_000))?.json()) as Record<string, unknown> | undefined;
  } catch {
    // Gone while sending the body.
    return undefined;
  }
}

/** Resolves once `url` answers 200, polling every 100 ms; rejects with the server's output when its child exits first, or after `timeoutMs`. */
export async function waitForUrl(url: string, server: ChildServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null) throw new Error(`${server.name} exited (${signalCode ?? exitCode}) before ${url} answered:\n${server.output()}`);
    // A request may take all the time left: a first page render can take seconds, and giving up on it would only start it again.
    if (await answer(url, Math.max(1, deadline - Date.now()))) return;
    if (Date.now() >= deadline) throw new Error(`${server.name} not answering ${url} after ${timeoutMs / 1000} s:\n${server.output()}`);
    await sleep(POLL_MS);
  }
}
