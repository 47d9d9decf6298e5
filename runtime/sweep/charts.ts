/**
 * The sweep's charts as Vega-Lite specs (rendered to SVG like the tearsheet's): a heatmap of a
 * metric over two parameters, and cumulative return curves of several cells (or of the stitched
 * out-of-sample record, coloured by fold).
 *
 * @module
 */
import { csvData, SCHEMA, type VegaLiteSpec } from "../metrics/report/charts.ts";
import type { GridAxis } from "./grid.ts";
import type { SweepRow } from "./table.ts";

/**
 * A heatmap of `metric` over the first two axes: one labelled cell per pair of values (the best
 * value over the other axes, when there are more than two).
 *
 * @example
 * ```ts
 * heatmapSpec(rows, axes, "sharpe");
 * ```
 */
export function heatmapSpec(
  rows: readonly SweepRow[],
  axes: readonly GridAxis[],
  metric: string,
): VegaLiteSpec {
  const [xAxis, yAxis] = axes;
  const best = new Map<string, number>();
  for (const r of rows) {
    const v = r[metric as keyof SweepRow] as number;
    const k = `${r.params[xAxis.name]}\u0000${r.params[yAxis.name]}`;
    const had = best.get(k);
    if (had === undefined || Number.isNaN(had) || v > had) best.set(k, v);
  }
  const xs: string[] = [], ys: string[] = [], vs: number[] = [];
  for (const x of xAxis.values) {
    for (const y of yAxis.values) {
      xs.push(x);
      ys.push(y);
      vs.push(best.get(`${x}\u0000${y}`) ?? NaN);
    }
  }
  const label = (s: string) => `${s} (best over ${axes.slice(2).map((a) => a.name).join(", ")})`;
  return {
    $schema: SCHEMA,
    title: axes.length > 2 ? label(metric) : metric,
    width: Math.max(200, 60 * xAxis.values.length),
    height: Math.max(120, 36 * yAxis.values.length),
    data: csvData({ x: xs, y: ys, value: vs }),
    encoding: {
      x: {
        field: "x",
        type: "ordinal",
        title: xAxis.name,
        sort: xAxis.values,
        axis: { labelAngle: 0 },
      },
      y: { field: "y", type: "ordinal", title: yAxis.name, sort: yAxis.values },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: {
            field: "value",
            type: "quantitative",
            title: metric,
            scale: { scheme: "redyellowgreen" },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: { text: { field: "value", type: "quantitative", format: ".2f" } },
      },
    ],
  };
}

/** One curve: a label and its portfolio value per session. */
export interface Curve {
  label: string;
  dates: readonly string[];
  portfolio_value: readonly number[];
  /** The value the curve's return is measured from. */
  capital: number;
}

/**
 * Cumulative returns of several curves, one line each, in the order given.
 *
 * @example
 * ```ts
 * curvesSpec([{ label: "short=10,long=50", dates, portfolio_value, capital: 1e7 }]);
 * ```
 */
export function curvesSpec(curves: readonly Curve[], title: string): VegaLiteSpec {
  const date: string[] = [], series: string[] = [], value: number[] = [];
  for (const c of curves) {
    c.dates.forEach((d, i) => {
      date.push(d);
      series.push(c.label);
      value.push(c.portfolio_value[i] / c.capital - 1);
    });
  }
  return {
    $schema: SCHEMA,
    title,
    width: 640,
    height: 260,
    data: csvData({ date, series, value }),
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: "date", type: "temporal", title: null },
      y: {
        field: "value",
        type: "quantitative",
        title: "cumulative return",
        axis: { format: "%" },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        sort: curves.map((c) => c.label),
        legend: { labelLimit: 320, orient: "bottom", direction: "vertical" },
      },
    },
  };
}
