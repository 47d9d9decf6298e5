/**
 * The options every backtest-running command reads alike (`backtest`, `sweep`): the span, the
 * one benchmark choice, capital, frequency and the bundle's timestamp, each checked with the
 * usage error a user sees.
 */
import { parseTimestamp } from "../../bundles/mod.ts";
import { dateArg } from "./calendar_command.ts";
import { type ParsedArgs, stringOpt, UsageError } from "./command.ts";

export interface RunArgs {
  startText: string;
  endText: string;
  /** UTC-midnight ms. */
  start: number;
  end: number;
  /** The benchmark flags given (at most one). */
  benchmarks: string[];
  capital: number;
  freq: "daily" | "minute";
  /** `--bundle-timestamp`, when given. */
  ts: number | undefined;
}

/**
 * Reads and checks the shared options; `benchmarkFlags` are the command's benchmark choices.
 *
 * @example
 * ```ts
 * const { start, end, capital } = runArgs(args, this.usage, ["benchmark-symbol", "no-benchmark"]);
 * ```
 */
export function runArgs(args: ParsedArgs, usage: string, benchmarkFlags: string[]): RunArgs {
  const startText = stringOpt(args, "start"), endText = stringOpt(args, "end");
  if (!startText || !endText) {
    throw new UsageError(`-s START and -e END are required; usage: harvester ${usage}`);
  }
  const start = dateArg("--start", startText, NaN), end = dateArg("--end", endText, NaN);
  const benchmarks = benchmarkFlags.filter((k) => args.values[k] !== undefined);
  if (benchmarks.length > 1) throw new UsageError(`choose one of --${benchmarks.join(", --")}`);
  const capitalText = stringOpt(args, "capital-base");
  const capital = capitalText === undefined ? 1e7 : Number(capitalText);
  if (!(capital > 0)) {
    throw new UsageError(`--capital-base: "${capitalText}" is not a positive number`);
  }
  const freq = stringOpt(args, "data-frequency") ?? "daily";
  if (freq !== "daily" && freq !== "minute") {
    throw new UsageError(`--data-frequency: "${freq}" is not daily or minute`);
  }
  const tsText = stringOpt(args, "bundle-timestamp");
  const ts = tsText === undefined ? undefined : parseTimestamp(tsText);
  if (ts !== undefined && Number.isNaN(ts)) {
    throw new UsageError(`--bundle-timestamp: "${tsText}" is not a timestamp`);
  }
  return { startText, endText, start, end, benchmarks, capital, freq, ts };
}
