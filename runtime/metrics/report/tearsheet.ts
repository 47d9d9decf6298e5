/**
 * The tearsheet: one self-contained HTML file with what pyfolio's full tearsheet shows — the
 * summary and pyfolio's performance statistics (benchmark beside the strategy), returns,
 * drawdowns, rolling risk, positions, exposure and turnover, round trips and the latest
 * transactions — with every chart rendered to inline SVG, so the page needs no script, no
 * network and no browser plugin. `harvester backtest --report FILE` and `harvester demo` write it.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import type { Results } from "../results.ts";
import { round_trips } from "../perf_stats.ts";
import { hasBenchmark } from "./analysis.ts";
import {
  exposureChart,
  monthlyReturnsHeatmap,
  positionsChart,
  rollingBetaChart,
  rollingSharpeChart,
} from "./analysis_charts.ts";
import { drawdown, equityCurve, renderSvg, type VegaLiteSpec } from "./charts.ts";
import { count, money } from "../format.ts";
import {
  annualReturnsChart,
  grossLeverageChart,
  holdingsChart,
  monthlyDistributionChart,
  rollingVolatilityChart,
  turnoverChart,
} from "./pyfolio_charts.ts";
import {
  perfStatsHtml,
  roundTripsHtml,
  topPositionsHtml,
  transactionsHtml,
  worstDrawdownsHtml,
} from "./pyfolio_tables.ts";
import { escapeHtml, summaryHtml, summaryOf, TABLE_CSS } from "./tables.ts";

/** A chart of the report: a stable id (`equity`, `drawdown`, …), its section and its spec. */
export interface ReportChart {
  id: string;
  section: Section;
  spec: VegaLiteSpec;
}

/** The page's sections, in order. */
export type Section = "returns" | "drawdowns" | "risk" | "positions";

const SECTION_TITLES: Record<Section, string> = {
  returns: "Returns",
  drawdowns: "Drawdowns",
  risk: "Rolling risk",
  positions: "Positions, exposure and turnover",
};

/** Options of {@link reportCharts} and {@link tearsheetHtml}. */
export interface TearsheetOptions {
  /** The page title. @default "Harvester backtest" */
  title?: string;
  /** Sessions in the rolling windows. @default 126 */
  rolling_window?: number;
  /** How many of the latest transactions to list. @default 20 */
  transactions?: number;
}

/**
 * The charts of a run, in report order: cumulative returns, annual returns, monthly returns,
 * their distribution; underwater drawdown; rolling volatility, Sharpe and beta (beta only with a
 * benchmark); exposure, gross leverage, holdings, daily turnover and positions.
 *
 * @example
 * ```ts
 * for (const { id, spec } of reportCharts(results)) console.log(id, await renderSvg(spec));
 * ```
 */
export function reportCharts(results: Results, opts: TearsheetOptions = {}): ReportChart[] {
  const window = opts.rolling_window;
  const charts: ReportChart[] = [
    { id: "equity", section: "returns", spec: equityCurve(results) },
    { id: "annual_returns", section: "returns", spec: annualReturnsChart(results) },
    { id: "monthly", section: "returns", spec: monthlyReturnsHeatmap(results) },
    { id: "monthly_distribution", section: "returns", spec: monthlyDistributionChart(results) },
    { id: "drawdown", section: "drawdowns", spec: drawdown(results) },
    {
      id: "rolling_volatility",
      section: "risk",
      spec: rollingVolatilityChart(results, { window }),
    },
    { id: "rolling_sharpe", section: "risk", spec: rollingSharpeChart(results, { window }) },
  ];
  if (hasBenchmark(results)) {
    charts.push({
      id: "rolling_beta",
      section: "risk",
      spec: rollingBetaChart(results, { window }),
    });
  }
  charts.push(
    { id: "exposure", section: "positions", spec: exposureChart(results) },
    { id: "gross_leverage", section: "positions", spec: grossLeverageChart(results) },
    { id: "holdings", section: "positions", spec: holdingsChart(results) },
    { id: "turnover", section: "positions", spec: turnoverChart(results) },
    { id: "positions", section: "positions", spec: positionsChart(results) },
  );
  return charts;
}

const PAGE_CSS = `
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto; max-width: 900px; padding: 0 16px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.hv-facts { color: #555; margin: 0 0 12px; }
div.hv-warning { background: #fdecea; border: 1px solid #c0392b; color: #7b1f16; padding: 8px 12px; margin: 12px 0; border-radius: 4px; }
figure.hv-chart { margin: 12px 0 20px; }
figure.hv-chart svg { max-width: 100%; height: auto; }
div.hv-tables { display: flex; flex-wrap: wrap; gap: 0 32px; align-items: flex-start; }
footer { color: #888; font-size: 12px; margin-top: 32px; }
`;

