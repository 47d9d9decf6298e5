/**
 * Structured logging for the engine: events with fields; the CLI renders them. A console logger
 * stamps each event with the simulation time it happened at (a run's warnings are about the
 * simulated market, not the wall clock), writes a repeated event once and counts the rest
 * (`… ×295` when the run ends), and clears a progress line before it writes.
 */

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  /** Writes what was held back: the counts of repeated events. Call it when the run ends. */
  flush?(): void;
}

export const silentLogger: Logger = { info() {}, warn() {} };

/** A logger writing one JSON line per event (`ts`, `level`, `event`, fields). */
export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  const emit = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ ts: new Date(now()).toISOString(), level, event, ...fields }) + "\n");
  return { info: emit("info"), warn: emit("warn") };
}

export interface ConsoleLogOptions {
  /** The simulation time (UTC ms) of an event as it is logged; NaN outside a run. */
  simTime?: () => number;
  /** The wall clock of JSON lines' `ts`. @default Date.now */
  now?: () => number;
}

/**
 * `2014-03-05 21:00 UTC`: a simulation time to the minute (seconds when it has them).
 *
 * @example
 * ```ts
 * simTimeText(Date.UTC(2014, 2, 5, 21)); // "2014-03-05 21:00 UTC"
 * ```
 */
export function simTimeText(ms: number): string {
  const iso = new Date(ms).toISOString();
  const secs = iso.slice(17, 19) === "00" ? "" : iso.slice(16, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${secs} UTC`;
}

/** Distinct events remembered for counting repeats. */
const MAX_DISTINCT = 10_000;

interface Repeat {
  level: string;
  event: string;
  fields: Record<string, unknown>;
  count: number;
  first: number;
  last: number;
}

/**
 * Logs for people: `warning (2014-03-05 21:00 UTC): message` lines on a terminal (a progress
 * bar's line cleared first), one JSON line per event otherwise (so logs piped to files stay
 * machine-readable, with `sim_time`). An event repeated with the same message is written once;
 * `flush()` then writes how many times it happened (`… ×295`, with its first and last time).
 *
 * @example
 * ```ts
 * const log = consoleLogger((l) => Deno.stderr.writeSync(new TextEncoder().encode(l)), true, {
 *   simTime: () => algo.current_dt,
 * });
 * log.warn("order_refused", { message: "Cannot place order for DELL, as it has de-listed." });
 * log.flush?.(); // warning (… – …): Cannot place order for DELL, as it has de-listed. ×295
 * ```
 */
export function consoleLogger(
  write: (line: string) => void,
  terminal: boolean,
  opts: ConsoleLogOptions = {},
): Logger {
  const simTime = opts.simTime ?? (() => NaN);
  const now = opts.now ?? Date.now;
  const repeats = new Map<string, Repeat>();

  const render = (r: Repeat, last: boolean) => {
    const { message, ...rest } = r.fields;
    const count = r.count > 1 ? ` ×${r.count}` : "";
    if (!terminal) {
      const times = Number.isFinite(r.first)
        ? r.count > 1
          ? { first_sim_time: iso(r.first), sim_time: iso(r.last) }
          : { sim_time: iso(r.first) }
        : {};
      const repeated = r.count > 1 ? { repeated: r.count } : {};
      return JSON.stringify({
        ts: new Date(now()).toISOString(),
        level: r.level,
        event: r.event,
        ...times,
        ...r.fields,
        ...repeated,
      }) + "\n";
    }
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    const when = !Number.isFinite(r.first)
      ? ""
      : last && r.count > 1
      ? ` (${simTimeText(r.first)} … ${simTimeText(r.last)})`
      : ` (${simTimeText(r.first)})`;
    // `\r` + erase line: a progress bar drawn on this line is replaced, and redraws below.
    return `\r\x1b[2K${r.level === "warn" ? "warning" : "info"}${when}: ${
      message ?? r.event
    }${extra}${count}\n`;
  };

  const emit = (level: string) => (event: string, fields: Record<string, unknown> = {}) => {
    const key = `${level}\u0000${event}\u0000${safeJson(fields)}`;
    const t = simTime();
    const seen = repeats.get(key);
    if (seen) {
      seen.count++;
      seen.last = t;
      return;
    }
    const r: Repeat = { level, event, fields, count: 1, first: t, last: t };
    // A long session's distinct events are not all kept: past the bound, counts so far go out.
    if (repeats.size >= MAX_DISTINCT) flush();
    repeats.set(key, r);
    write(render(r, false));
  };

  const flush = () => {
    for (const r of repeats.values()) if (r.count > 1) write(render(r, true));
    repeats.clear();
  };
  return { info: emit("info"), warn: emit("warn"), flush };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return String(v);
  }
}
