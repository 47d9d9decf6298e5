/**
 * `harvester sweep ALGO.ts --grid NAME=V1,V2 …`: every combination of the grids as an ordinary
 * backtest, on this machine's cores or on `harvester worker`s through Redis; a table, a report,
 * and walk-forward analysis.
 */
import { availableParallelism } from "node:os";
import { harvesterRoot } from "../../bundles/mod.ts";
import { withDotEnv } from "../config/dotenv.ts";
import { paramsLabel } from "../sweep/grid.ts";
import { progressWriter } from "../sweep/progress.ts";
import type { SweepOptions } from "../sweep/sweep.ts";
import { type Command, type ParsedArgs, stringOpt, UsageError } from "./command.ts";
import { defines } from "./backtest_command.ts";
import { runArgs } from "./run_args.ts";

function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag}: "${text}" is not a positive whole number`);
  }
  return n;
}

/** A cell's grid values only (not the fixed -D ones), as `short=5,long=20`. */
function gridLabel(params: Record<string, string>, grids: string[]): string {
  const names = grids.map((g) => g.slice(0, g.indexOf("=")).trim());
  return paramsLabel(Object.fromEntries(names.map((n) => [n, params[n]])));
}

/** The sweep's settings from the backtest flags it shares with `harvester backtest`. */
async function sweepOptions(args: ParsedArgs, io: Parameters<Command["run"]>[1], usage: string) {
  const { parseGrid } = await import("../sweep/grid.ts");
  const env = withDotEnv(io.env);
  const { startText, endText, capital, freq, ts } = runArgs(args, usage, [
    "benchmark-symbol",
    "benchmark-file",
    "no-benchmark",
  ]);
  const grids = list(args, "grid");
  if (grids.length === 0) throw new UsageError("give at least one --grid NAME=V1,V2,…");
  const queue = stringOpt(args, "queue");
  const workers = positiveInt("--workers", stringOpt(args, "workers"));
  if (queue !== undefined && workers !== undefined) {
    throw new UsageError(
      "--workers is for this machine; with --queue, start harvester worker processes",
    );
  }
  const progress = progressWriter(io.stderr, io.isTerminal);
  const opts: SweepOptions = {
    strategy: args.positionals[0],
    start: startText,
    end: endText,
    grid: parseGrid(grids),
    bundle: stringOpt(args, "bundle"),
    bundle_timestamp: ts,
    capital_base: capital,
    data_frequency: freq,
    trading_calendar: stringOpt(args, "trading-calendar"),
    benchmark_symbol: stringOpt(args, "benchmark-symbol"),
    benchmark_file: stringOpt(args, "benchmark-file"),
    no_benchmark: Boolean(args.values["no-benchmark"]) || undefined,
    same_bar_fills: Boolean(args.values["same-bar-fills"]),
    params: defines(args),
    root: harvesterRoot(env),
    environ: env,
    workers: workers ?? availableParallelism(),
    queue,
    no_cache: Boolean(args.values["no-cache"]),
    memory_mb: positiveInt("--cell-memory", stringOpt(args, "cell-memory")),
    progress: (p) => (p.done + p.failed === p.total ? progress.done(p) : progress.update(p)),
    retrying: (cell, error) =>
      io.stderr(`cell ${gridLabel(cell.params, grids)} failed (${error}); running it once more\n`),
  };
  return opts;
}

export const sweepCommand: Command = {
  name: "sweep",
  summary:
    "Runs a strategy once per combination of parameter grids (each an ordinary backtest) on every core, or on harvester workers through Redis.",
  usage:
    "sweep ALGO.ts -s START -e END --grid NAME=V1,V2,… [--grid NAME2=…] [--workers N | --queue redis://HOST:PORT] [-o sweep.csv] [--report sweep.html] [--sort COLUMN] [--walk-forward TRAIN:TEST [--objective COLUMN]] [backtest flags]",
  help: [
    "ALGO.ts                   a strategy module; each cell gets its combination as context.params",
    "-s, --start YYYY-MM-DD    first session",
    "-e, --end YYYY-MM-DD      last session",
    "--grid NAME=V1,V2,…       a parameter and its values (repeatable: every combination runs)",
    "--workers N               processes at a time on this machine (default: the number of cores)",
    "--queue redis://H:P       enqueue the cells on Redis for `harvester worker`s and collect them",
    "-o, --output FILE         the table: .csv, .parquet or .arrow (walk-forward: the stitched out-of-sample table), - for CSV on stdout",
    "--report FILE             an HTML report: the table, a heatmap of two parameters, the best equity curves",
    "--sort COLUMN             rank rows by a metric, best first (default: the grid's order)",
    "--top N                   equity curves in the report (default 5)",
    "--walk-forward TRAIN:TEST rolling folds: e.g. 2y:6m, 18m:3m, 26w:4w, or session counts 500:125",
    "--objective COLUMN        what picks a fold's parameters (default sharpe)",
    "--no-cache                compute every cell again (finished cells are cached under HARVESTER_ROOT/sweeps)",
    "--cell-memory MB          V8 heap limit of each cell's process",
    "-D, --define name=value   a fixed parameter every cell gets (repeatable)",
    "-b, --bundle NAME, --bundle-timestamp TS, --capital-base N, --data-frequency F,",
    "--trading-calendar NAME, --benchmark-symbol S | --benchmark-file F | --no-benchmark,",
    "--same-bar-fills          as harvester backtest",
  ],
  options: {
    start: { type: "string", short: "s" },
    end: { type: "string", short: "e" },
    grid: { type: "string", multiple: true },
    workers: { type: "string" },
    queue: { type: "string" },
    output: { type: "string", short: "o" },
    report: { type: "string" },
    sort: { type: "string" },
    top: { type: "string" },
    "walk-forward": { type: "string" },
    objective: { type: "string" },
    "no-cache": { type: "boolean" },
    "cell-memory": { type: "string" },
    define: { type: "string", short: "D", multiple: true },
    bundle: { type: "string", short: "b" },
    "bundle-timestamp": { type: "string" },
    "capital-base": { type: "string" },
    "data-frequency": { type: "string" },
    "trading-calendar": { type: "string" },
    "benchmark-symbol": { type: "string" },
    "benchmark-file": { type: "string" },
    "no-benchmark": { type: "boolean" },
    "same-bar-fills": { type: "boolean" },
  },
  positionals: [1, 1],
  async run(args, io) {
    const opts = await sweepOptions(args, io, this.usage);
    const out = stringOpt(args, "output");
    const report = stringOpt(args, "report");
    if (report !== undefined && !report.endsWith(".html")) {
      throw new UsageError(`--report: "${report}" must name an .html file`);
    }
    const top = positiveInt("--top", stringOpt(args, "top")) ?? 5;
    const wf = stringOpt(args, "walk-forward");
    const objective = stringOpt(args, "objective");
    if (wf === undefined && objective !== undefined) {
      throw new UsageError("--objective needs --walk-forward");
    }
    const t0 = performance.now();
    if (wf !== undefined) {
      return await walkForward(opts, { spec: wf, objective, out, report, top, io, t0 });
    }
    const { runSweep } = await import("../sweep/sweep.ts");
    const { sortRows, writeTable } = await import("../sweep/table.ts");
    const { rowsText } = await import("../sweep/text.ts");
    const outcome = await runSweep(opts);
    const names = outcome.axes.map((a) => a.name);
    const sort = stringOpt(args, "sort");
    const rows = sort ? sortRows(outcome.rows, sort) : outcome.rows;
    const written: string[] = [];
    if (out === "-") {
      const { tableCsv } = await import("../sweep/table.ts");
      io.stdout(tableCsv(rows, names));
    } else if (out !== undefined) {
      await writeTable(rows, names, out);
      written.push(out);
    }
    if (report !== undefined) {
      const { writeSweepReport } = await import("../sweep/report.ts");
      await writeSweepReport(outcome, report, { sort: sort ?? "sharpe", top });
      written.push(report);
    }
    const failed = rows.filter((r) => r.error !== undefined).length;
    if (out !== "-") {
      io.stdout(rowsText(rows, names));
      io.stdout(summaryLine(rows.length, rows.filter((r) => r.cached).length, failed, t0, written));
    }
    if (failed) {
      io.stderr(`harvester sweep: ${failed} of ${rows.length} cells failed (see the table)\n`);
    }
    return failed ? 1 : 0;
  },
};

function summaryLine(n: number, cached: number, failed: number, t0: number, written: string[]) {
  const secs = ((performance.now() - t0) / 1000).toFixed(2);
  return `${n} cells (${cached} from the cache, ${failed} failed) in ${secs} s${
    written.length ? `; wrote ${written.join(", ")}` : ""
  }\n`;
}

interface WalkForwardCliOptions {
  spec: string;
  objective?: string;
  out?: string;
  report?: string;
  top: number;
  io: Parameters<Command["run"]>[1];
  t0: number;
}

async function walkForward(opts: SweepOptions, o: WalkForwardCliOptions): Promise<number> {
  const { runWalkForward } = await import("../sweep/walk_forward.ts");
  const { walkForwardText } = await import("../sweep/walk_forward_table.ts");
  const wf = await runWalkForward({ ...opts, walk_forward: o.spec, objective: o.objective });
  const written: string[] = [];
  if (o.out === "-") {
    const { stitchedCsv } = await import("../sweep/walk_forward_table.ts");
    o.io.stdout(stitchedCsv(wf));
  } else if (o.out !== undefined) {
    const { writeStitched } = await import("../sweep/walk_forward_table.ts");
    written.push(...await writeStitched(wf, o.out));
  }
  if (o.report !== undefined) {
    const { writeWalkForwardReport } = await import("../sweep/report.ts");
    await writeWalkForwardReport(wf, o.report);
    written.push(o.report);
  }
  const failed = wf.failed.length;
  if (o.out !== "-") {
    o.io.stdout(walkForwardText(wf));
    o.io.stdout(summaryLine(wf.cells, wf.cached, failed, o.t0, written));
  }
  if (failed) o.io.stderr(`harvester sweep: ${failed} cells failed: ${wf.failed.join("; ")}\n`);
  return failed ? 1 : 0;
}
