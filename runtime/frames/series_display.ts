/** How a Series shows: pandas-like text, and a table for Jupyter. */
import { tableOfColumns } from "./html_table.ts";
import { displayPositions, formatLabels, formatValues, renderColumns } from "./series_index.ts";

/** First/last 5 rows beyond 60, then `Name: …, Length: …, dtype: float64`. */
export function seriesText(values: Float64Array, index: ArrayLike<unknown>, name?: string): string {
  const rows = displayPositions(values.length);
  const labels = formatLabels(index, rows.filter((p) => p >= 0));
  const dots = rows.indexOf(-1);
  if (dots >= 0) labels.splice(dots, 0, "...");
  const body = rows.length ? renderColumns([labels, formatValues(values, rows)]) + "\n" : "";
  const title = name === undefined ? "" : `Name: ${name}, `;
  const len = dots >= 0 ? `Length: ${values.length}, ` : "";
  return `${body}${title}${len}dtype: float64`;
}

/** The Jupyter bundle: the text, and an HTML table. */
export function seriesDisplay(
  values: Float64Array,
  index: ArrayLike<unknown>,
  name?: string,
): Record<string, string> {
  const title = name === undefined ? "" : `Name: ${name}, `;
  return {
    "text/plain": seriesText(values, index, name),
    "text/html": tableOfColumns(index, [name ?? ""], [values], `${title}Length: ${values.length}`),
  };
}
