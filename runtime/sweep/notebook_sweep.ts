/**
 * `sweep({ strategy, grid, … })` for notebooks: the same table as `harvester sweep`, displayed
 * as the report (table, heatmap, best curves) when it is a cell's value. A strategy file runs a
 * process per cell (cached like the CLI's); a strategy given as functions runs in the notebook's
 * process, one cell after another, uncached.
 *
 * @module
 */
import { harvesterRoot } from "../../bundles/mod.ts";
import type { Strategy } from "../engine/strategy.ts";
import { type Displayable, JUPYTER_DISPLAY, type MediaBundle } from "../metrics/report/display.ts";
import { TABLE_CSS } from "../metrics/report/tables.ts";
import { gridAxes } from "./grid.ts";
import type { BacktestSettings } from "./plan.ts";
import { recordsCsv, writeRecords } from "./records.ts";
import { sweepReportBody } from "./report.ts";
import { runSweep, type SweepOutcome } from "./sweep.ts";
import { sortRows, sweepRecords, type SweepRow } from "./table.ts";
import { rowsText } from "./text.ts";

/** Options of {@link sweep}. */
export interface NotebookSweepOptions extends BacktestSettings {
  /** A strategy file's path, or the strategy's functions. */
  strategy: string | Strategy;
  /** Parameter name → the values it takes (each combination reaches `context.params`). */
  grid: Record<string, readonly (string | number | boolean)[]>;
  start: string;
  end: string;
  /** Processes at a time (a strategy file only). @default the number of cores */
  workers?: number;
  /** `redis://HOST:PORT`: run the cells on `harvester worker`s. */
  queue?: string;
  no_cache?: boolean;
  /** Rank rows by this metric, best first (default: the grid's order; the report uses sharpe). */
  sort?: string;
  /** Curves in the displayed report. @default 5 */
  top?: number;
  root?: string;
  environ?: Record<string, string | undefined>;
}

/** A sweep's table: its rows as records, CSV, a file, and the report when displayed. */
export class SweepTable implements Displayable {
  /** One record per combination: the parameters, the metrics, the wall time (and any error). */
  readonly rows: Record<string, unknown>[];
  readonly columns: string[];

  constructor(
    readonly outcome: SweepOutcome,
    readonly sorted: readonly SweepRow[],
    private readonly opts: { sort?: string; top?: number },
  ) {
    const t = sweepRecords(sorted, outcome.axes.map((a) => a.name));
    this.rows = [...t.rows];
    this.columns = [...t.columns];
  }

  private table() {
    return sweepRecords(this.sorted, this.outcome.axes.map((a) => a.name));
  }

  /** The table as CSV. */
  toCSV(): string {
    return recordsCsv(this.table());
  }

  /** Writes the table as CSV, Parquet or Arrow (by the suffix). */
  async write(path: string): Promise<void> {
    await writeRecords(this.table(), path);
  }

  async [JUPYTER_DISPLAY](): Promise<MediaBundle> {
    const body = await sweepReportBody(this.outcome, {
      sort: this.opts.sort ?? "sharpe",
      top: this.opts.top,
    });
    return {
      "text/html":
        `<style>${TABLE_CSS} figure.hv-chart svg { max-width: 100%; height: auto; }</style><div class="hv-sweep">${body}</div>`,
      "text/plain": rowsText(this.sorted, this.outcome.axes.map((a) => a.name)),
    };
  }
}

/**
 * Runs every combination of a grid as an ordinary backtest and returns the table.
 *
 * @example
 * ```ts
 * const table = await sweep({
 *   strategy: "strategies/dual_moving_average_explained.ts",
 *   grid: { short: [10, 20, 50], long: [100, 200] },
 *   start: "2006-01-01",
 *   end: "2012-12-31",
 *   sort: "sharpe",
 * });
 * table; // the report: table, heatmap, best curves
 * ```
 */
export async function sweep(opts: NotebookSweepOptions): Promise<SweepTable> {
  const environ = opts.environ ?? Deno.env.toObject();
  const inline = typeof opts.strategy !== "string";
  const outcome = await runSweep({
    ...opts,
    strategy: inline ? "(inline strategy)" : opts.strategy as string,
    inline,
    strategy_functions: inline ? opts.strategy as Strategy : undefined,
    grid: gridAxes(opts.grid),
    root: opts.root ?? harvesterRoot(environ),
    environ,
  });
  const sorted = opts.sort ? sortRows(outcome.rows, opts.sort) : outcome.rows;
  return new SweepTable(outcome, sorted, opts);
}
