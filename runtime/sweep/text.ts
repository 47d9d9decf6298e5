/**
 * Tables for the console: rows with aligned columns, metrics formatted for reading (ratios with
 * two decimals, returns and drawdowns in percent, money with two decimals).
 *
 * @module
 */
import { METRIC_COLUMNS } from "./cell.ts";
import type { SweepRow } from "./table.ts";

/** How a column of a sweep table reads on screen. */
export function formatMetric(column: string, v: number): string {
  if (Number.isNaN(v)) return "–";
  switch (column) {
    case "algorithm_period_return":
    case "annual_return":
    case "max_drawdown":
    case "annual_volatility":
      return `${(v * 100).toFixed(2)}%`;
    case "portfolio_value":
      return v.toFixed(2);
    case "transactions":
      return String(v);
    case "wall_time_s":
      return v.toFixed(2);
    default:
      return v.toFixed(2);
  }
}

/**
 * Aligned text columns (numbers right-aligned).
 *
 * @example
 * ```ts
 * alignedTable(["a", "b"], [["1", "x"], ["10", "y"]]);
 * ```
 */
export function alignedTable(header: readonly string[], body: readonly string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    cells.map((x, c) => x.padStart(widths[c])).join("  ").trimEnd();
  return [line(header), ...body.map(line)].join("\n") + "\n";
}

/** A sweep's rows as a console table (a failed cell shows its error). */
export function rowsText(rows: readonly SweepRow[], paramNames: readonly string[]): string {
  const header = [...paramNames, ...METRIC_COLUMNS, "wall_time_s"];
  const body = rows.map((r) => [
    ...paramNames.map((p) => r.params[p]),
    ...METRIC_COLUMNS.map((c) => formatMetric(c, r[c])),
    r.error !== undefined
      ? "failed"
      : r.cached
      ? "cached"
      : formatMetric("wall_time_s", r.wall_time_s),
  ]);
  const failed = rows.filter((r) => r.error !== undefined)
    .map((r) => `failed: ${paramNames.map((p) => `${p}=${r.params[p]}`).join(",")}: ${r.error}\n`);
  return alignedTable(header, body) + failed.join("");
}
