/** Reading a server's log as the events it is: JSON lines (what a process whose stdout is not a terminal writes). */
import { Writable } from "node:stream";
import { createLogger, type Log } from "@/lib/log";

export type LogEvent = { level: number; msg: string; component?: string; [field: string]: unknown };

/** The JSON events among `output`'s lines; anything else (a stack from Node itself) is skipped. */
export function logEvents(output: string): LogEvent[] {
  return output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as LogEvent];
    } catch {
      return [];
    }
  });
}

/** The first event of `output` with this message (and these fields), or undefined. */
export function findEvent(output: string, msg: string | RegExp, fields: Record<string, unknown> = {}): LogEvent | undefined {
  return logEvents(output).find((e) => (typeof msg === "string" ? e.msg === msg : msg.test(e.msg)) && Object.entries(fields).every(([k, v]) => e[k] === v));
}

/** The real logger writing into memory: a test reads what an operator would (after redaction). */
export function memoryLog(level: "info" | "debug" = "debug"): { log: Log; events: LogEvent[]; text: () => string } {
  const lines: string[] = [];
  const events: LogEvent[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString();
      lines.push(line);
      events.push(...logEvents(line));
      done();
    },
  });
  return { log: createLogger({ level, format: "json", destination }), events, text: () => lines.join("") };
}
