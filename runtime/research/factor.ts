/**
 * Factor research in notebooks: `factor_tearsheet(factor, pricing, { periods, quantiles })` —
 * alphalens' tearsheet of a pipeline factor against prices from `get_pricing`.
 *
 * @module
 */
import type { PipelineResult } from "../pipeline/result.ts";
import {
  factor_data,
  type FactorData,
  type FactorMatrix,
  type PriceTable,
} from "../metrics/factor/factor_data.ts";
import {
  factor_analysis,
  type FactorAnalysis,
  factorTearsheetBody,
} from "../metrics/report/factor_tearsheet.ts";
import { TABLE_CSS } from "../metrics/report/tables.ts";
import { type Displayable, JUPYTER_DISPLAY } from "../metrics/report/display.ts";
import type { Frame } from "../frames/frame.ts";
import { labelText } from "../frames/html_table.ts";

/** Options of {@link factor_tearsheet}. */
export interface FactorTearsheetOptions {
  /** Forward-return periods in sessions. @default [1, 5, 10] */
  periods?: number[];
  /** @default 5 */
  quantiles?: number;
  /** The pipeline column to analyse. @default the first factor column */
  column?: string;
  /** A heading. @default "Factor tearsheet: <column>" */
  title?: string;
}

/** A factor's values as a dates × assets matrix, from a pipeline result or given as such. */
export function factorMatrix(factor: PipelineResult | FactorMatrix, column?: string): FactorMatrix {
  if (!("matrix" in factor)) return factor;
  const name = column ?? factor.columns[0];
  const m = factor.matrix(name);
  return { dates: m.dates, assets: m.assets.map((a) => a.symbol), values: m.values };
}

/** A pricing Frame (dates × symbols or assets) as the price table factor analysis reads. */
export function priceTable(pricing: Frame<unknown, number>): PriceTable {
  return { dates: pricing.index, symbols: pricing.columns.map(labelText), columns: pricing.data };
}

/** The factor tearsheet: displays in a notebook, and carries its numbers. */
export interface FactorTearsheet extends Displayable {
  analysis: FactorAnalysis;
}

/**
 * alphalens' full tearsheet for a factor: quantile statistics, returns analysis (mean
 * period-wise return by quantile, spread), information analysis (IC mean, std, risk-adjusted
 * IC, t-stat) and turnover analysis (quantile turnover, rank autocorrelation), with its figures.
 * Prices must run at least the longest period past the factor's last date.
 *
 * @example
 * ```ts
 * const result = await run_pipeline(new Pipeline({ columns: { momentum } }), "2012-01-03", "2013-12-31");
 * const prices = await get_pricing(symbols, { start: "2012-01-03", end: "2014-01-31" });
 * factor_tearsheet(result, prices, { periods: [1, 5, 10], quantiles: 5 });
 * ```
 */
export function factor_tearsheet(
  factor: PipelineResult | FactorMatrix,
  pricing: Frame<unknown, number>,
  opts: FactorTearsheetOptions = {},
): FactorTearsheet {
  const column = opts.column ?? ("matrix" in factor ? factor.columns[0] : "factor");
  const data: FactorData = factor_data(factorMatrix(factor, column), priceTable(pricing), opts);
  const analysis = factor_analysis(data);
  const title = opts.title ?? `Factor tearsheet: ${column}`;
  return {
    analysis,
    [JUPYTER_DISPLAY]: async () => ({
      "text/html":
        `<style>${TABLE_CSS}div.hv-tables{display:flex;flex-wrap:wrap;gap:0 32px;align-items:flex-start}figure.hv-chart{margin:12px 0}</style>${await factorTearsheetBody(
          analysis,
          title,
        )}`,
      "text/plain": `${title}: IC mean ${
        analysis.labels.map((l, k) => `${l} ${analysis.ic_summary[k].ic_mean.toFixed(3)}`).join(
          ", ",
        )
      }`,
    }),
  };
}
