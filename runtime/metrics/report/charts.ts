/**
 * Vega-Lite specifications of the standard backtest charts, built from a results object. The
 * same specs render to SVG without a browser (for files and static reports) and go to notebooks
 * with the Vega-Lite MIME type so JupyterLab draws them interactively.
 */
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import type { Results } from "../../engine/results.ts";

export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

function dates(results: Results): string[] {
  return Array.from(results.sessions, (s) => isoDate(s / DAY_MS));
}

/** Cumulative return of the strategy and (when it has one) the benchmark. */
export function equityCurve(
  results: Results,
  opts: { width?: number; height?: number } = {},
): VegaLiteSpec {
  const d = dates(results);
  const values: Record<string, unknown>[] = [];
  const hasBenchmark = results.benchmark_returns.some((x) => x !== 0);
  let bench = 1;
  for (let i = 0; i < d.length; i++) {
    values.push({ date: d[i], series: "strategy", value: results.perf.algorithm_period_return[i] });
    if (hasBenchmark) {
      bench *= 1 + results.benchmark_returns[i];
      values.push({ date: d[i], series: "benchmark", value: bench - 1 });
    }
  }
  return {
    $schema: SCHEMA,
    title: "Cumulative return",
    width: opts.width ?? 640,
    height: opts.height ?? 260,
    data: { values },
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: "date", type: "temporal", title: null },
      y: {
        field: "value",
        type: "quantitative",
        title: "cumulative return",
        axis: { format: "%" },
      },
      color: { field: "series", type: "nominal", title: null },
    },
  };
}

/** The underwater curve: drawdown from the running peak. */
export function drawdown(
  results: Results,
  opts: { width?: number; height?: number } = {},
): VegaLiteSpec {
  const d = dates(results);
  let peak = -Infinity;
  const values = d.map((date, i) => {
    const v = results.perf.portfolio_value[i];
    peak = Math.max(peak, v);
    return { date, drawdown: v / peak - 1 };
  });
  return {
    $schema: SCHEMA,
    title: "Drawdown",
    width: opts.width ?? 640,
    height: opts.height ?? 140,
    data: { values },
    mark: { type: "area", color: "#c0392b", opacity: 0.6 },
    encoding: {
      x: { field: "date", type: "temporal", title: null },
      y: { field: "drawdown", type: "quantitative", title: "drawdown", axis: { format: "%" } },
    },
  };
}

/** Renders a spec to SVG (headless: no browser, no canvas). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
