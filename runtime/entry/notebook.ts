/**
 * `harvester/notebook`: results, tables and charts in Jupyter notebooks run by Deno's kernel
 * (`deno jupyter --install`). Everything here implements the kernel's display protocol — an
 * object with a `Symbol.for("Jupyter.display")` method returning a MIME bundle — so the last
 * expression of a cell renders as HTML or as an interactive Vega-Lite chart, and `display(…)`
 * shows several things from one cell.
 *
 * @example
 * ```ts
 * import { order_target_percent, symbol } from "harvester/api";
 * import { charts, display, run_algorithm } from "harvester/notebook";
 *
 * const results = await run_algorithm({
 *   strategy: {
 *     initialize: async (context) => { context.asset = await symbol("AAPL"); },
 *     handle_data: async (context) => { await order_target_percent(context.asset, 1); },
 *   },
 *   start: "2010-01-01",
 *   end: "2012-12-31",
 * });
 * await display(results, charts.equity(results), charts.drawdown(results));
 * ```
 *
 * @module
 */
import { run_algorithm as runEngine, type RunOptions } from "../engine/run_algorithm.ts";
import type { Results } from "../metrics/results.ts";
import { formatSummary, type Summary } from "../metrics/summary.ts";
import {
  compareEquity,
  exposureChart,
  monthlyReturnsHeatmap,
  positionsChart,
  rollingBetaChart,
  rollingSharpeChart,
} from "../metrics/report/analysis_charts.ts";
import { type ChartOptions, drawdown, equityCurve } from "../metrics/report/charts.ts";
import {
  perfHtml,
  rowsHtml,
  type RowsHtmlOptions,
  summaryHtml,
  summaryOf,
  TABLE_CSS,
} from "../metrics/report/tables.ts";
import {
  scopedTearsheetCss,
  tearsheetBody,
  type TearsheetOptions,
} from "../metrics/report/tearsheet.ts";
import {
  annualReturnsChart,
  grossLeverageChart,
  holdingsChart,
  monthlyDistributionChart,
  rollingVolatilityChart,
  turnoverChart,
} from "../metrics/report/pyfolio_charts.ts";
import {
  type Displayable,
  displayable,
  displayValues,
  JUPYTER_DISPLAY,
  type MediaBundle,
} from "../metrics/report/display.ts";
import { chart } from "../metrics/report/notebook_charts.ts";

export {
  type DrawdownPeriod,
  exposure,
  monthly_returns,
  type MonthlyReturn,
  position_weights,
  rolling_beta,
  rolling_sharpe,
  underwater,
  worst_drawdowns,
} from "../metrics/report/analysis.ts";
export { summaryOf } from "../metrics/report/tables.ts";
export {
  negativeEquityWarning,
  tearsheetHtml,
  writeTearsheet,
} from "../metrics/report/tearsheet.ts";
export type { VegaLiteSpec } from "../metrics/report/charts.ts";
export {
  aggregate_returns,
  best_worst,
  kurtosis,
  omega_ratio,
  percentile,
  rolling_volatility,
  skew,
  tail_ratio,
  value_at_risk,
} from "../metrics/stats.ts";
export {
  alpha_beta_aligned,
  annual_volatility,
  cagr as annual_return,
  calmar_ratio,
  cum_returns,
  cum_returns_final,
  max_drawdown,
  sharpe_ratio,
  sortino_ratio,
  stability_of_timeseries,
} from "../metrics/empyrical.ts";
export { business_days, drawdown_table, type DrawdownRow } from "../metrics/drawdowns.ts";
export {
  daily_turnover,
  gross_leverage,
  holdings_count,
  position_values,
  type PositionValues,
  pyfolio_transactions,
  top_positions,
} from "../metrics/positions.ts";
export {
  extract_round_trips,
  round_trip_stats,
  type RoundTrip,
  type RoundTripStats,
} from "../metrics/round_trips.ts";
export {
  PERF_STAT_LABELS,
  perf_stats,
  type PerfStats,
  results_perf_stats,
  round_trips,
} from "../metrics/perf_stats.ts";
export { to_pyfolio } from "../metrics/pyfolio_export.ts";
export { get_pricing, type PricingField, type PricingOptions } from "../research/pricing.ts";
export {
  factor_tearsheet,
  factorMatrix,
  type FactorTearsheet,
  type FactorTearsheetOptions,
  priceTable,
} from "../research/factor.ts";
export {
  factor_data,
  type FactorData,
  type FactorMatrix,
  FactorQuantileError,
  type PriceTable,
  qcut,
} from "../metrics/factor/factor_data.ts";
export {
  cumulative_returns_by_quantile,
  factor_rank_autocorrelation,
  ic_summary,
  type IcSummary,
  information_coefficient,
  mean_return_by_quantile,
  mean_return_by_quantile_by_date,
  quantile_spread,
  quantile_statistics,
  quantile_turnover,
  rate_of_return,
} from "../metrics/factor/analysis.ts";
export { factor_analysis, type FactorAnalysis } from "../metrics/report/factor_tearsheet.ts";
export { run_pipeline } from "../pipeline/research.ts";
export { type NotebookSweepOptions, sweep, SweepTable } from "../sweep/notebook_sweep.ts";

