/**
 * alphalens' full tearsheet as HTML: the quantile statistics, returns analysis (mean period-wise
 * return by quantile, top-minus-bottom spread), information analysis (IC mean, IC std,
 * risk-adjusted IC, t-stat, p-value, skew, kurtosis) and turnover analysis (quantile turnover,
 * factor rank autocorrelation) as tables, and its figures as Vega-Lite charts drawn to SVG.
 *
 * @module
 */
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import {
  cumulative_returns_by_quantile,
  factor_rank_autocorrelation,
  ic_summary,
  type IcSummary,
  information_coefficient,
  mean_return_by_quantile,
  quantile_spread,
  quantile_statistics,
  quantile_turnover,
} from "../factor/analysis.ts";
import type { FactorData } from "../factor/factor_data.ts";
import { nanmean } from "../empyrical.ts";
import { count, ratio } from "../format.ts";
import { csvData, renderSvg, SCHEMA, type VegaLiteSpec } from "./charts.ts";
import { labelledTable } from "./pyfolio_tables.ts";

/** Everything the factor tearsheet shows, as numbers. */
export interface FactorAnalysis {
  data: FactorData;
  /** Period labels as alphalens writes them: `1D`, `5D`, … */
  labels: string[];
  /** `ic[k][t]` and its summary per period. */
  ic: Float64Array[];
  ic_summary: IcSummary[];
  /** Mean period-wise (rate of) return by quantile: `mean_return[k][q-1]`. */
  mean_return: number[][];
  /** Top-minus-bottom spread per period and date. */
  spread: Float64Array[];
  /** Cumulative first-period return by quantile: `cumulative[q-1][t]`. */
  cumulative: Float64Array[];
  /** `turnover[k][q-1][t]` and rank autocorrelation `autocorrelation[k][t]` per period. */
  turnover: Float64Array[][];
  autocorrelation: Float64Array[];
  quantile_statistics: ReturnType<typeof quantile_statistics>;
}

/**
 * Runs every analysis of the tearsheet on clean factor data (demeaned returns: alphalens'
 * `long_short=True`).
 *
 * @example
 * ```ts
 * const a = factor_analysis(factor_data(matrix, prices, { periods: [1, 5, 10] }));
 * a.ic_summary[0].ic_mean;
 * ```
 */
export function factor_analysis(data: FactorData): FactorAnalysis {
  const ic = information_coefficient(data);
  return {
    data,
    labels: data.periods.map((p) => `${p}D`),
    ic,
    ic_summary: ic.map(ic_summary),
    mean_return: mean_return_by_quantile(data).mean,
    spread: quantile_spread(data),
    cumulative: cumulative_returns_by_quantile(data),
    turnover: data.periods.map((p) => quantile_turnover(data, p)),
    autocorrelation: data.periods.map((p) => factor_rank_autocorrelation(data, p)),
    quantile_statistics: quantile_statistics(data),
  };
}

const BPS = 10_000;
const dates = (a: FactorAnalysis) => a.data.dates.map((d) => isoDate(d / DAY_MS));

/** alphalens' tables: quantiles, returns, information and turnover analysis. */
export function factorTables(a: FactorAnalysis): string {
  const Q = a.data.quantiles;
  const quantiles = labelledTable(
    "Quantiles Statistics",
    ["factor_quantile", "min", "max", "mean", "std", "count", "count %"],
    a.quantile_statistics.map((s) => [
      String(s.quantile),
      ratio(s.min, 4),
      ratio(s.max, 4),
      ratio(s.mean, 4),
      ratio(s.std, 4),
      count(s.count),
      ratio(s.count_pct, 2),
    ]),
  );
  const returns = labelledTable("Returns Analysis", ["Returns Analysis", ...a.labels], [
    [
      "Mean Period Wise Return Top Quantile (bps)",
      ...a.mean_return.map((m) => ratio(m[Q - 1] * BPS, 3)),
    ],
    [
      "Mean Period Wise Return Bottom Quantile (bps)",
      ...a.mean_return.map((m) => ratio(m[0] * BPS, 3)),
    ],
    ["Mean Period Wise Spread (bps)", ...a.spread.map((s) => ratio(nanmean(s) * BPS, 3))],
  ]);
  const info = labelledTable(
    "Information Analysis",
    ["Information Analysis", ...a.labels],
    (
      [
        ["IC Mean", "ic_mean"],
        ["IC Std.", "ic_std"],
        ["Risk-Adjusted IC", "risk_adjusted_ic"],
        ["t-stat(IC)", "t_stat"],
        ["p-value(IC)", "p_value"],
        ["IC Skew", "ic_skew"],
        ["IC Kurtosis", "ic_kurtosis"],
      ] as [string, keyof IcSummary][]
    ).map(([label, key]) => [label, ...a.ic_summary.map((s) => ratio(s[key], 3))]),
  );
  const turnoverRows = Array.from({ length: Q }, (_, q) => [
    `Quantile ${q + 1} Mean Turnover`,
    ...a.turnover.map((t) => ratio(nanmean(t[q]), 3)),
  ]);
  const turnover = labelledTable("Turnover Analysis", ["Turnover Analysis", ...a.labels], [
    ...turnoverRows,
    ["Mean Factor Rank Autocorrelation", ...a.autocorrelation.map((x) => ratio(nanmean(x), 3))],
  ]);
  return `<div class="hv-tables">${quantiles}${returns}${info}${turnover}</div>`;
}

