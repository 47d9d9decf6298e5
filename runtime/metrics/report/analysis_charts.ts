/**
 * Vega-Lite specifications of the analysis charts — monthly-returns heatmap, rolling Sharpe and
 * beta, exposure, positions over time, and equity curves of several runs side by side. Like
 * `charts.ts`, each is a plain spec: render it with `renderSvg` or send it to a notebook.
 *
 * @module
 */
import type { Results } from "../results.ts";
import {
  exposure,
  hasBenchmark,
  monthly_returns,
  position_weights,
  rolling_beta,
  rolling_sharpe,
  ROLLING_WINDOW,
  sessionDates,
} from "./analysis.ts";
import {
  type ChartOptions,
  type Column,
  csvData,
  field,
  SCHEMA,
  type VegaLiteSpec,
} from "./charts.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const X_DATE = { field: "date", type: "temporal", title: null };

/**
 * Monthly returns as a year × month heatmap (red losses, green gains), each cell labelled.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(monthlyReturnsHeatmap(results));
 * ```
 */
export function monthlyReturnsHeatmap(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const values = monthly_returns(results.sessions, results.perf.returns).map((m) => ({
    year: String(m.year),
    month: MONTHS[m.month - 1],
    return: m.return,
  }));
  const years = new Set(values.map((v) => v.year)).size;
  const encoding = {
    x: { field: "month", type: "ordinal", sort: MONTHS, title: null, axis: { labelAngle: 0 } },
    y: { field: "year", type: "ordinal", title: null },
  };
  return {
    $schema: SCHEMA,
    title: "Monthly returns",
    width: opts.width ?? 640,
    height: opts.height ?? Math.max(60, 20 * years),
    data: { values },
    encoding,
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: {
            field: "return",
            type: "quantitative",
            title: "return",
            scale: { scheme: "redyellowgreen", domainMid: 0 },
            legend: { format: "%" },
          },
          tooltip: [
            { field: "year" },
            { field: "month" },
            { field: "return", type: "quantitative", format: ".2%" },
          ],
        },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: { text: { field: "return", type: "quantitative", format: ".1%" } },
      },
    ],
  };
}

