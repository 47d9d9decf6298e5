/**
 * The tearsheet's tables under pyfolio's titles: performance statistics (strategy and benchmark
 * side by side), worst drawdown periods, top positions, round-trip statistics, and the latest
 * transactions — every number formatted by `format.ts`.
 *
 * @module
 */
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import type { Results } from "../results.ts";
import { drawdown_table } from "../drawdowns.ts";
import { PERF_STAT_LABELS, type PerfStats, results_perf_stats } from "../perf_stats.ts";
import { position_values, top_positions } from "../positions.ts";
import { round_trip_stats, type RoundTrip, type RoundTripStats } from "../round_trips.ts";
import { count, duration, money, percent, ratio } from "../format.ts";
import { escapeHtml, rowsHtml } from "./tables.ts";

const day = (ms: number) => isoDate(Math.floor(ms / DAY_MS));

/** A table of pre-formatted cells: the first column is a header (`<th>`). */
export function labelledTable(
  caption: string,
  columns: string[],
  rows: string[][],
  cls = "hv-table hv-labelled",
): string {
  // pyfolio names a table in its index header; a caption would say it twice.
  const cap = columns[0] === caption ? "" : `<caption>${escapeHtml(caption)}</caption>`;
  const head = `<thead><tr>${
    columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")
  }</tr></thead>`;
  const body = rows.map(([label, ...cells]) =>
    `<tr><th>${escapeHtml(label)}</th>${
      cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")
    }</tr>`
  ).join("");
  return `<table class="${cls}">${cap}${head}<tbody>${body}</tbody></table>`;
}

const PERCENT_STATS = new Set<keyof PerfStats>([
  "annual_return",
  "cumulative_returns",
  "annual_volatility",
  "max_drawdown",
  "daily_value_at_risk",
  "daily_turnover",
  "alpha",
  "best_day",
  "worst_day",
  "best_month",
  "worst_month",
]);

/** One statistic formatted as the tearsheet shows it. */
export function formatStat(key: keyof PerfStats, x: number): string {
  return PERCENT_STATS.has(key) ? percent(x) : ratio(x, 3);
}

/**
 * "Performance statistics": pyfolio's rows, with a benchmark column when the run had one.
 *
 * @example
 * ```ts
 * perfStatsHtml(results);
 * ```
 */
export function perfStatsHtml(results: Results): string {
  const { strategy, benchmark } = results_perf_stats(results);
  // Leverage, turnover, alpha and beta are the strategy's: blank for the benchmark, and the row
  // is left out when the run cannot have them (no benchmark).
  const own = new Set<keyof PerfStats>(["alpha", "beta", "gross_leverage", "daily_turnover"]);
  const rows = PERF_STAT_LABELS.filter(([key]) => !own.has(key) || Number.isFinite(strategy[key]))
    .map(([key, label]) => [
      label,
      formatStat(key, strategy[key]),
      ...(benchmark ? [own.has(key) ? "" : formatStat(key, benchmark[key])] : []),
    ]);
  return labelledTable(
    "Performance statistics",
    ["", "Strategy", ...(benchmark ? ["Benchmark"] : [])],
    rows,
    "hv-table hv-labelled hv-perf-stats",
  );
}

/**
 * "Worst drawdown periods" (pyfolio `gen_drawdown_table`, the top 5 by default).
 *
 * @example
 * ```ts
 * worstDrawdownsHtml(results, 5);
 * ```
 */
export function worstDrawdownsHtml(results: Results, top = 5): string {
  const rows = drawdown_table(results.sessions, results.perf.returns, top).map((d, k) => [
    String(k),
    ratio(d.net_drawdown_pct),
    day(results.sessions[d.peak]),
    day(results.sessions[d.valley]),
    d.recovery === null ? "not recovered" : day(results.sessions[d.recovery]),
    d.duration === null ? "" : count(d.duration),
  ]);
  return labelledTable(
    "Worst drawdown periods",
    [
      "Worst drawdown periods",
      "Net drawdown in %",
      "Peak date",
      "Valley date",
      "Recovery date",
      "Duration",
    ],
    rows,
  );
}

