/** `harvester backtest ALGO.ts`: runs a strategy file over a bundle and reports the results. */
import { basename, resolve } from "node:path";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  harvesterRoot,
  loadExtension,
  parseTimestamp,
  silentProgress,
  streamProgress,
} from "../../bundles/mod.ts";
import { withDotEnv } from "../config/dotenv.ts";
import { run_algorithm } from "../engine/run_algorithm.ts";
import { asStrategy } from "../engine/strategy.ts";
import { writeResults } from "../engine/output.ts";
import { consoleLogger } from "../log.ts";
import { formatSummary, summarize } from "../metrics/summary.ts";
import { writeTearsheet } from "../metrics/report/tearsheet.ts";
import type { Results } from "../metrics/results.ts";
import { type Command, type ParsedArgs, stringOpt, UsageError } from "./command.ts";
import { dateArg } from "./calendar_command.ts";

/** `-D name=value` pairs. */
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

/** Loads a strategy module from a file path. */
export async function loadStrategyFile(path: string) {
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`strategy file ${path} does not exist`);
  const mod = await import(pathToFileURL(full).href);
  return asStrategy(mod, path);
}

/** The end-of-run table: summary metrics of a results object. */
export function resultsSummary(results: Results, hasBenchmark: boolean): string {
  return formatSummary(
    summarize(results.perf.returns, hasBenchmark ? results.benchmark_returns : null, {
      trades: results.transactions.length,
      exposure: results.perf.gross_leverage,
    }),
  );
}

export const backtestCommand: Command = {
  name: "backtest",
  summary: "Backtests a strategy file on an ingested bundle.",
  usage:
    "backtest ALGO.ts -s START -e END [-b BUNDLE] [--capital-base N] [--benchmark-symbol S | --benchmark-file F | --no-benchmark] [-o OUT] [--report FILE [--report-title T]] [--pyfolio DIR] [-D name=value]…",
  help: [
    "ALGO.ts                  a strategy module exporting initialize (and handle_data, …)",
    "-s, --start YYYY-MM-DD   first session",
    "-e, --end YYYY-MM-DD     last session",
    "-b, --bundle NAME        data bundle (default zipline-examples, ingested on first use)",
    "--bundle-timestamp TS    use the newest ingestion at or before TS",
    "--capital-base N         starting cash (default 1e7)",
    "--data-frequency F       daily (default) or minute",
    "--trading-calendar NAME  calendar (default: the bundle's)",
    "--benchmark-symbol S     benchmark from an asset in the bundle",
    "--benchmark-file F       benchmark from a date,return CSV",
    "--no-benchmark           run without a benchmark",
    "-o, --output OUT         results: .csv, .json, .parquet or .arrow (side tables beside it), or - for CSV on stdout",
    "--report FILE            also write a self-contained HTML tearsheet (metrics and charts)",
    "--report-title TITLE     the tearsheet's title (default: the strategy file's name)",
    "--pyfolio DIR            also write returns.csv, positions.csv, transactions.csv for pyfolio",
    "-D, --define name=value  reaches the strategy as context.params.name (repeatable)",
    "--same-bar-fills         fill orders at the close of the bar that placed them (zipline: next bar)",
    "--history-before-data P  a history window reaching before the bundle's data: raise (zipline's, default) or nan",
    "--no-summary             do not print the summary table",
  ],
  options: {
    start: { type: "string", short: "s" },
    end: { type: "string", short: "e" },
    bundle: { type: "string", short: "b" },
    "bundle-timestamp": { type: "string" },
    "capital-base": { type: "string" },
    "data-frequency": { type: "string" },
    "trading-calendar": { type: "string" },
    "benchmark-symbol": { type: "string" },
    "benchmark-file": { type: "string" },
    "no-benchmark": { type: "boolean" },
    output: { type: "string", short: "o" },
    report: { type: "string" },
    "report-title": { type: "string" },
    pyfolio: { type: "string" },
    define: { type: "string", short: "D", multiple: true },
    "no-summary": { type: "boolean" },
    "same-bar-fills": { type: "boolean" },
    "history-before-data": { type: "string" },
  },
  positionals: [1, 1],
  async run(args, io) {
    const env = withDotEnv(io.env);
    const root = harvesterRoot(env);
    await loadExtension(root);
    const startText = stringOpt(args, "start"), endText = stringOpt(args, "end");
    if (!startText || !endText) {
      throw new UsageError(`-s START and -e END are required; usage: harvester ${this.usage}`);
    }
    const start = dateArg("--start", startText, NaN), end = dateArg("--end", endText, NaN);
    const benchmarks = ["benchmark-symbol", "benchmark-file", "no-benchmark"].filter((k) =>
      args.values[k] !== undefined
    );
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
    const before = stringOpt(args, "history-before-data") ?? "raise";
    if (before !== "raise" && before !== "nan") {
      throw new UsageError(`--history-before-data: "${before}" is not raise or nan`);
    }
    const out = stringOpt(args, "output");
    const report = stringOpt(args, "report");
    if (report !== undefined && !report.endsWith(".html")) {
      throw new UsageError(`--report: "${report}" must name an .html file`);
    }
    if (report === undefined && stringOpt(args, "report-title") !== undefined) {
      throw new UsageError("--report-title needs --report FILE");
    }
    const strategy = await loadStrategyFile(args.positionals[0]);
    const t0 = performance.now();
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
      benchmark_file: stringOpt(args, "benchmark-file"),
      no_benchmark: Boolean(args.values["no-benchmark"]),
      params: defines(args),
      same_bar_fills: Boolean(args.values["same-bar-fills"]),
      history_before_data: before,
      root,
      environ: env,
      log: consoleLogger((l) => io.stderr(l), io.isTerminal),
      progress: io.isTerminal ? streamProgress(io.stderr, true) : silentProgress,
    });
    const secs = (performance.now() - t0) / 1000;
    const written = out ? await writeResults(results, out, io.stdout) : [];
    if (report !== undefined) {
      const title = stringOpt(args, "report-title") ?? basename(args.positionals[0]);
      await writeTearsheet(results, report, { title });
      written.push(report);
    }
    const pyfolioDir = stringOpt(args, "pyfolio");
    if (pyfolioDir !== undefined) written.push(...results.to_pyfolio(pyfolioDir));
    if (!args.values["no-summary"] && out !== "-") {
      const hasBenchmark = benchmarks.length === 1 && !args.values["no-benchmark"];
      io.stdout(
        `${
          resultsSummary(results, hasBenchmark || results.benchmark_returns.some((x) => x !== 0))
        }\n`,
      );
      io.stdout(
        `${results.length} sessions in ${secs.toFixed(2)} s${
          written.length ? `; wrote ${written.join(", ")}` : ""
        }\n`,
      );
    }
    return 0;
  },
};
