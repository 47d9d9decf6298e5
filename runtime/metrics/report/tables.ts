/**
 * HTML tables of results for notebooks and the tearsheet: the summary metrics (one column per
 * run, so runs compare side by side), a window of the perf table, and any list of rows (positions,
 * transactions). Every cell is escaped; numbers are formatted for reading, not for round trips.
 *
 * @module
 */
import type { Results } from "../results.ts";
import { summarize, type Summary } from "../summary.ts";
import { count, percent, ratio } from "../format.ts";
import { hasBenchmark } from "./analysis.ts";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The summary statistics of a run, exactly as the CLI prints them (benchmark rows only when the
 * run had a benchmark).
 *
 * @example
 * ```ts
 * summaryOf(results).sharpe; // 1.06
 * ```
 */
export function summaryOf(results: Results): Summary {
  return summarize(results.perf.returns, hasBenchmark(results) ? results.benchmark_returns : null, {
    trades: results.transactionCount,
    exposure: results.perf.gross_leverage,
  });
}

const pct = (x: number) => percent(x);
const num = (digits: number) => (x: number) => ratio(x, digits);

/** The summary rows: label, formatter, and whether the row needs a benchmark. */
const SUMMARY_ROWS: [keyof Summary, string, (x: number) => string, boolean?][] = [
  ["sessions", "Sessions", count],
  ["total_return", "Total return", pct],
  ["cagr", "CAGR", pct],
  ["annual_volatility", "Annual volatility", pct],
  ["sharpe", "Sharpe ratio", num(2)],
  ["sortino", "Sortino ratio", num(2)],
  ["max_drawdown", "Max drawdown", pct],
  ["calmar", "Calmar ratio", num(2)],
  ["stability", "Stability", num(2)],
  ["benchmark_return", "Benchmark return", pct, true],
  ["alpha", "Alpha", num(4), true],
  ["beta", "Beta", num(2), true],
  ["trades", "Trades", count],
  ["avg_exposure", "Avg exposure", pct],
];

/**
 * The summary metrics of one or more runs as an HTML table, one column per run.
 *
 * @example
 * ```ts
 * summaryHtml({ "20/100": summaryOf(a), "50/200": summaryOf(b) });
 * ```
 */
export function summaryHtml(runs: Record<string, Summary>): string {
  const names = Object.keys(runs), all = Object.values(runs);
  const anyBenchmark = all.some((s) => !Number.isNaN(s.benchmark_return));
  const head = names.length > 1 || names[0] !== ""
    ? `<thead><tr><th></th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join("")}</tr></thead>`
    : "";
  const body = SUMMARY_ROWS.filter(([, , , bench]) => !bench || anyBenchmark).map(
    ([key, label, fmt]) =>
      `<tr><th>${label}</th>${
        all.map((s) => `<td data-metric="${key}">${escapeHtml(fmt(s[key]))}</td>`).join("")
      }</tr>`,
  ).join("");
  return `<table class="hv-summary">${head}<tbody>${body}</tbody></table>`;
}

/**
 * Formats one cell for reading: money-sized numbers with two decimals, small ones with six
 * significant digits, NaN and null as empty.
 */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (Number.isInteger(v)) return String(v);
    if (Math.abs(v) >= 1000) return v.toFixed(2);
    return String(Number(v.toPrecision(6)));
  }
  if (typeof v === "boolean") return v ? "True" : "False";
  return String(v);
}

/** Options of {@link rowsHtml}. */
export interface RowsHtmlOptions {
  /** Columns to show, in order (default: the first row's keys). */
  columns?: string[];
  /** A caption above the table. */
  caption?: string;
  /** Show the first `head` rows … */
  head?: number;
  /** … and the last `tail` rows, with an ellipsis row between them when rows are skipped. */
  tail?: number;
}

/**
 * Any list of row objects as an HTML table.
 *
 * @example
 * ```ts
 * rowsHtml(results.transactions, { columns: ["symbol", "amount", "price"], tail: 10 });
 * ```
 */
export function rowsHtml(
  rows: readonly Record<string, unknown>[],
  opts: RowsHtmlOptions = {},
): string {
  const columns = opts.columns ?? Object.keys(rows[0] ?? {});
  const head = Math.min(opts.head ?? (opts.tail === undefined ? rows.length : 0), rows.length);
  const tail = Math.min(opts.tail ?? 0, rows.length - head);
  return tableHtml(
    columns,
    rows.slice(0, head),
    rows.slice(rows.length - tail),
    rows.length - head - tail,
    "rows",
    opts.caption,
  );
}

function tableHtml(
  columns: string[],
  first: readonly Record<string, unknown>[],
  last: readonly Record<string, unknown>[],
  skipped: number,
  what: string,
  caption?: string,
): string {
  const tr = (r: Record<string, unknown>) =>
    `<tr>${columns.map((c) => `<td>${escapeHtml(formatCell(r[c]))}</td>`).join("")}</tr>`;
  const skip = skipped > 0
    ? `<tr class="hv-skip"><td colspan="${columns.length}">… ${skipped} more ${what} …</td></tr>`
    : "";
  return `<table class="hv-table">${
    caption ? `<caption>${escapeHtml(caption)}</caption>` : ""
  }<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${
    first.map(tr).join("")
  }${skip}${last.map(tr).join("")}</tbody></table>`;
}

/** The perf columns a results preview shows (plus every recorded name). */
export const PREVIEW_COLUMNS = [
  "date",
  "portfolio_value",
  "returns",
  "pnl",
  "ending_cash",
  "long_exposure",
  "short_exposure",
  "gross_leverage",
  "positions_count",
  "transactions_count",
];

/**
 * A window of the perf table (its first `head` and last `tail` sessions, default 5 each) as
 * HTML; only the rows shown are built.
 *
 * @example
 * ```ts
 * perfHtml(results, { head: 3, tail: 3 });
 * ```
 */
export function perfHtml(results: Results, opts: RowsHtmlOptions = {}): string {
  const columns = opts.columns ?? [...PREVIEW_COLUMNS, ...results.recorded.keys()];
  const n = results.length;
  const head = Math.min(opts.head ?? 5, n), tail = Math.min(opts.tail ?? 5, n - head);
  const range = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => results.row(from + k));
  return tableHtml(
    columns,
    range(0, head),
    range(n - tail, n),
    n - head - tail,
    "sessions",
    opts.caption,
  );
}

/** CSS for the tables above (scoped by their `hv-` classes). */
export const TABLE_CSS = `
table.hv-summary, table.hv-table { border-collapse: collapse; font: 12px/1.4 system-ui, sans-serif; margin: 6px 0; }
table.hv-summary th, table.hv-summary td, table.hv-table th, table.hv-table td { padding: 2px 10px; border-bottom: 1px solid #e3e3e3; white-space: nowrap; }
table.hv-summary th { text-align: left; font-weight: 500; }
table.hv-summary td, table.hv-table td { text-align: right; font-variant-numeric: tabular-nums; }
table.hv-summary thead th, table.hv-table thead th { border-bottom: 1px solid #999; font-weight: 600; text-align: right; }
table.hv-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.hv-labelled tbody th { text-align: left; font-weight: 500; }
table.hv-labelled thead th:first-child { text-align: left; }
tr.hv-skip td { text-align: left; color: #888; }
`;
