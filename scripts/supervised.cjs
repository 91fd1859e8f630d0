// Loaded (node --require) into each server scripts/start.ts runs. start.ts holds an IPC
// channel to it, which closes when start.ts dies, however it dies (SIGKILL included): the
// server then stops as on SIGTERM (the side server flushes its pending batch first) rather
// than live on as an orphan holding its port, where every restart would fail with EADDRINUSE.
"use strict";

const STOP_TIMEOUT_MS = 10_000;

process.once("disconnect", () => {
  process.kill(process.pid, "SIGTERM");
  setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
});