export {
  type Displayable,
  html,
  JUPYTER_DISPLAY,
  type MediaBundle,
} from "../metrics/report/display.ts";
export { chart, chartBundle, VEGALITE_MIME } from "../metrics/report/notebook_charts.ts";

/** Results that display as rich HTML in a notebook. */
export type NotebookResults = Results & Displayable;

/** The standard charts of a run, ready to display. */
export const charts = {
  /** Cumulative return vs the benchmark. */
  equity: (r: Results, o?: ChartOptions): Displayable => chart(equityCurve(r, o)),
  /** Underwater drawdown from the running peak. */
  drawdown: (r: Results, o?: ChartOptions): Displayable => chart(drawdown(r, o)),
  /** Year × month heatmap of monthly returns. */
  monthly: (r: Results, o?: ChartOptions): Displayable => chart(monthlyReturnsHeatmap(r, o)),
  /** Rolling Sharpe ratio (default window 126 sessions). */
  rolling_sharpe: (r: Results, o?: ChartOptions & { window?: number }): Displayable =>
    chart(rollingSharpeChart(r, o)),
  /** Rolling beta to the benchmark (default window 126 sessions). */
  rolling_beta: (r: Results, o?: ChartOptions & { window?: number }): Displayable =>
    chart(rollingBetaChart(r, o)),
  /** Long, short and net exposure. */
  exposure: (r: Results, o?: ChartOptions): Displayable => chart(exposureChart(r, o)),
  /** Position weights over time, stacked by asset. */
  positions: (r: Results, o?: ChartOptions & { top?: number }): Displayable =>
    chart(positionsChart(r, o)),
  /** pyfolio's annual returns bars. */
  annual_returns: (r: Results, o?: ChartOptions): Displayable => chart(annualReturnsChart(r, o)),
  /** pyfolio's distribution of monthly returns. */
  monthly_distribution: (r: Results, o?: ChartOptions): Displayable =>
    chart(monthlyDistributionChart(r, o)),
  /** Rolling volatility, strategy and benchmark (default window 126 sessions). */
  rolling_volatility: (r: Results, o?: ChartOptions & { window?: number }): Displayable =>
    chart(rollingVolatilityChart(r, o)),
  /** Daily turnover and its mean. */
  turnover: (r: Results, o?: ChartOptions): Displayable => chart(turnoverChart(r, o)),
  /** Gross leverage and its mean. */
  gross_leverage: (r: Results, o?: ChartOptions): Displayable => chart(grossLeverageChart(r, o)),
  /** Holdings per day and their mean. */
  holdings: (r: Results, o?: ChartOptions): Displayable => chart(holdingsChart(r, o)),
  /** Cumulative returns of several named runs. */
  compare: (runs: Record<string, Results>, o?: ChartOptions): Displayable =>
    chart(compareEquity(runs, o)),
};

const style = `<style>${TABLE_CSS}</style>`;

/**
 * The summary metrics of one run, or of several named runs side by side.
 *
 * @example
 * ```ts
 * summaryTable({ "20/100": fast, "50/200": slow });
 * ```
 */
export function summaryTable(runs: Results | Record<string, Results>): Displayable {
  const named: Record<string, Summary> = {};
  if (isResults(runs)) named[""] = summaryOf(runs);
  else for (const [name, r] of Object.entries(runs)) named[name] = summaryOf(r);
  return displayable(() => ({
    "text/html": style + summaryHtml(named),
    "text/plain": Object.entries(named).map(([n, s]) => `${n}\n${formatSummary(s)}`).join("\n\n")
      .trim(),
  }));
}

