/**
 * `harvester backtest ALGO.ts` (and zipline's `harvester run -f ALGO.ts`): runs a strategy over
 * a bundle and reports the results. A failed run still writes its outputs up to the failure.
 */
import { basename } from "node:path";
import { harvesterRoot, loadExtension, silentProgress } from "../../bundles/mod.ts";
import { withDotEnv } from "../config/dotenv.ts";
import { runningTime } from "../api/scope.ts";
import { run_algorithm } from "../engine/run_algorithm.ts";
import { checkOutputPath } from "../engine/output.ts";
import { TableStream } from "../engine/output_stream.ts";
import { consoleLogger } from "../log.ts";
import type { Results } from "../metrics/results.ts";
import { type Command, type ParsedArgs, stringOpt, UsageError } from "./command.ts";
import {
  closingLine,
  consoleOnStderr,
  type OutputPlan,
  resultsSummary,
  writeOutputs,
} from "./run_output.ts";
import { runArgs } from "./run_args.ts";
import { RunFailed } from "./run_failed.ts";
import { sessionProgress } from "./session_progress.ts";
import { loadStrategyFile, loadStrategyText } from "./strategy_file.ts";
import { count } from "../metrics/format.ts";

export { loadStrategyFile } from "./strategy_file.ts";
export { resultsSummary } from "./run_output.ts";

/** `-D name=value` pairs (zipline's `-D` and `-x`). */
export function defines(args: ParsedArgs): Record<string, string> {
  const raw = args.values.define;
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : [];
  const out: Record<string, string> = {};
  for (const d of list) {
    const i = d.indexOf("=");
    if (i <= 0) throw new UsageError(`-D: "${d}" is not name=value`);
    out[d.slice(0, i)] = d.slice(i + 1);
  }
  return out;
}

/** The strategy: ALGO.ts, `-f/--algofile` or `-t/--algotext` (exactly one). */
function strategySource(args: ParsedArgs): { file?: string; text?: string; name: string } {
  const given = [
    args.positionals[0] !== undefined ? "ALGO.ts" : null,
    stringOpt(args, "algofile") !== undefined ? "-f/--algofile" : null,
    stringOpt(args, "algotext") !== undefined ? "-t/--algotext" : null,
  ].filter((x) => x !== null);
  if (given.length === 0) {
    throw new UsageError("which strategy? give ALGO.ts, -f ALGO.ts or -t 'strategy text'");
  }
  if (given.length > 1) throw new UsageError(`give one strategy: ${given.join(" or ")}`);
  const text = stringOpt(args, "algotext");
  if (text !== undefined) return { text, name: "<algotext>" };
  const file = args.positionals[0] ?? stringOpt(args, "algofile")!;
  return { file, name: basename(file) };
}

function benchmarkSid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`--benchmark-sid: "${text}" is not a sid (a whole number)`);
  }
  return Number(text);
}