/**
 * The warning shown when the portfolio value reached zero or below: from then on returns divide
 * by a non-positive value and the statistics stop meaning what they say. Empty when it never did.
 *
 * @example
 * ```ts
 * negativeEquityWarning(results); // '<div class="hv-warning" …>…' or ""
 * ```
 */
export function negativeEquityWarning(results: Results): string {
  const pv = results.perf.portfolio_value;
  const first = pv.findIndex((v) => v <= 0);
  if (first < 0) return "";
  let low = first;
  for (let i = first; i < pv.length; i++) if (pv[i] < pv[low]) low = i;
  const day = (i: number) => isoDate(results.sessions[i] / DAY_MS);
  return `<div class="hv-warning" role="alert"><b>Warning: the portfolio value reached zero or below</b> on ${
    day(first)
  } (lowest ${escapeHtml(money(pv[low]))} on ${
    day(low)
  }). Returns after that divide by a value of zero or less: total return, drawdowns and the ratios below are not meaningful from that date on.</div>`;
}

/**
 * The tearsheet's body (without `<html>`/`<head>`), for a page or a notebook cell.
 *
 * @example
 * ```ts
 * const body = await tearsheetBody(results, { title: "Dual moving average" });
 * ```
 */
export async function tearsheetBody(
  results: Results,
  opts: TearsheetOptions = {},
): Promise<string> {
  const title = opts.title ?? "Harvester backtest";
  const n = results.length;
  const day = (ms: number) => isoDate(ms / DAY_MS);
  const facts = n === 0 ? "no sessions" : [
    `${day(results.sessions[0])} – ${day(results.sessions[n - 1])}`,
    `${count(n)} sessions`,
    `capital base ${money(results.perf.starting_cash[0])}`,
    `final portfolio value ${money(results.perf.portfolio_value[n - 1])}`,
  ].join(" · ");
  const figures: Record<Section, string[]> = {
    returns: [],
    drawdowns: [],
    risk: [],
    positions: [],
  };
  for (const { id, section, spec } of reportCharts(results, opts)) {
    figures[section].push(
      `<figure class="hv-chart" id="chart-${id}" data-chart="${id}">${await renderSvg(
        spec,
      )}</figure>`,
    );
  }
  const section = (id: Section, extra = "", before = "") =>
    `<section id="${id}">\n<h2>${SECTION_TITLES[id]}</h2>\n${before}${
      figures[id].join("\n")
    }${extra}\n</section>`;
  return `<header>
<h1>${escapeHtml(title)}</h1>
<p class="hv-facts">${escapeHtml(facts)}</p>
${negativeEquityWarning(results)}
</header>
<section id="metrics">
<h2>Performance</h2>
<div class="hv-tables">${summaryHtml({ "": summaryOf(results) })}${perfStatsHtml(results)}</div>
</section>
${section("returns")}
${section("drawdowns", "", worstDrawdownsHtml(results))}
${section("risk")}
${section("positions", `<div class="hv-tables">${topPositionsHtml(results)}</div>`)}
<section id="round-trips">
<h2>Round trips</h2>
<div class="hv-tables">${roundTripsHtml(round_trips(results))}</div>
</section>
<section id="transactions">
<h2>Transactions</h2>
${transactionsHtml(results, opts.transactions ?? 20)}
</section>
<footer>Generated by Harvester. Statistics as pyfolio and empyrical define them; charts: Vega-Lite, rendered to SVG.</footer>`;
}

/** The tearsheet's CSS (page and tables). */
export const TEARSHEET_CSS = PAGE_CSS + TABLE_CSS;

/**
 * The tearsheet's CSS with every page rule confined to `scope` (the body's rule applies to the
 * scope itself), for embedding in a page that has styles of its own, such as a notebook.
 */
export function scopedTearsheetCss(scope: string): string {
  const page = PAGE_CSS.replace(
    /^([^{\n]+)\{/gm,
    (_, selectors: string) =>
      selectors.split(",").map((s) => {
        const sel = s.trim();
        return sel === "body" ? scope : `${scope} ${sel}`;
      }).join(", ") + " {",
  );
  return page + TABLE_CSS;
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
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title ?? "Harvester backtest")}</title>
<style>${TEARSHEET_CSS}</style>
</head>
<body>
${await tearsheetBody(results, opts)}
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