function lines(
  title: string,
  yTitle: string,
  x: string[],
  series: Record<string, ArrayLike<number>>,
  format?: string,
): VegaLiteSpec {
  const names = Object.keys(series);
  return {
    $schema: SCHEMA,
    title,
    width: 640,
    height: 180,
    data: csvData({ date: x, ...series }),
    transform: [{ fold: names, as: ["series", "value"] }, { filter: "isValid(datum.value)" }],
    mark: { type: "line", strokeWidth: 1.4 },
    encoding: {
      x: { field: "date", type: "temporal", title: null },
      y: {
        field: "value",
        type: "quantitative",
        title: yTitle,
        ...(format ? { axis: { format } } : {}),
      },
      color: names.length > 1
        ? {
          field: "series",
          type: "nominal",
          title: null,
          sort: names,
          scale: { scheme: "redblue" },
        }
        : { value: "#2e7d32" },
    },
  };
}

/**
 * alphalens' figures: mean period-wise return by quantile, cumulative return by quantile,
 * the top-minus-bottom spread, the information coefficient, top and bottom quantile turnover
 * and factor rank autocorrelation (first period).
 */
export function factorCharts(a: FactorAnalysis): { id: string; spec: VegaLiteSpec }[] {
  const x = dates(a), Q = a.data.quantiles, first = a.labels[0];
  const bars = a.mean_return.flatMap((m, k) =>
    m.map((r, q) => ({ quantile: q + 1, period: a.labels[k], bps: r * BPS }))
  );
  const byQuantile = Object.fromEntries(a.cumulative.map((c, q) => [`Q${q + 1}`, c]));
  return [
    {
      id: "mean_return_by_quantile",
      spec: {
        $schema: SCHEMA,
        title: "Mean Period Wise Return By Factor Quantile",
        width: 640,
        height: 180,
        data: { values: bars },
        mark: { type: "bar" },
        encoding: {
          x: { field: "quantile", type: "ordinal", title: "factor quantile" },
          xOffset: { field: "period", sort: a.labels },
          y: { field: "bps", type: "quantitative", title: "mean return (bps)" },
          color: { field: "period", type: "nominal", sort: a.labels, title: null },
        },
      },
    },
    {
      id: "cumulative_by_quantile",
      spec: lines(
        `Cumulative Return by Quantile (${first} Period Forward Return)`,
        "cumulative return",
        x,
        byQuantile,
      ),
    },
    {
      id: "spread",
      spec: lines(
        `Top Minus Bottom Quantile Mean Return (${first} Period Forward Return)`,
        "spread",
        x,
        {
          spread: a.spread[0],
        },
        "%",
      ),
    },
    {
      id: "ic",
      spec: lines(`${first} Period Forward Return Information Coefficient (IC)`, "IC", x, {
        IC: a.ic[0],
      }),
    },
    {
      id: "turnover",
      spec: lines(`${first} Period Top and Bottom Quantile Turnover`, "turnover", x, {
        [`quantile ${Q} turnover`]: a.turnover[0][Q - 1],
        "quantile 1 turnover": a.turnover[0][0],
      }, "%"),
    },
    {
      id: "rank_autocorrelation",
      spec: lines(`${first} Period Factor Rank Autocorrelation`, "autocorrelation", x, {
        autocorrelation: a.autocorrelation[0],
      }),
    },
  ];
}

/** The tearsheet as an HTML fragment: tables, then each figure as inline SVG. */
export async function factorTearsheetBody(
  a: FactorAnalysis,
  title = "Factor tearsheet",
): Promise<string> {
  const figures: string[] = [];
  for (const { id, spec } of factorCharts(a)) {
    figures.push(`<figure class="hv-chart" data-chart="${id}">${await renderSvg(spec)}</figure>`);
  }
  const d = dates(a);
  const facts = `${d[0]} – ${d[d.length - 1]} · ${count(d.length)} dates · ${
    count(a.data.factor.length)
  } (date, asset) rows · ${a.data.quantiles} quantiles · periods ${a.labels.join(", ")}`;
  return `<div class="hv-factor"><h2>${
    title.replace(/[&<>]/g, "")
  }</h2><p class="hv-facts">${facts}</p>${factorTables(a)}${figures.join("\n")}</div>`;
}
