/**
 * What a backtest leaves behind, finished or failed: the output files (`-o`, `--report`,
 * `--pyfolio`) and the summary — start, end, final value and zipline's statistics — with, for a
 * failed run, the sessions completed and the error, so ten years of results are not lost to a
 * control broken in the last month.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { writeResults } from "../engine/output.ts";
import type { TableStream } from "../engine/output_stream.ts";
import { money } from "../metrics/format.ts";
import type { Results } from "../metrics/results.ts";
import { formatSummary, summarize } from "../metrics/summary.ts";
import { simTimeText } from "../log.ts";
import { format } from "node:util";
import type { CommandIO } from "./command.ts";
import type { RunFailed } from "./run_failed.ts";

/** Where a backtest's results go. */
export interface OutputPlan {
  /** `-o`: a file, or `-` for CSV on stdout. */
  out?: string;
  report?: string;
  report_title: string;
  pyfolio?: string;
}

/**
 * Writes the results where the plan says; returns the files written.
 *
 * @example
 * ```ts
 * const written = await writeOutputs(results, { out: "perf.csv", report_title: "algo.ts" }, io.stdout);
 * // -o written while the run went on (`TableStream.open(plan.out)`, passed as the run's `recorded`):
 * await writeOutputs(results, plan, io.stdout, stream);
 * ```
 */
export async function writeOutputs(
  results: Results,
  plan: OutputPlan,
  stdout: (t: string) => void,
  stream?: TableStream | null,
): Promise<string[]> {
  const written = stream
    ? await stream.finish(results)
    : plan.out
    ? await writeResults(results, plan.out, stdout)
    : [];
  if (plan.report !== undefined) {
    // The report's modules (charts, tables) load only for a run that asks for one.
    const { writeTearsheet } = await import("../metrics/report/tearsheet.ts");
    await writeTearsheet(results, plan.report, { title: plan.report_title });
    written.push(plan.report);
  }
  if (plan.pyfolio !== undefined) written.push(...results.to_pyfolio(plan.pyfolio));
  return written;
}

/**
 * The end-of-run table: the run's first and last session and final portfolio value, then the
 * summary statistics.
 *
 * @example
 * ```ts
 * resultsSummary(results, true);
 * // Start                2005-01-03
 * // End                  2014-12-31
 * // Final value        1,234,567.89
 * // Sessions                  2,517 …
 * ```
 */
export function resultsSummary(results: Results, hasBenchmark: boolean): string {
  const n = results.length;
  const lead: [string, string][] = n
    ? [
      ["Start", isoDate(results.sessions[0] / DAY_MS)],
      ["End", isoDate(results.sessions[n - 1] / DAY_MS)],
      ["Final value", money(results.perf.portfolio_value[n - 1])],
    ]
    : [];
  return formatSummary(
    summarize(results.perf.returns, hasBenchmark ? results.benchmark_returns : null, {
      trades: results.transactionCount,
      exposure: results.perf.gross_leverage,
    }),
    lead,
  );
}

/**
 * The line after the summary: sessions, the run's time, the files written — or the failure.
 *
 * @example
 * ```ts
 * closingLine(results, 0.3, ["perf.csv"]); // "252 sessions in 0.30 s; wrote perf.csv\n"
 * ```
 */
export function closingLine(
  results: Results,
  secs: number,
  written: readonly string[],
  failure?: RunFailed,
): string {
  const files = written.length ? `; wrote ${written.join(", ")}` : "";
  if (failure) {
    const what = failure.error instanceof Error
      ? `${failure.error.name}: ${failure.error.message.split("\n")[0]}`
      : String(failure.error);
    const at = Number.isFinite(failure.time) ? ` at ${simTimeText(failure.time)}` : "";
    return `the run failed${at} after ${results.length} sessions (${what})${files}\n`;
  }
  return `${results.length} sessions in ${secs.toFixed(2)} s${files}\n`;
}

/**
 * Runs `fn` with `console.log`/`info`/`debug` going to stderr: with `-o -` stdout is the CSV
 * alone, and what the strategy prints must not mix into it. Restored afterwards (the CLI runs one
 * command per process).
 *
 * @example
 * ```ts
 * const results = await consoleOnStderr(io, () => run_algorithm(opts));
 * ```
 */
export async function consoleOnStderr<T>(io: CommandIO, fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const toStderr = (...a: unknown[]) => io.stderr(`${format(...a)}\n`);
  Object.assign(console, { log: toStderr, info: toStderr, debug: toStderr });
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}