/**
 * "Top 10 long positions of all time", "… short …" and "Top 10 positions of all time": each
 * asset's extreme weight, as pyfolio lists them.
 *
 * @example
 * ```ts
 * topPositionsHtml(results);
 * ```
 */
export function topPositionsHtml(results: Results, top = 10): string {
  const t = top_positions(position_values(results), top);
  const table = (title: string, list: { symbol: string; max: number }[]) =>
    list.length
      ? labelledTable(title, [title, "max"], list.map((p) => [p.symbol, percent(p.max)]))
      : "";
  return table(`Top ${top} long positions of all time`, t.long) +
    table(`Top ${top} short positions of all time`, t.short) +
    table(`Top ${top} positions of all time`, t.gross);
}

/** pyfolio's round-trip rows: label, statistic, formatter. */
const ROUND_TRIP_ROWS: [string, [string, keyof RoundTripStats, (x: number) => string][]][] = [
  ["Summary stats", [
    ["Total number of round_trips", "count", count],
    ["Percent profitable", "percent_profitable", (x) => percent(x)],
    ["Winning round_trips", "winning", count],
    ["Losing round_trips", "losing", count],
    ["Even round_trips", "even", count],
  ]],
  ["PnL stats", [
    ["Total profit", "total_profit", money],
    ["Gross profit", "gross_profit", money],
    ["Gross loss", "gross_loss", money],
    ["Profit factor", "profit_factor", (x) => ratio(x)],
    ["Avg. trade net profit", "avg_trade_net_profit", money],
    ["Avg. winning trade", "avg_winning_trade", money],
    ["Avg. losing trade", "avg_losing_trade", money],
    ["Ratio Avg. Win:Avg. Loss", "win_loss_ratio", (x) => ratio(x)],
    ["Largest winning trade", "largest_winning_trade", money],
    ["Largest losing trade", "largest_losing_trade", money],
  ]],
  ["Duration stats", [
    ["Avg duration", "avg_duration", duration],
    ["Median duration", "median_duration", duration],
    ["Longest duration", "longest_duration", duration],
    ["Shortest duration", "shortest_duration", duration],
  ]],
  ["Return stats", [
    ["Avg returns all round_trips", "avg_returns", (x) => percent(x)],
    ["Median returns all round_trips", "median_returns", (x) => percent(x)],
  ]],
];

/**
 * "Round trips": pyfolio's summary, PnL, duration and return statistics for all, long and
 * short round trips.
 *
 * @example
 * ```ts
 * roundTripsHtml(round_trips(results));
 * ```
 */
export function roundTripsHtml(trips: readonly RoundTrip[]): string {
  if (trips.length === 0) return "<p>No round trips.</p>";
  const groups: [string, RoundTripStats][] = [["All trades", round_trip_stats(trips)]];
  const longs = trips.filter((t) => t.long), shorts = trips.filter((t) => !t.long);
  if (longs.length) groups.push(["Long trades", round_trip_stats(longs)]);
  if (shorts.length) groups.push(["Short trades", round_trip_stats(shorts)]);
  return ROUND_TRIP_ROWS.map(([title, rows]) =>
    labelledTable(
      title,
      [title, ...groups.map(([g]) => g)],
      rows.map(([label, key, fmt]) => [label, ...groups.map(([, s]) => fmt(s[key]))]),
    )
  ).join("");
}

/**
 * The latest transactions, formatted: date, symbol, shares, price and dollar value.
 *
 * @example
 * ```ts
 * transactionsHtml(results, 20);
 * ```
 */
export function transactionsHtml(results: Results, latest = 20): string {
  const all = results.transactions;
  if (all.length === 0) return "<p>No transactions.</p>";
  const shown = all.slice(-latest);
  return rowsHtml(
    shown.map((t) => ({
      date: day(t.date),
      symbol: t.symbol,
      amount: count(t.amount),
      price: money(t.price),
      value: money(t.amount * t.price),
    })),
    { caption: `Latest ${shown.length} of ${count(all.length)} transactions` },
  );
}
