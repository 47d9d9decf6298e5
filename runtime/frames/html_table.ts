/**
 * HTML renderings of `Series` and `Frame` for notebooks, in pandas' manner: the index as row
 * headers (ISO dates for a time index), the first and last rows when there are many, values with
 * a common number of decimals, and a shape line beneath. Every cell is escaped.
 *
 * @module
 */
import { displayPositions, formatLabels, formatValues } from "./series_index.ts";

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A column label as a reader knows it: an asset by its symbol, anything else as text. */
export function labelText(label: unknown): string {
  if (typeof label === "object" && label !== null && "symbol" in label) {
    return String((label as { symbol: unknown }).symbol);
  }
  return String(label);
}

const STYLE = `<style>table.hv-frame{border-collapse:collapse;font:12px/1.4 system-ui,sans-serif}` +
  `table.hv-frame th,table.hv-frame td{padding:2px 8px;border-bottom:1px solid #e3e3e3;` +
  `text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}` +
  `table.hv-frame thead th{border-bottom:1px solid #999}p.hv-shape{color:#666;font:12px system-ui,sans-serif}</style>`;

/**
 * An HTML table of columns over an index (first and last rows beyond 60, columns beyond 20).
 *
 * @example
 * ```ts
 * tableOfColumns(frame.index, frame.columns.map(labelText), frame.data, "[20 rows x 2 columns]");
 * ```
 */
export function tableOfColumns(
  index: ArrayLike<unknown>,
  names: string[],
  data: readonly ArrayLike<number>[],
  shape: string,
): string {
  const rows = displayPositions(index.length), cols = displayPositions(names.length, 20, 10);
  const labels = formatLabels(index, rows.filter((p) => p >= 0));
  if (rows.includes(-1)) labels.splice(rows.indexOf(-1), 0, "…");
  const cells = cols.map((j) => (j < 0 ? rows.map(() => "…") : formatValues(data[j], rows)));
  const head = `<thead><tr><th></th>${
    cols.map((j) => `<th>${j < 0 ? "…" : esc(names[j])}</th>`).join("")
  }</tr></thead>`;
  const body = labels.map((label, r) =>
    `<tr><th>${esc(label)}</th>${
      cells.map((c) => `<td>${esc(c[r] === "..." ? "…" : c[r])}</td>`).join("")
    }</tr>`
  ).join("");
  return `${STYLE}<table class="hv-frame">${head}<tbody>${body}</tbody></table><p class="hv-shape">${
    esc(shape)
  }</p>`;
}
