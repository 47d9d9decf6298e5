/**
 * How pipeline output reads in a notebook: rows of (date, asset) with the pipeline's columns —
 * dates as ISO days, assets by symbol, filters as true/false, classifier labels as labels, factor
 * values with six significant digits — and the first and last rows when there are many.
 *
 * @module
 */
import type { TermKind } from "./term.ts";

/** One displayed row: date, symbol, then the column values as stored. */
export interface DisplayRow {
  date: string;
  symbol: string;
  values: number[];
}

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One value as a reader expects it for its column's kind. */
export function formatPipelineValue(kind: TermKind, v: number): string {
  if (kind === "filter") return v === 1 ? "true" : "false";
  if (v !== v) return "NaN";
  if (kind === "classifier") return v === -1 ? "" : String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

const STYLE =
  `<style>table.hv-pipeline{border-collapse:collapse;font:12px/1.4 system-ui,sans-serif}` +
  `table.hv-pipeline th,table.hv-pipeline td{padding:2px 8px;border-bottom:1px solid #e3e3e3;` +
  `text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}` +
  `table.hv-pipeline thead th{border-bottom:1px solid #999}table.hv-pipeline th.hv-key{text-align:left}` +
  `tr.hv-skip td{text-align:left;color:#888}p.hv-shape{color:#666;font:12px system-ui,sans-serif}</style>`;

/**
 * The table: `date` and `asset` header columns, then one column per pipeline output.
 *
 * @example
 * ```ts
 * pipelineTableHtml(["rsi", "longs"], ["factor", "filter"], first, last, 120, "240 rows …");
 * ```
 */
export function pipelineTableHtml(
  columns: readonly string[],
  kinds: readonly TermKind[],
  first: readonly DisplayRow[],
  last: readonly DisplayRow[],
  skipped: number,
  shape: string,
  withDate = true,
): string {
  const date = (text: string) => (withDate ? `<th class="hv-key">${esc(text)}</th>` : "");
  const tr = (r: DisplayRow) =>
    `<tr>${date(r.date)}<th class="hv-key">${esc(r.symbol)}</th>${
      r.values.map((v, k) => `<td>${esc(formatPipelineValue(kinds[k], v))}</td>`).join("")
    }</tr>`;
  const skip = skipped > 0
    ? `<tr class="hv-skip"><td colspan="${
      columns.length + (withDate ? 2 : 1)
    }">… ${skipped} more rows …</td></tr>`
    : "";
  return `${STYLE}<table class="hv-pipeline"><thead><tr>${date("date")}` +
    `<th class="hv-key">asset</th>${
      columns.map((c) => `<th>${esc(c)}</th>`).join("")
    }</tr></thead>` +
    `<tbody>${first.map(tr).join("")}${skip}${last.map(tr).join("")}</tbody></table>` +
    `<p class="hv-shape">${esc(shape)}</p>`;
}
