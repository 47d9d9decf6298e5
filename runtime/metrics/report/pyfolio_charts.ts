/**
 * The tearsheet charts pyfolio adds: annual returns, the distribution of monthly returns,
 * rolling volatility against the benchmark, daily turnover, gross leverage and holdings per day.
 * Plain Vega-Lite specs, like the other chart modules.
 *
 * @module
 */
import type { Results } from "../results.ts";
import { daily_turnover, gross_leverage, holdings_count, position_values } from "../positions.ts";
import { aggregate_returns, rolling_volatility } from "../stats.ts";
import { hasBenchmark, ROLLING_WINDOW, sessionDates } from "./analysis.ts";
import { type ChartOptions, type Column, csvData, SCHEMA, type VegaLiteSpec } from "./charts.ts";

const X_DATE = { field: "date", type: "temporal", title: null };

/** A line per named series over the sessions (NaN points left out). */
function linesChart(
  title: string,
  yTitle: string,
  dates: string[],
  series: Record<string, Float64Array>,
  opts: ChartOptions & { format?: string; mean?: boolean },
): VegaLiteSpec {
  const names = Object.keys(series);
  const columns: Record<string, Column> = { date: dates, ...series };
  const layer: Record<string, unknown>[] = [{
    transform: [{ fold: names, as: ["series", "value"] }, { filter: "isValid(datum.value)" }],
    mark: { type: "line", strokeWidth: 1.2 },
    encoding: {
      x: X_DATE,
      y: {
        field: "value",
        type: "quantitative",
        title: yTitle,
        ...(opts.format ? { axis: { format: opts.format } } : {}),
      },
      color: names.length > 1
        ? { field: "series", type: "nominal", title: null, sort: names }
        : { value: "#4c78a8" },
    },
  }];
  if (opts.mean) {
    // pyfolio draws the series' mean as a dashed line.
    layer.push({
      transform: [{ fold: names.slice(0, 1), as: ["series", "value"] }, {
        aggregate: [{ op: "mean", field: "value", as: "mean" }],
      }],
      mark: { type: "rule", color: "#e45756", strokeDash: [4, 3] },
      encoding: { y: { field: "mean", type: "quantitative" } },
    });
  }
  return {
    $schema: SCHEMA,
    title,
    width: opts.width ?? 640,
    height: opts.height ?? 160,
    data: csvData(columns),
    layer,
  };
}

/**
 * pyfolio's "Annual returns": each calendar year's compounded return as a bar, with the mean.
 *
 * @example
 * ```ts
 * annualReturnsChart(results);
 * ```
 */
export function annualReturnsChart(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const values = aggregate_returns(results.sessions, results.perf.returns, "yearly").map((y) => ({
    year: y.period,
    return: y.return,
  }));
  return {
    $schema: SCHEMA,
    title: "Annual returns",
    width: opts.width ?? 640,
    height: opts.height ?? Math.max(80, 18 * values.length),
    data: { values },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "year", type: "ordinal", title: null },
          x: { field: "return", type: "quantitative", title: "return", axis: { format: "%" } },
          color: {
            condition: { test: "datum.return < 0", value: "#c0392b" },
            value: "#2e7d32",
          },
          tooltip: [{ field: "year" }, { field: "return", format: ".2%" }],
        },
      },
      {
        mark: { type: "rule", color: "#555", strokeDash: [4, 3] },
        encoding: { x: { aggregate: "mean", field: "return", type: "quantitative" } },
      },
    ],
  };
}

/**
 * pyfolio's "Distribution of monthly returns": a histogram of the calendar months' returns.
 *
 * @example
 * ```ts
 * monthlyDistributionChart(results);
 * ```
 */
export function monthlyDistributionChart(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const values = aggregate_returns(results.sessions, results.perf.returns, "monthly").map((m) => ({
    month: m.period,
    return: m.return,
  }));
  return {
    $schema: SCHEMA,
    title: "Distribution of monthly returns",
    width: opts.width ?? 640,
    height: opts.height ?? 160,
    data: { values },
    layer: [
      {
        mark: { type: "bar", color: "#f58518" },
        encoding: {
          x: {
            field: "return",
            type: "quantitative",
            bin: { maxbins: 30 },
            title: "monthly return",
            axis: { format: "%" },
          },
          y: { aggregate: "count", type: "quantitative", title: "number of months" },
        },
      },
      {
        mark: { type: "rule", color: "#333", strokeDash: [4, 3] },
        encoding: { x: { aggregate: "mean", field: "return", type: "quantitative" } },
      },
    ],
  };
}

/**
 * pyfolio's "Rolling volatility (6-month)": the strategy's and the benchmark's annualised
 * volatility over a trailing window.
 *
 * @example
 * ```ts
 * rollingVolatilityChart(results, { window: 63 });
 * ```
 */
export function rollingVolatilityChart(
  results: Results,
  opts: ChartOptions & { window?: number } = {},
): VegaLiteSpec {
  const window = opts.window ?? ROLLING_WINDOW;
  const series: Record<string, Float64Array> = {
    strategy: rolling_volatility(results.perf.returns, window),
  };
  if (hasBenchmark(results)) {
    series.benchmark = rolling_volatility(results.benchmark_returns, window);
  }
  return linesChart(
    `Rolling volatility (${window} sessions)`,
    "annual volatility",
    sessionDates(results),
    series,
    { ...opts, format: "%" },
  );
}

/**
 * pyfolio's "Daily turnover": traded dollars over the average gross book, with its mean.
 *
 * @example
 * ```ts
 * turnoverChart(results);
 * ```
 */
export function turnoverChart(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const turnover = daily_turnover(position_values(results), results.transactions);
  return linesChart("Daily turnover", "turnover", sessionDates(results), { turnover }, {
    ...opts,
    format: "%",
    mean: true,
  });
}

/**
 * pyfolio's "Gross leverage": Σ|positions| over the portfolio value, per session.
 *
 * @example
 * ```ts
 * grossLeverageChart(results);
 * ```
 */
export function grossLeverageChart(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const leverage = gross_leverage(position_values(results));
  return linesChart("Gross leverage", "gross leverage", sessionDates(results), { leverage }, {
    ...opts,
    mean: true,
  });
}

/**
 * pyfolio's "Holdings per day": how many assets the portfolio held on each session.
 *
 * @example
 * ```ts
 * holdingsChart(results);
 * ```
 */
export function holdingsChart(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const holdings = holdings_count(position_values(results));
  return linesChart("Holdings per day", "assets held", sessionDates(results), { holdings }, {
    ...opts,
    mean: true,
  });
}
