/**
 * `Frame`: what `data.history(assets, field, n, freq)` returns — pandas' DataFrame as ordered
 * Float64Array columns sharing one index (UTC ms by default). Columns may be views into one
 * buffer (see `Frame.fromBuffer`); nothing here writes to them. `HistoryPanel`
 * (history_panel.ts) holds the assets × fields result.
 *
 * @example
 * ```ts
 * const prices = data.history([aapl, msft], "price", 20, "1d");
 * prices.get(aapl).rolling(5).mean();
 * prices.pct_change().iloc(-1); // latest return per asset
 * ```
 */

import { Asset } from "../assets/asset.ts";
import type { Table } from "apache-arrow";
import { Series } from "./series.ts";
import { labelText, tableOfColumns } from "./html_table.ts";
import {
  Ewm,
  type EwmDecay,
  type EwmOptions,
  Rolling,
  type RollingOptions,
} from "./series_window.ts";
import { nancount, nanmax, nanmean, nanmedian, nanmin, nansum, nanvar } from "./series_stats.ts";
import {
  arrowTable,
  displayPositions,
  formatLabels,
  formatValues,
  KeyNotFoundError,
  LabelLookup,
  LengthMismatchError,
  PositionOutOfRangeError,
  renderColumns,
  sliceLabels,
  takeLabels,
} from "./series_index.ts";

/** Options of `Frame.dropna`. */
export interface DropNaOptions {
  /** Drop rows (`"index"`, 0) or columns (`"columns"`, 1) holding NaN; @default "index" */
  axis?: "index" | "columns" | 0 | 1;
  /** Drop when any value is NaN, or only when all are; @default "any" */
  how?: "any" | "all";
}

/** Throws unless there are `count` columns of `rows` values each. */
export function checkColumns(
  what: string,
  data: readonly Float64Array[],
  count: number,
  rows: number,
) {
  if (data.length !== count) throw new LengthMismatchError(`${what} columns`, count, data.length);
  for (const x of data) {
    if (x.length !== rows) throw new LengthMismatchError(`${what} column`, rows, x.length);
  }
}

/**
 * A column's label as its Series' name (`Equity(24 [AAPL])`, `close`). An asset's text is asked
 * for directly: `String(asset)` goes through V8's generic to-primitive path on every call, which
 * cost a frame read column by column (`closes.get(asset)` for each asset, each bar) 7 % of the
 * user-written benchmark's time (warm run 198 → 183 ms, median of 16 alternations).
 */
function columnName(c: unknown): string {
  return c instanceof Asset ? c.toString() : String(c);
}

/** Named float64 columns over one index; `C` is the column label type (assets, field names). */
export class Frame<C = string, K = number> {
  #lookup?: LabelLookup;
  #rows?: LabelLookup;

  /**
   * Columns `data[j]` labelled `columns[j]`, each as long as `index` (views allowed).
   * @example new Frame([aapl, msft], [aaplCloses, msftCloses], times)
   */
  constructor(
    readonly columns: C[],
    readonly data: readonly Float64Array[],
    readonly index: ArrayLike<K>,
    /** Internal: the columns are known not to repeat (lookups in column order are O(1)). */
    private readonly distinct = false,
  ) {
    checkColumns("Frame", data, columns.length, index.length);
  }

  /**
   * Columns as consecutive views of one column-major buffer (`columns.length × index.length`).
   * @example Frame.fromBuffer(buf, [aapl, msft], times).get(msft).values.buffer === buf.buffer
   */
  static fromBuffer<C, K = number>(
    buffer: Float64Array,
    columns: C[],
    index: ArrayLike<K>,
  ): Frame<C, K> {
    const n = index.length;
    if (buffer.length !== n * columns.length) {
      throw new LengthMismatchError("Frame buffer", n * columns.length, buffer.length);
    }
    return new Frame(columns, columns.map((_, j) => buffer.subarray(j * n, (j + 1) * n)), index);
  }

  /**
   * A Frame from `{ name: values }`, in key order.
   * @example Frame.fromRecord({ open: opens, close: closes }, times)
   */
  static fromRecord<K = number>(
    record: Record<string, Float64Array>,
    index: ArrayLike<K>,
  ): Frame<string, K> {
    return new Frame(Object.keys(record), Object.values(record), index);
  }

  /** `[rows, columns]`. @example prices.shape // [20, 2] */
  get shape(): [number, number] {
    return [this.index.length, this.columns.length];
  }

  /** Number of rows. @example prices.length // 20 */
  get length(): number {
    return this.index.length;
  }