function rollingChart(
  title: string,
  yTitle: string,
  dates: string[],
  series: Float64Array,
  opts: ChartOptions,
): VegaLiteSpec {
  const first = series.findIndex(Number.isFinite);
  const from = first < 0 ? series.length : first;
  return {
    $schema: SCHEMA,
    title,
    width: opts.width ?? 640,
    height: opts.height ?? 160,
    layer: [
      {
        data: csvData({ date: dates.slice(from), value: series.subarray(from) }),
        mark: { type: "line", strokeWidth: 1.2 },
        encoding: {
          x: X_DATE,
          y: { field: "value", type: "quantitative", title: yTitle },
        },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#888", strokeDash: [4, 3] },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
    ],
  };
}

/**
 * Rolling Sharpe ratio over `window` sessions (default 126, six months), with a zero line.
 *
 * @example
 * ```ts
 * rollingSharpeChart(results, { window: 63 });
 * ```
 */
export function rollingSharpeChart(
  results: Results,
  opts: ChartOptions & { window?: number } = {},
): VegaLiteSpec {
  const window = opts.window ?? ROLLING_WINDOW;
  return rollingChart(
    `Rolling Sharpe ratio (${window} sessions)`,
    "Sharpe ratio",
    sessionDates(results),
    rolling_sharpe(results.perf.returns, window),
    opts,
  );
}

/**
 * Rolling beta to the benchmark over `window` sessions (default 126); empty without a benchmark.
 *
 * @example
 * ```ts
 * rollingBetaChart(results);
 * ```
 */
export function rollingBetaChart(
  results: Results,
  opts: ChartOptions & { window?: number } = {},
): VegaLiteSpec {
  const window = opts.window ?? ROLLING_WINDOW;
  const beta = hasBenchmark(results)
    ? rolling_beta(results.perf.returns, results.benchmark_returns, window)
    : new Float64Array(results.length).fill(NaN);
  return rollingChart(
    `Rolling beta to the benchmark (${window} sessions)`,
    "beta",
    sessionDates(results),
    beta,
    opts,
  );
}

/**
 * Long, short and net exposure as fractions of the portfolio value.
 *
 * @example
 * ```ts
 * exposureChart(results);
 * ```
 */
export function exposureChart(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const e = exposure(results);
  return {
    $schema: SCHEMA,
    title: "Exposure",
    width: opts.width ?? 640,
    height: opts.height ?? 160,
    data: csvData({ date: sessionDates(results), long: e.long, short: e.short, net: e.net }),
    transform: [{ fold: ["long", "short", "net"], as: ["series", "value"] }],
    mark: { type: "line", strokeWidth: 1.2 },
    encoding: {
      x: X_DATE,
      y: {
        field: "value",
        type: "quantitative",
        title: "of portfolio value",
        axis: { format: "%" },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        sort: ["long", "short", "net"],
      },
      // Net is dashed: for a long-only book it lies exactly on the long line.
      strokeDash: {
        field: "series",
        type: "nominal",
        title: null,
        sort: ["long", "short", "net"],
        scale: { domain: ["long", "short", "net"], range: [[1, 0], [1, 0], [5, 3]] },
      },
    },
  };
}

/**
 * Position weights over time, stacked by asset (the `top` largest, the rest as "other"), drawn
 * from at most `points` evenly spaced sessions (default 750, always including the last).
 *
 * @example
 * ```ts
 * positionsChart(results, { top: 5 });
 * ```
 */
export function positionsChart(
  results: Results,
  opts: ChartOptions & { top?: number; points?: number } = {},
): VegaLiteSpec {
  const d = sessionDates(results), { symbols, weights } = position_weights(results, opts.top);
  const rows = sample(d.length, opts.points ?? 750);
  const columns: Record<string, Column> = { date: rows.map((i) => d[i]) };
  symbols.forEach((symbol, k) => columns[symbol] = rows.map((i) => weights[k][i]));
  return {
    $schema: SCHEMA,
    title: "Positions (weight of portfolio value)",
    width: opts.width ?? 640,
    height: opts.height ?? 180,
    data: csvData(columns),
    transform: [{ fold: symbols.map(field), as: ["symbol", "weight"] }],
    mark: { type: "area", opacity: 0.8 },
    encoding: {
      x: X_DATE,
      y: {
        field: "weight",
        type: "quantitative",
        stack: "zero",
        title: "weight",
        axis: { format: "%" },
      },
      color: { field: "symbol", type: "nominal", title: null, sort: symbols },
    },
  };
}

/** Every `step`-th index of `n` (step chosen so at most `points` remain), always the last. */
function sample(n: number, points: number): number[] {
  const step = Math.max(1, Math.ceil(n / points)), rows: number[] = [];
  for (let i = 0; i < n; i += step) rows.push(i);
  if (n && rows[rows.length - 1] !== n - 1) rows.push(n - 1);
  return rows;
}

/**
 * Cumulative returns of several runs on one chart, e.g. one per parameter choice, each drawn from
 * at most `points` evenly spaced sessions (default 1000, always including the last).
 *
 * @example
 * ```ts
 * compareEquity({ "20/100": fast, "50/200": slow });
 * ```
 */
export function compareEquity(
  runs: Record<string, Results>,
  opts: ChartOptions & { points?: number } = {},
): VegaLiteSpec {
  const names = Object.keys(runs), all = Object.values(runs), points = opts.points ?? 1000;
  const aligned = all.every((r) =>
    r.length === all[0].length && r.sessions.every((s, i) => s === all[0].sessions[i])
  );
  let data: Record<string, unknown>, transform: Record<string, unknown>[] = [];
  if (aligned && all.length) {
    // One row per session, one column per run: the dates are written once.
    const rows = sample(all[0].length, points), d = sessionDates(all[0]);
    const columns: Record<string, Column> = { date: rows.map((i) => d[i]) };
    for (const name of names) {
      columns[name] = rows.map((i) => runs[name].perf.algorithm_period_return[i]);
    }
    data = csvData(columns);
    transform = [{ fold: names.map(field), as: ["run", "value"] }];
  } else {
    const date: string[] = [], run: string[] = [], value: number[] = [];
    for (const name of names) {
      const r = runs[name], d = sessionDates(r);
      for (const i of sample(r.length, points)) {
        date.push(d[i]);
        run.push(name);
        value.push(r.perf.algorithm_period_return[i]);
      }
    }
    data = csvData({ date, run, value });
  }
  return {
    $schema: SCHEMA,
    title: "Cumulative return by run",
    width: opts.width ?? 640,
    height: opts.height ?? 260,
    data,
    transform,
    mark: { type: "line", strokeWidth: 1.2 },
    encoding: {
      x: X_DATE,
      y: {
        field: "value",
        type: "quantitative",
        title: "cumulative return",
        axis: { format: "%" },
      },
      color: { field: "run", type: "nominal", title: null, sort: names },
    },
  };
}