/**
 * A window of the perf table (first and last sessions; pick `columns` to choose).
 *
 * @example
 * ```ts
 * perfTable(results, { head: 3, tail: 3, columns: ["date", "portfolio_value", "short_mavg"] });
 * ```
 */
export function perfTable(results: Results, opts: RowsHtmlOptions = {}): Displayable {
  return displayable(() => ({
    "text/html": style + perfHtml(results, opts),
    "text/plain": `perf table: ${results.length} sessions × ${results.columns.length} columns`,
  }));
}

/**
 * Any rows (positions, transactions, your own) as an HTML table.
 *
 * @example
 * ```ts
 * table(results.transactions, { tail: 10 });
 * ```
 */
export function table(
  rows: readonly Record<string, unknown>[],
  opts: RowsHtmlOptions = {},
): Displayable {
  return displayable(() => ({
    "text/html": style + rowsHtml(rows, opts),
    "text/plain": `${rows.length} rows`,
  }));
}

/**
 * The whole tearsheet (metrics, every chart, latest transactions) inline in the notebook.
 *
 * @example
 * ```ts
 * await display(tearsheet(results));
 * ```
 */
export function tearsheet(results: Results, opts: TearsheetOptions = {}): Displayable {
  return displayable(async () => ({
    // Scoped to the tearsheet's own block so the page styles do not restyle the notebook.
    "text/html": `<style>${
      scopedTearsheetCss("div.hv-tearsheet")
    }</style><div class="hv-tearsheet">${await tearsheetBody(results, opts)}</div>`,
    "text/plain": opts.title ?? "Harvester tearsheet",
  }));
}

function isResults(x: unknown): x is Results {
  return typeof x === "object" && x !== null && "perf" in x && "sessions" in x;
}

/** The rich view of results: summary metrics, the first and last sessions, table sizes. */
function resultsBundle(results: Results): MediaBundle {
  const s = summaryOf(results);
  const sizes = [
    `${results.length} sessions`,
    `${results.positions.length} position rows`,
    `${results.orders.length} order rows`,
    `${results.transactions.length} transactions`,
  ].join(" · ");
  return {
    "text/html": `${style}<div class="hv-results"><p>${sizes}</p>${summaryHtml({ "": s })}${
      perfHtml(results, { head: 3, tail: 3 })
    }</div>`,
    "text/plain": `${sizes}\n${formatSummary(s)}`,
  };
}

/**
 * Makes results display as rich HTML (summary metrics and the perf table's first and last rows)
 * when they are a cell's value or passed to {@link display}.
 *
 * @example
 * ```ts
 * import { run_algorithm } from "harvester/api"; // plain results
 * const results = rich(await run_algorithm({ strategy, start, end }));
 * ```
 */
export function rich(results: Results): NotebookResults {
  if (!(JUPYTER_DISPLAY in results)) {
    Object.defineProperty(results, JUPYTER_DISPLAY, { value: () => resultsBundle(results) });
  }
  return results as NotebookResults;
}

/**
 * `run_algorithm` for notebooks: the same backtest (strategy functions inline, bundle ingested
 * on first use), with results that display as rich HTML.
 *
 * @example
 * ```ts
 * const results = await run_algorithm({ strategy: { initialize, handle_data }, start, end });
 * results; // the last expression of a cell: summary and perf table
 * ```
 */
export async function run_algorithm(opts: RunOptions): Promise<NotebookResults> {
  return rich(await runEngine(opts));
}

/**
 * Shows each value in the notebook, in order (results and the helpers above richly, anything
 * else as the kernel formats it). Outside a Jupyter kernel it prints their plain-text form.
 *
 * Each display waits until the kernel has sent its message before the next statement runs, so a
 * headless run (`jupyter nbconvert --execute`) records every output in the cell that made it.
 *
 * @example
 * ```ts
 * await display(results, charts.equity(results), charts.drawdown(results));
 * ```
 */
export async function display(...values: unknown[]): Promise<void> {
  await displayValues(values, (v) => (isResults(v) ? rich(v) : v));
}