  /**
   * Position of a column by identity, or by number for assets (`valueOf`), or -1.
   * @example prices.columnPosition(msft) // 1 for columns [aapl, msft]
   */
  columnPosition(column: C | number): number {
    this.#lookup ??= new LabelLookup(this.columns, this.distinct);
    return this.#lookup.position(column);
  }

  /** Whether a column exists. @example prices.has(aapl) */
  has(column: C | number): boolean {
    return this.columnPosition(column) >= 0;
  }

  /**
   * A column as a Series (a view); throws `KeyNotFoundError` when absent.
   * @example prices.get(aapl).mean()
   */
  get(column: C | number): Series<K> {
    const j = this.columnPosition(column);
    if (j < 0) throw new KeyNotFoundError(column, "Frame columns");
    return new Series(this.data[j], this.index, columnName(this.columns[j]));
  }

  /**
   * One row across columns, indexed by column; negative counts from the end.
   * @example prices.iloc(-1).get(aapl) // AAPL's latest price
   */
  iloc(row: number): Series<C> {
    const n = this.index.length, p = row < 0 ? n + row : row;
    if (!Number.isInteger(row) || p < 0 || p >= n) throw new PositionOutOfRangeError(row, n);
    return this.#across((x) => x[p]);
  }

  /**
   * One row by its label (a UTC ms time or Date); throws `KeyNotFoundError` when absent.
   * @example prices.loc(Date.UTC(2024, 0, 2))
   */
  loc(key: K | number | Date): Series<C> {
    this.#rows ??= new LabelLookup(this.index);
    const p = this.#rows.position(key);
    if (p < 0) throw new KeyNotFoundError(key, "Frame index");
    return this.#across((x) => x[p]);
  }

  /** Mean per column. @example prices.mean().get(aapl) */
  mean(): Series<C> {
    return this.#across(nanmean);
  }
  /** Sum per column (0 for all-NaN). @example volumes.sum() */
  sum(): Series<C> {
    return this.#across(nansum);
  }
  /** Standard deviation per column. @example returns.std() */
  std(ddof = 1): Series<C> {
    return this.#across((x) => Math.sqrt(nanvar(x, ddof)));
  }
  /** Variance per column. @example returns.var(0) */
  var(ddof = 1): Series<C> {
    return this.#across((x) => nanvar(x, ddof));
  }
  /** Minimum per column. @example lows.min() */
  min(): Series<C> {
    return this.#across(nanmin);
  }
  /** Maximum per column. @example highs.max() */
  max(): Series<C> {
    return this.#across(nanmax);
  }
  /** Median per column. @example prices.median() */
  median(): Series<C> {
    return this.#across(nanmedian);
  }
  /** Non-NaN values per column. @example prices.count() */
  count(): Series<C> {
    return this.#across(nancount);
  }
  /** First row per column (NaN when empty). @example prices.first() */
  first(): Series<C> {
    return this.#across((x) => x.length ? x[0] : NaN);
  }
  /** Last row per column (NaN when empty), as `iloc(-1)`. @example prices.last().get(aapl) */
  last(): Series<C> {
    return this.#across((x) => x.length ? x[x.length - 1] : NaN);
  }

  /** Per-column `Series.pct_change`. @example prices.pct_change().iloc(-1) */
  pct_change(periods = 1): Frame<C, K> {
    return this.#map((s) => s.pct_change(periods));
  }
  /** Per-column `Series.diff`. @example prices.diff() */
  diff(periods = 1): Frame<C, K> {
    return this.#map((s) => s.diff(periods));
  }
  /** Per-column `Series.shift`. @example prices.shift(1) */
  shift(n = 1): Frame<C, K> {
    return this.#map((s) => s.shift(n));
  }
  /** Per-column `Series.fillna`. @example prices.fillna(0) */
  fillna(value: number): Frame<C, K> {
    return this.#map((s) => s.fillna(value));
  }
  /** Per-column `Series.ffill`. @example prices.ffill() */
  ffill(): Frame<C, K> {
    return this.#map((s) => s.ffill());
  }
  /** Per-column `Series.cumsum`. @example returns.cumsum() */
  cumsum(): Frame<C, K> {
    return this.#map((s) => s.cumsum());
  }
  /** Per-column `Series.cumprod`. @example growth.cumprod().iloc(-1) // total growth per asset */
  cumprod(): Frame<C, K> {
    return this.#map((s) => s.cumprod());
  }

  /**
   * A moving window over every column.
   * @example prices.rolling(20).mean().iloc(-1) // latest 20-bar average per asset
   */
  rolling(n: number, options?: RollingOptions): Rolling<Frame<C, K>> {
    return new Rolling((k) => new Frame(this.columns, this.data.map(k), this.index), n, options);
  }

