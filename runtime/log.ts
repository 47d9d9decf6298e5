/** Structured logging for the engine: events with fields; the CLI renders them. */

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {} };

/** A logger writing one JSON line per event (`ts`, `level`, `event`, fields). */
export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  const emit = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ ts: new Date(now()).toISOString(), level, event, ...fields }) + "\n");
  return { info: emit("info"), warn: emit("warn") };
}

/**
 * Logs for people: `warning: message` (or `event: {fields}`) lines on a terminal, one JSON line
 * per event otherwise (so logs piped to files stay machine-readable).
 */
export function consoleLogger(write: (line: string) => void, terminal: boolean): Logger {
  if (!terminal) return jsonLogger(write);
  const emit = (level: string) => (event: string, fields: Record<string, unknown> = {}) => {
    const { message, ...rest } = fields;
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    write(`${level === "warn" ? "warning" : "info"}: ${message ?? event}${extra}\n`);
  };
  return { info: emit("info"), warn: emit("warn") };
}
