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
import {
  type ChartOptions,
  drawdown,
  equityCurve,
  renderSvg,
  type VegaLiteSpec,
} from "../metrics/report/charts.ts";
import {
  perfHtml,
  rowsHtml,
  type RowsHtmlOptions,
  summaryHtml,
  summaryOf,
  TABLE_CSS,
} from "../metrics/report/tables.ts";
import { tearsheetHtml, type TearsheetOptions } from "../metrics/report/tearsheet.ts";

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
export { tearsheetHtml, writeTearsheet } from "../metrics/report/tearsheet.ts";
export type { VegaLiteSpec } from "../metrics/report/charts.ts";

/** The key Deno's Jupyter kernel looks up on a value to display it (`Deno.jupyter.$display`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A MIME bundle: MIME type → content (a string, or a JSON value for JSON types). */
export type MediaBundle = Record<string, unknown>;

/** A value the Jupyter kernel renders through its display protocol. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MediaBundle | Promise<MediaBundle>;
}

/** The MIME type JupyterLab and VS Code render with Vega-Embed. */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** Results that display as rich HTML in a notebook. */
export type NotebookResults = Results & Displayable;

function displayable(bundle: () => MediaBundle | Promise<MediaBundle>): Displayable {
  return { [JUPYTER_DISPLAY]: bundle };
}

/**
 * Shows HTML (trusted markup: it is not escaped).
 *
 * @example
 * ```ts
 * html("<b>done</b>");
 * ```
 */
export function html(markup: string, plain = markup.replace(/<[^>]*>/g, "")): Displayable {
  return displayable(() => ({ "text/html": markup, "text/plain": plain }));
}

/**
 * A Vega-Lite chart: JupyterLab and VS Code draw it interactively from the Vega-Lite MIME type;
 * the same chart rendered to SVG goes along for viewers that do not run Vega.
 *
 * @example
 * ```ts
 * chart({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 * ```
 */
export function chart(spec: VegaLiteSpec): Displayable {
  return displayable(async () => ({
    // The v5 MIME type is the one notebook front ends register; the specs use no v6-only feature.
    [VEGALITE_MIME]: { ...spec, $schema: "https://vega.github.io/schema/vega-lite/v5.json" },
    "image/svg+xml": await renderSvg(spec),
    "text/plain": typeof spec.title === "string" ? spec.title : "Vega-Lite chart",
  }));
}

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
  return displayable(async () => {
    const page = await tearsheetHtml(results, opts);
    const body = page.slice(page.indexOf("<body>") + 6, page.indexOf("</body>"));
    const css = page.slice(page.indexOf("<style>"), page.indexOf("</style>") + 8);
    return { "text/html": css + body, "text/plain": opts.title ?? "Harvester tearsheet" };
  });
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

interface JupyterNamespace {
  display(obj: unknown, options?: { raw?: boolean }): Promise<void>;
  broadcast(type: string, content: Record<string, unknown>): Promise<void>;
}

/**
 * Lets a displayed message leave the kernel before anything else is sent. Deno's kernel hands
 * output to its ZeroMQ socket without waiting for the socket to drain: a large message (a chart)
 * can sit half-sent until the next message pushes it along, and a message that finds it still
 * there is dropped. So we give the event loop turns and push with messages every front end
 * ignores — updates of a display that does not exist — until the way is clear.
 */
async function settle(kernel: JupyterNamespace): Promise<void> {
  for (const ms of [5, 10, 20, 40]) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await kernel.broadcast("update_display_data", {
      data: {},
      metadata: {},
      transient: { display_id: "harvester-no-such-display" },
    });
  }
}

/** `Deno.jupyter` inside the kernel; undefined elsewhere (where reading it throws). */
function jupyter(): JupyterNamespace | undefined {
  try {
    return (globalThis as { Deno?: { jupyter?: JupyterNamespace } }).Deno?.jupyter;
  } catch {
    return undefined;
  }
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
  const kernel = jupyter();
  for (const v of values) {
    const value = isResults(v) ? rich(v) : v;
    if (kernel) {
      await kernel.display(value);
      await settle(kernel);
    } else {
      const bundle = hasDisplay(value) ? await value[JUPYTER_DISPLAY]() : undefined;
      console.log(bundle?.["text/plain"] ?? value);
    }
  }
}

function hasDisplay(v: unknown): v is Displayable {
  return typeof v === "object" && v !== null && JUPYTER_DISPLAY in v;
}