  /**
   * An exponentially weighted window over every column.
   * @example prices.ewm({ span: 10 }).mean()
   */
  ewm(decay: EwmDecay, options?: EwmOptions): Ewm<Frame<C, K>> {
    return new Ewm((k) => new Frame(this.columns, this.data.map(k), this.index), decay, options);
  }

  /**
   * Without rows (default) or columns holding NaN; dropping columns keeps the views.
   * @example prices.dropna({ axis: "columns" }) // assets with a full history
   */
  dropna(options: DropNaOptions = {}): Frame<C, K> {
    const all = options.how === "all";
    const drop = (nans: number, total: number) => all ? nans === total && total > 0 : nans > 0;
    if (options.axis === "columns" || options.axis === 1) {
      const keep = this.data.flatMap((x, j) => drop(x.length - nancount(x), x.length) ? [] : [j]);
      return new Frame(keep.map((j) => this.columns[j]), keep.map((j) => this.data[j]), this.index);
    }
    const keep: number[] = [];
    for (let i = 0; i < this.length; i++) {
      let nans = 0;
      for (const x of this.data) if (x[i] !== x[i]) nans++;
      if (!drop(nans, this.data.length)) keep.push(i);
    }
    if (keep.length === this.length) return this;
    const data = this.data.map((x) => Float64Array.from(keep, (i) => x[i]));
    return new Frame(this.columns, data, takeLabels(this.index, keep));
  }

  /** The last `n` rows as views. @example prices.tail(5).get(aapl).values.buffer // shared */
  tail(n = 5): Frame<C, K> {
    const len = this.length;
    return this.slice(n >= 0 ? Math.max(0, len - n) : Math.min(len, -n));
  }

  /** The first `n` rows as views. @example prices.head(5) */
  head(n = 5): Frame<C, K> {
    return this.slice(0, n >= 0 ? n : Math.max(0, this.length + n));
  }

  /** Rows `start..end` by position as views (`Array.prototype.slice` rules). @example prices.slice(-10) */
  slice(start = 0, end = this.length): Frame<C, K> {
    const n = this.length;
    const a = start < 0 ? Math.max(0, n + start) : Math.min(start, n);
    const b = Math.max(a, end < 0 ? Math.max(0, n + end) : Math.min(end, n));
    const data = this.data.map((x) => x.subarray(a, b));
    return new Frame(this.columns, data, sliceLabels(this.index, a, b));
  }

  /** `[column, Series]` pairs in column order. @example for (const [asset, s] of prices.entries()) … */
  *entries(): IterableIterator<[C, Series<K>]> {
    for (let j = 0; j < this.columns.length; j++) {
      yield [this.columns[j], new Series(this.data[j], this.index, columnName(this.columns[j]))];
    }
  }

  /**
   * An Arrow table: `index` then one Float64 column per column (named `String(column)`,
   * sharing these buffers; NaN becomes null). Loads `apache-arrow` on first use.
   * @example const table = await prices.toArrow();
   */
  toArrow(): Promise<Table> {
    return arrowTable(this.index, this.columns.map((c, j) => [String(c), this.data[j]]));
  }

  /** A pandas-like text rendering (rows and columns truncated when many). @example console.log(String(prices)) */
  toString(): string {
    const rows = displayPositions(this.length),
      cols = displayPositions(this.columns.length, 20, 10);
    const labels = formatLabels(this.index, rows.filter((p) => p >= 0));
    if (rows.includes(-1)) labels.splice(rows.indexOf(-1), 0, "...");
    const table = [["", ...labels]];
    for (const j of cols) {
      const cells = j < 0 ? rows.map(() => "...") : formatValues(this.data[j], rows);
      table.push([j < 0 ? "..." : String(this.columns[j]), ...cells]);
    }
    const [r, c] = this.shape;
    return `${renderColumns(table)}\n\n[${r} rows x ${c} columns]`;
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const [r, c] = this.shape;
    return {
      "text/plain": this.toString(),
      "text/html": tableOfColumns(
        this.index,
        this.columns.map(labelText),
        this.data,
        `${r} rows × ${c} columns`,
      ),
    };
  }

  #across(f: (x: Float64Array) => number): Series<C> {
    return new Series(Float64Array.from(this.data, f), this.columns);
  }

  #map(f: (s: Series<K>) => Series<K>): Frame<C, K> {
    const data = this.data.map((x) => f(new Series(x, this.index)).values);
    return new Frame(this.columns, data, this.index);
  }
}
