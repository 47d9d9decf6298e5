/**
 * The tearsheet: one self-contained HTML file with a run's summary metrics, its charts (rendered
 * to inline SVG, so the page needs no script, no network and no browser plugin) and its latest
 * transactions. `harvester backtest --report FILE` and `harvester demo` write it.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import type { Results } from "../results.ts";
import { hasBenchmark } from "./analysis.ts";
import {
  exposureChart,
  monthlyReturnsHeatmap,
  positionsChart,
  rollingBetaChart,
  rollingSharpeChart,
} from "./analysis_charts.ts";
import { drawdown, equityCurve, renderSvg, type VegaLiteSpec } from "./charts.ts";
import { escapeHtml, rowsHtml, summaryHtml, summaryOf, TABLE_CSS } from "./tables.ts";

/** A chart of the report: a stable id (`equity`, `drawdown`, …) and its Vega-Lite spec. */
export interface ReportChart {
  id: string;
  spec: VegaLiteSpec;
}

/** Options of {@link reportCharts} and {@link tearsheetHtml}. */
export interface TearsheetOptions {
  /** The page title. @default "Harvester backtest" */
  title?: string;
  /** Sessions in the rolling Sharpe and beta windows. @default 126 */
  rolling_window?: number;
  /** How many of the latest transactions to list. @default 20 */
  transactions?: number;
}

/**
 * The standard charts of a run, in report order: equity vs benchmark, underwater drawdown,
 * monthly-returns heatmap, rolling Sharpe, rolling beta (only with a benchmark), exposure and
 * positions.
 *
 * @example
 * ```ts
 * for (const { id, spec } of reportCharts(results)) console.log(id, await renderSvg(spec));
 * ```
 */
export function reportCharts(results: Results, opts: TearsheetOptions = {}): ReportChart[] {
  const window = opts.rolling_window;
  const charts: ReportChart[] = [
    { id: "equity", spec: equityCurve(results) },
    { id: "drawdown", spec: drawdown(results) },
    { id: "monthly", spec: monthlyReturnsHeatmap(results) },
    { id: "rolling_sharpe", spec: rollingSharpeChart(results, { window }) },
  ];
  if (hasBenchmark(results)) {
    charts.push({ id: "rolling_beta", spec: rollingBetaChart(results, { window }) });
  }
  charts.push(
    { id: "exposure", spec: exposureChart(results) },
    { id: "positions", spec: positionsChart(results) },
  );
  return charts;
}

const PAGE_CSS = `
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto; max-width: 900px; padding: 0 16px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.hv-facts { color: #555; margin: 0 0 12px; }
figure.hv-chart { margin: 12px 0 20px; }
figure.hv-chart svg { max-width: 100%; height: auto; }
footer { color: #888; font-size: 12px; margin-top: 32px; }
`;

function money(x: number): string {
  return Number.isFinite(x)
    ? x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : "n/a";
}

/**
 * The tearsheet as one HTML document (charts rendered to inline SVG).
 *
 * @example
 * ```ts
 * const html = await tearsheetHtml(results, { title: "Dual moving average" });
 * ```
 */
export async function tearsheetHtml(
  results: Results,
  opts: TearsheetOptions = {},
): Promise<string> {
  const title = opts.title ?? "Harvester backtest";
  const n = results.length;
  const day = (ms: number) => isoDate(ms / DAY_MS);
  const facts = n === 0 ? "no sessions" : [
    `${day(results.sessions[0])} – ${day(results.sessions[n - 1])}`,
    `${n} sessions`,
    `capital base ${money(results.perf.starting_cash[0])}`,
    `final portfolio value ${money(results.perf.portfolio_value[n - 1])}`,
  ].join(" · ");
  const figures: string[] = [];
  for (const { id, spec } of reportCharts(results, opts)) {
    figures.push(
      `<figure class="hv-chart" id="chart-${id}" data-chart="${id}">${await renderSvg(
        spec,
      )}</figure>`,
    );
  }
  const trades = results.transactions.map((t) => ({
    date: day(t.date),
    symbol: t.symbol,
    amount: t.amount,
    price: t.price,
    value: t.amount * t.price,
  }));
  const count = opts.transactions ?? 20;
  const tradesTable = trades.length
    ? rowsHtml(trades, {
      tail: count,
      caption: `Latest ${Math.min(count, trades.length)} of ${trades.length} transactions`,
    })
    : "<p>No transactions.</p>";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}${TABLE_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="hv-facts">${escapeHtml(facts)}</p>
</header>
<section id="metrics">
<h2>Performance</h2>
${summaryHtml({ "": summaryOf(results) })}
</section>
<section id="charts">
<h2>Charts</h2>
${figures.join("\n")}
</section>
<section id="transactions">
<h2>Transactions</h2>
${tradesTable}
</section>
<footer>Generated by Harvester. Charts: Vega-Lite, rendered to SVG.</footer>
</body>
</html>
`;
}

/**
 * Writes the tearsheet to `path` (creating its folder).
 *
 * @example
 * ```ts
 * await writeTearsheet(results, "out/report.html", { title: "My strategy" });
 * ```
 */
export async function writeTearsheet(
  results: Results,
  path: string,
  opts: TearsheetOptions = {},
): Promise<void> {
  const html = await tearsheetHtml(results, opts);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
}
