/**
 * A journal as `harvester replay` reads it. Its lines keep their numbers (`readNumbered`), so a
 * line that cannot be used is named by file and line (`JournalReplayError`). And what the replay
 * needs to run a session again is recorded as `setup` on the `session_started` line: the bundle
 * (daily history and the calendar), the capital base, `-D` parameters, risk limits, the
 * end-of-day flatten, dry run, the benchmark, and for a live minute session its options with the
 * end resolved (universe, stale times, grace, …) — written by the session (`replaySetup`), read
 * back and checked by the replay (`readSetup`).
 */
import { existsSync, readFileSync } from "node:fs";
import { HarvesterError } from "../errors.ts";
import type { RiskLimits } from "../orders/risk.ts";
import type { JournalEntry } from "./journal.ts";
import type { MinuteLiveOptions } from "./live_options.ts";
import type { LiveOptions } from "./live_options.ts";

/** The `setup` field of a `session_started` line. */
export interface ReplaySetup {
  bundle: string;
  /** A bundle replay of minute bars (absent: daily). */
  data_frequency?: "daily" | "minute";
  capital_base?: number;
  params?: Record<string, string>;
  risk?: RiskLimits;
  flatten_before_close?: number;
  dry_run?: boolean;
  benchmark_symbol?: string;
  benchmark_file?: string;
  no_benchmark?: boolean;
  /** A live minute session's options, `end` resolved (absent for a replayed daily session). */
  live?: MinuteLiveOptions;
}

/**
 * A journal that cannot be replayed, with the file and the line (1-based; null when the problem
 * is a line that is missing) that say why.
 *
 * @example
 * ```ts
 * throw new JournalReplayError("s.journal.jsonl", 12, "minute_bar: \"close\" is not a number");
 * // message: s.journal.jsonl:12: minute_bar: "close" is not a number
 * ```
 */
export class JournalReplayError extends HarvesterError {
  override name = "JournalReplayError";
  constructor(readonly path: string, readonly line: number | null, reason: string) {
    super(`${path}${line === null ? "" : `:${line}`}: ${reason}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A journal entry and its line number (1-based) in the file. */
export interface NumberedEntry {
  line: number;
  entry: JournalEntry;
}

/**
 * Every entry of a journal file with its line number, as `readJournal` reads them: blank lines
 * skipped, a torn last line (a crash mid-write) ignored, any other line that is not a JSON object
 * with a `type` an error naming it.
 *
 * @example
 * ```ts
 * for (const { line, entry } of readNumbered("s.journal.jsonl")) console.log(line, entry.type);
 * ```
 */
export function readNumbered(path: string): NumberedEntry[] {
  if (!existsSync(path)) throw new JournalReplayError(path, null, "no such journal file");
  const lines = readFileSync(path, "utf8").split("\n");
  const out: NumberedEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(lines[i]);
    } catch (e) {
      if (i >= lines.length - 2) continue; // the torn last line
      throw new JournalReplayError(path, i + 1, `not a JSON line (${(e as Error).message})`);
    }
    if (!isObject(entry) || typeof entry.type !== "string") {
      throw new JournalReplayError(path, i + 1, "not a journal entry (an object with a type)");
    }
    out.push({ line: i + 1, entry: entry as JournalEntry });
  }
  return out;
}

/**
 * The setup a session records on its `session_started` line.
 *
 * @example
 * ```ts
 * journal.write("session_started", { feed, setup: replaySetup(opts, live) }, true);
 * ```
 */
export function replaySetup(opts: LiveOptions, live: MinuteLiveOptions | null): ReplaySetup {
  return {
    bundle: opts.bundle,
    data_frequency: opts.data_frequency,
    capital_base: opts.capital_base,
    params: opts.params,
    risk: opts.risk,
    flatten_before_close: opts.flatten_before_close,
    dry_run: opts.dry_run,
    benchmark_symbol: opts.benchmark_symbol,
    benchmark_file: opts.benchmark_file,
    no_benchmark: opts.no_benchmark,
    ...(live ? { live } : {}),
  };
}

/**
 * The setup of a `session_started` line (`line` is its line number in `path`), checked; null when
 * the line has none (a journal written before setups were recorded).
 *
 * @example
 * ```ts
 * const setup = readSetup(started, "s.journal.jsonl", 1);
 * if (setup?.live) console.log(new Date(setup.live.end!).toISOString());
 * ```
 */
export function readSetup(started: JournalEntry, path: string, line: number): ReplaySetup | null {
  const s = started.setup;
  if (s === undefined) return null;
  const bad = (field: string, v: unknown, what: string) =>
    new JournalReplayError(
      path,
      line,
      `session_started: setup${field && `.${field}`} is not ${what} (got ${JSON.stringify(v)})`,
    );
  if (!isObject(s)) throw bad("", s, "an object");
  if (typeof s.bundle !== "string" || !s.bundle) throw bad("bundle", s.bundle, "a bundle name");
  for (const k of ["capital_base", "flatten_before_close"] as const) {
    if (s[k] !== undefined && typeof s[k] !== "number") throw bad(k, s[k], "a number");
  }
  for (const k of ["benchmark_symbol", "benchmark_file"] as const) {
    if (s[k] !== undefined && typeof s[k] !== "string") throw bad(k, s[k], "a string");
  }
  if (s.no_benchmark !== undefined && typeof s.no_benchmark !== "boolean") {
    throw bad("no_benchmark", s.no_benchmark, "true or false");
  }
  for (const k of ["params", "risk"] as const) {
    if (s[k] !== undefined && !isObject(s[k])) throw bad(k, s[k], "an object");
  }
  if (s.live !== undefined) {
    if (!isObject(s.live)) throw bad("live", s.live, "an object");
    if (typeof s.live.end !== "number" || !Number.isFinite(s.live.end)) {
      throw bad("live.end", s.live.end, "a time (UTC ms)");
    }
  }
  return s as unknown as ReplaySetup;
}
