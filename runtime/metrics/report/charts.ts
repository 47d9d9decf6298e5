/**
 * Vega-Lite specifications of the standard backtest charts, built from a results object. The
 * same specs render to SVG without a browser (for files and static reports) and go to notebooks
 * with the Vega-Lite MIME type so JupyterLab draws them interactively.
 *
 * Series of one value per session travel as inline CSV (a few bytes a point instead of a JSON
 * object each), which keeps a notebook message of a ten-year daily chart small.
 */
import type { Results } from "../results.ts";
import { hasBenchmark, sessionDates, underwater } from "./analysis.ts";
import { lazyImport } from "../../lazy.ts";

/** A Vega-Lite specification (a plain JSON object). */
export type VegaLiteSpec = Record<string, unknown>;

/** Size of a chart's plotting area in pixels. */
export interface ChartOptions {
  width?: number;
  height?: number;
}

/** The `$schema` every spec here declares. */
export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** A column of inline data: numbers (NaN and ±Infinity become missing) or text. */
export type Column = ArrayLike<number> | readonly string[];

function csvCell(v: number | string): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : "";
  return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * Inline Vega-Lite data from columns of equal length, as CSV with every numeric column parsed as
 * a number (seven significant digits: far below a pixel).
 *
 * @example
 * ```ts
 * csvData({ date: ["2024-07-01", "2024-07-02"], value: new Float64Array([0.1, 0.2]) });
 * // { values: "date,value\n2024-07-01,0.1\n2024-07-02,0.2", format: { type: "csv", parse: … } }
 * ```
 */
export function csvData(columns: Record<string, Column>): Record<string, unknown> {
  const names = Object.keys(columns), cols = Object.values(columns);
  const n = cols.length ? cols[0].length : 0;
  const lines = [names.map(csvCell).join(",")];
  for (let i = 0; i < n; i++) lines.push(cols.map((c) => csvCell(c[i])).join(","));
  const parse: Record<string, string> = {};
  names.forEach((name, k) => {
    if (typeof cols[k][0] !== "string") parse[name] = "number";
  });
  return { values: lines.join("\n"), format: { type: "csv", parse } };
}

/** A field name as Vega reads it (dots and brackets in symbols like `BRK.B` escaped). */
export function field(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Cumulative return of the strategy and (when it has one) the benchmark.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(equityCurve(results));
 * ```
 */
export function equityCurve(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  const columns: Record<string, Column> = {
    date: sessionDates(results),
    strategy: results.perf.algorithm_period_return,
  };
  if (hasBenchmark(results)) {
    const b = new Float64Array(results.length);
    let growth = 1;
    results.benchmark_returns.forEach((r, i) => b[i] = (growth *= 1 + r) - 1);
    columns.benchmark = b;
  }
  const series = Object.keys(columns).slice(1);
  return {
    $schema: SCHEMA,
    title: "Cumulative return",
    width: opts.width ?? 640,
    height: opts.height ?? 260,
    data: csvData(columns),
    transform: [{ fold: series, as: ["series", "value"] }],
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: "date", type: "temporal", title: null },
      y: {
        field: "value",
        type: "quantitative",
        title: "cumulative return",
        axis: { format: "%" },
      },
      color: { field: "series", type: "nominal", title: null, sort: series },
    },
  };
}

/**
 * The underwater curve: drawdown from the running peak of the portfolio value.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(drawdown(results));
 * ```
 */
export function drawdown(results: Results, opts: ChartOptions = {}): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: "Drawdown",
    width: opts.width ?? 640,
    height: opts.height ?? 140,
    data: csvData({
      date: sessionDates(results),
      drawdown: underwater(results.perf.portfolio_value),
    }),
    mark: { type: "area", color: "#c0392b", opacity: 0.6 },
    encoding: {
      x: { field: "date", type: "temporal", title: null },
      y: { field: "drawdown", type: "quantitative", title: "drawdown", axis: { format: "%" } },
    },
  };
}

/** Rounds the coordinates in path data to a tenth of a pixel (Vega writes up to 15 digits). */
function compactPaths(svg: string): string {
  return svg.replace(
    /\sd="([^"]*)"/g,
    (_, d: string) =>
      ` d="${d.replace(/-?\d*\.\d+/g, (x) => String(Math.round(Number(x) * 10) / 10))}"`,
  );
}

/**
 * Renders a spec to SVG (headless: no browser, no canvas); path coordinates are rounded to a
 * tenth of a pixel, which keeps dense daily charts light.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("equity.svg", await renderSvg(equityCurve(results)));
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await Promise.all([
    lazyImport<typeof import("vega")>("vega"),
    lazyImport<typeof import("vega-lite")>("vega-lite"),
  ]);
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return compactPaths(await view.toSVG());
  } finally {
    view.finalize();
  }
}