export const backtestCommand: Command = {
  name: "backtest",
  summary:
    "Backtests a strategy file on an ingested bundle. `harvester run` is the same command, with zipline's options (-f, -t, -bf, -x).",
  usage:
    "backtest ALGO.ts -s START -e END [-b BUNDLE] [--capital-base N] [--benchmark-symbol S | --benchmark-sid N | -bf F | --no-benchmark] [-o OUT] [--report FILE [--report-title T]] [--pyfolio DIR] [-D name=value]…",
  help: [
    "ALGO.ts                  a strategy module exporting initialize (and handle_data, …)",
    "-f, --algofile ALGO.ts   the strategy file, as zipline's run takes it",
    "-t, --algotext TEXT      the strategy's source as text",
    "-s, --start YYYY-MM-DD   first session",
    "-e, --end YYYY-MM-DD     last session",
    "-b, --bundle NAME        data bundle (default zipline-examples, ingested on first use)",
    "--bundle-timestamp TS    use the newest ingestion at or before TS",
    "--capital-base N         starting cash (default 1e7)",
    "--data-frequency F       daily (default) or minute (the bundle must hold minute bars)",
    "--trading-calendar NAME  calendar (default: the bundle's)",
    "--benchmark-symbol S     benchmark from an asset in the bundle",
    "--benchmark-sid N        benchmark from the asset with sid N (harvester assets BUNDLE lists sids)",
    "-bf, --benchmark-file F  benchmark from a date,return CSV",
    "--no-benchmark           run without a benchmark",
    "-o, --output OUT         results: .csv, .json, .parquet or .arrow (side tables beside it), or - for CSV on stdout",
    "--report FILE            also write a self-contained HTML tearsheet (metrics and charts)",
    "--report-title TITLE     the tearsheet's title (default: the strategy file's name)",
    "--pyfolio DIR            also write returns.csv, positions.csv, transactions.csv for pyfolio",
    "-D, --define name=value  reaches the strategy as context.params.name (repeatable; -x too)",
    "--same-bar-fills         fill orders at the close of the bar that placed them (zipline: next bar)",
    "--history-before-data P  a history window reaching before the bundle's data: raise (zipline's, default) or nan",
    "--no-summary             do not print the summary table",
    "--timings                print where the time went (start-up, bundle load, simulation, writing) on stderr",
  ],
  options: {
    algofile: { type: "string", short: "f" },
    algotext: { type: "string", short: "t" },
    start: { type: "string", short: "s" },
    end: { type: "string", short: "e" },
    bundle: { type: "string", short: "b" },
    "bundle-timestamp": { type: "string" },
    "capital-base": { type: "string" },
    "data-frequency": { type: "string" },
    "trading-calendar": { type: "string" },
    "benchmark-symbol": { type: "string" },
    "benchmark-sid": { type: "string" },
    "benchmark-file": { type: "string" },
    "no-benchmark": { type: "boolean" },
    output: { type: "string", short: "o" },
    report: { type: "string" },
    "report-title": { type: "string" },
    pyfolio: { type: "string" },
    define: { type: "string", short: "D", multiple: true },
    "no-summary": { type: "boolean" },
    timings: { type: "boolean" },
    "same-bar-fills": { type: "boolean" },
    "history-before-data": { type: "string" },
  },
  aliases: { "-bf": "--benchmark-file", "-x": "--define" },
  positionals: [0, 1],
  async run(args, io) {
    const env = withDotEnv(io.env);
    const root = harvesterRoot(env);
    await loadExtension(root);
    const source = strategySource(args);
    const { start, end, benchmarks, capital, freq, ts } = runArgs(args, this.usage, [
      "benchmark-symbol",
      "benchmark-sid",
      "benchmark-file",
      "no-benchmark",
    ]);
    const before = stringOpt(args, "history-before-data") ?? "raise";
    if (before !== "raise" && before !== "nan") {
      throw new UsageError(`--history-before-data: "${before}" is not raise or nan`);
    }
    const out = stringOpt(args, "output");
    if (out !== undefined) {
      try {
        checkOutputPath(out);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const report = stringOpt(args, "report");
    if (report !== undefined && !report.endsWith(".html")) {
      throw new UsageError(`--report: "${report}" must name an .html file`);
    }
    if (report === undefined && stringOpt(args, "report-title") !== undefined) {
      throw new UsageError("--report-title needs --report FILE");
    }
    const plan: OutputPlan = {
      out,
      report,
      report_title: stringOpt(args, "report-title") ?? source.name,
      pyfolio: stringOpt(args, "pyfolio"),
    };
    const log = consoleLogger((l) => io.stderr(l), io.isTerminal, { simTime: runningTime });
    const started = performance.now();
    let strategyMs = NaN;
    // `-o x.csv`: the side tables are written on another thread while the run goes on.
    const stream = plan.out === undefined ? null : TableStream.open(plan.out);
    const run = async () => {
      const s0 = performance.now();
      const strategy = source.text !== undefined
        ? await loadStrategyText(source.text)
        : await loadStrategyFile(source.file!);
      const t0 = performance.now();
      strategyMs = t0 - s0;
      let partial: { results: Results | null; time: number } | undefined;
      try {
        const results = await run_algorithm({
          strategy,
          start,
          end,
          capital_base: capital,
          data_frequency: freq,
          bundle: stringOpt(args, "bundle"),
          bundle_timestamp: ts,
          trading_calendar: stringOpt(args, "trading-calendar"),
          benchmark_symbol: stringOpt(args, "benchmark-symbol"),
          benchmark_sid: benchmarkSid(stringOpt(args, "benchmark-sid")),
          benchmark_file: stringOpt(args, "benchmark-file"),
          no_benchmark: Boolean(args.values["no-benchmark"]),
          params: defines(args),
          same_bar_fills: Boolean(args.values["same-bar-fills"]),
          history_before_data: before,
          root,
          environ: env,
          log,
          progress: io.isTerminal ? sessionProgress(io.stderr) : silentProgress,
          on_failure: ({ results, time }) => void (partial = { results, time }),
          recorded: stream ?? undefined,
        });
        return { results, secs: (performance.now() - t0) / 1000 };
      } catch (e) {
        if (!partial) throw e;
        throw new RunFailed(e, partial.time, partial.results);
      }
    };
    let done: { results: Results; secs: number } | undefined, failure: RunFailed | undefined;
    let results: Results | null;
    try {
      try {
        done = await (out === "-" ? consoleOnStderr(io, run) : run());
      } catch (e) {
        if (!(e instanceof RunFailed)) throw e;
        failure = e;
      } finally {
        log.flush?.();
      }
      results = done?.results ?? failure!.results;
      if (results === null || results.length === 0) throw failure;
    } catch (e) {
      await stream?.cancel();
      throw e;
    }
    const w0 = performance.now();
    const written = await writeOutputs(results, plan, io.stdout, stream);
    const writeMs = performance.now() - w0;
    if (!args.values["no-summary"] && out !== "-") {
      const hasBenchmark = (benchmarks.length === 1 && !args.values["no-benchmark"]) ||
        results.benchmark_returns.some((x) => x !== 0);
      io.stdout(`${resultsSummary(results, hasBenchmark)}\n`);
      io.stdout(closingLine(results, done?.secs ?? NaN, written, failure));
    } else if (failure) io.stderr(closingLine(results, NaN, written, failure));
    if (args.values.timings) {
      io.stderr(timingsLine({
        "start-up": started,
        "strategy load": strategyMs,
        "bundle load": results.timings.load_ms,
        "set-up": (done?.secs ?? NaN) * 1000 - results.timings.load_ms -
          results.timings.simulation_ms,
        simulation: results.timings.simulation_ms,
        writing: writeMs,
        total: performance.now(),
      }));
    }
    if (failure) throw failure;
    return 0;
  },
};

/**
 * `--timings`: where the process's time went, in ms since it started.
 *
 * @example
 * ```ts
 * timingsLine({ simulation: 612.4, total: 1077 }); // "timings: simulation 612 ms · total 1,077 ms\n"
 * ```
 */
export function timingsLine(parts: Record<string, number>): string {
  const ms = (x: number) => Number.isFinite(x) ? count(x) : "n/a";
  return `timings: ${Object.entries(parts).map(([k, v]) => `${k} ${ms(v)} ms`).join(" · ")}\n`;
}
