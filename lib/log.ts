/**
 * The one logger: pino, JSON lines by default, pino-pretty when a person reads a terminal.
 * Every server, script and route logs events with fields through a child of it
 * (`component`: pipeline, ingest, alerts, web, …); none of them formats its own lines.
 * Secrets never reach a line: the paths below are censored, and any string field has
 * `token=`-like query values and URL passwords blanked (a URL or an error message may hold them).
 */
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import type { LogFormat, LogLevel } from "./log-levels";

export type Log = Logger;

export const CENSORED = "[Redacted]";

/** Keys that hold a secret, at the top of an event or one level down (`req.headers` two). */
const SECRET_KEYS = ["password", "token", "adminToken", "authorization", "cookie", "set-cookie", "secret", "apiKey"];
const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]),
  ...["authorization", "cookie", "set-cookie", "x-admin-token"].flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/** Query parameters whose value is a credential (a kiosk's `device=` is one too), and `user:password@` in a URL. */
const SECRET_QUERY = /([?&;](?:token|access_token|device|password|secret|key)=)[^&\s"']*/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/\s]*@/gi;

export function scrubSecrets(text: string): string {
  return text.replace(SECRET_QUERY, `$1${CENSORED}`).replace(URL_PASSWORD, `$1${CENSORED}@`);
}

/** Strings anywhere in an event's plain objects and arrays (a request's url sits at req.url), a few levels deep. */
function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (depth === 0 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth - 1));
  // Errors and class instances are left to their serializers (an Error's own fields are scrubbed by scrubbedError).
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, depth - 1)]));
}

function scrubFields(fields: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(fields, 4) as Record<string, unknown>;
}

/** An error as pino writes it (type, message, stack, cause), its text scrubbed like any field. */
function scrubbedError(error: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(error);
  if (typeof serialized.message === "string") serialized.message = scrubSecrets(serialized.message);
  if (typeof serialized.stack === "string") serialized.stack = scrubSecrets(serialized.stack);
  return serialized;
}

export interface LogOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go; stdout (fd 1) when absent. */
  destination?: DestinationStream;
  /** Whether stdout is a terminal, for format auto. */
  isTTY?: boolean;
}

export function createLogger(options: LogOptions): Log {
  const wantPretty = options.format === "pretty" || (options.format === "auto" && options.isTTY === true);
  // Synchronous streams: a line written before process.exit is not lost, and no worker thread has to be found inside a Next bundle.
  const destination = wantPretty
    ? pretty({
        sync: true,
        destination: options.destination ?? 1,
        colorize: options.isTTY === true,
        translateTime: "SYS:HH:MM:ss.l",
        // One line an event, named by its component, like `[pipeline] write queue has room again {"queued":40,…}`.
        singleLine: true,
        messageFormat: "{if component}[{component}] {end}{msg}",
        ignore: "pid,hostname,component",
      })
    : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: CENSORED },
      formatters: { log: scrubFields },
      serializers: { err: scrubbedError, error: scrubbedError },
      // The message of an event says what happened; scrub it too (it may quote a URL).
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubSecrets(arg) : arg)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}

/** A logger that drops everything: for code run where nobody reads its log (a test's helper, a one-shot tool). */
export function silentLogger(): Log {
  return pino({ level: "silent" });
}

/**
 * What a process that failed to start writes on stderr, before any valid config says how to
 * log: plain text for a person at a terminal, else one JSON event for the collector.
 * `expected`: a refusal the message says all of (a bad variable), so no stack.
 */
export function startFailure(component: string, error: unknown, expected: boolean, terminal = process.stderr.isTTY === true): string {
  const message = scrubSecrets(error instanceof Error ? error.message : String(error));
  if (terminal) return `[${component}] ${expected ? message : scrubSecrets(error instanceof Error && error.stack ? error.stack : message)}\n`;
  const event = expected
    ? { level: "fatal", component, msg: message }
    : { level: "fatal", component, msg: "failed to start", err: { message, stack: error instanceof Error && error.stack ? scrubSecrets(error.stack) : undefined } };
  return `${JSON.stringify(event)}\n`;
}
