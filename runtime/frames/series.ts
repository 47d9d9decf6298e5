/**
 * `Series`: what `data.history(asset, field, n, freq)` returns — pandas' Series over a
 * Float64Array. Values may be a view into a larger buffer: nothing here writes to them, and
 * an operation copies only when it must produce new numbers (`tail`, `head`, `slice` are views).
 *
 * @example
 * ```ts
 * const s = new Series(Float64Array.of(10, 11, 12.1), Float64Array.of(t0, t1, t2), "AAPL");
 * s.pct_change().last(); // 0.1
 * s.rolling(2).mean().toArray(); // [NaN, 10.5, 11.55]
 * ```
 */

import { seriesDisplay, seriesText } from "./series_display.ts";
import type { Table } from "apache-arrow";
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
  KeyNotFoundError,
  keyOf,
  LabelLookup,
  LengthMismatchError,
  PositionOutOfRangeError,
  sliceLabels,
  takeLabels,
} from "./series_index.ts";

/** A labelled column of float64 values; `K` is the label type (UTC ms by default). */
export class Series<K = number> {
  #lookup?: LabelLookup;
  /** The labels, or a view's parent's from `#from` until first read (-1: its own). */
  #labels: ArrayLike<K>;
  #from: number;

  /**
   * Wraps `values` (kept as given, views allowed) with one label per value.
   * @example new Series(Float64Array.of(1, 2), Float64Array.of(t0, t1), "close")
   */
  constructor(
    readonly values: Float64Array,
    index: ArrayLike<K>,
    readonly name?: string,
    /** Internal: `index` is a parent's, and this Series' labels start at `from`. */
    from = -1,
  ) {
    if (from < 0 ? index.length !== values.length : index.length < from + values.length) {
      throw new LengthMismatchError(`Series ${name ?? ""} index`, values.length, index.length);
    }
    this.#labels = index;
    this.#from = from;
  }

  /** One label per value. */
  get index(): ArrayLike<K> {
    if (this.#from >= 0) {
      this.#labels = sliceLabels(this.#labels, this.#from, this.#from + this.values.length);
      this.#from = -1;
    }
    return this.#labels;
  }

  /**
   * A Series from any numbers, labelled `0..n-1` unless an index is given.
   * @example Series.from([1, 2, 3]).sum() // 6
   */
  static from<K = number>(
    values: ArrayLike<number>,
    index?: ArrayLike<K>,
    name?: string,
  ): Series<K> {
    const labels = index ?? (Array.from({ length: values.length }, (_, i) => i) as K[]);
    return new Series(Float64Array.from(values), labels, name);
  }

  /** Number of values. */
  get length(): number {
    return this.values.length;
  }

  /**
   * Value at a position; negative counts from the end. Throws when out of range.
   * @example s.iloc(-1) // the latest value
   */
  iloc(i: number): number {
    const n = this.values.length, p = i < 0 ? n + i : i;
    if (!Number.isInteger(i) || p < 0 || p >= n) throw new PositionOutOfRangeError(i, n);
    return this.values[p];
  }

  /**
   * Value at a position like `Array.prototype.at` (not pandas' label-based `.at`).
   * @example s.at(-2) // the value before the latest; undefined when too short
   */
  at(i: number): number | undefined {
    return this.values.at(i);
  }

  /**
   * The first value (NaN when empty).
   * @example Series.from([4, 5]).first() // 4
   */
  first(): number {
    return this.values.length ? this.values[0] : NaN;
  }

  /**
   * The last value (NaN when empty); the same as `iloc(-1)`, NaN included.
   * @example Series.from([4, 5]).last() // 5
   */
  last(): number {
    return this.values.length ? this.values[this.values.length - 1] : NaN;
  }

  /**
   * Position of a label, or -1: by identity, or by number for Dates and assets (`valueOf`).
   * @example closes.position(new Date("2024-01-02T00:00:00Z")) // 0 when it is the first bar
   */
  position(key: K | number | Date): number {
    this.#lookup ??= new LabelLookup(this.index);
    return this.#lookup.position(key);
  }

  /** Whether a label is in the index. @example closes.has(Date.UTC(2024, 0, 2)) */
  has(key: K | number | Date): boolean {
    return this.position(key) >= 0;
  }

  /**
   * Value for a label (a UTC ms time or Date, an asset, a column name), undefined when absent.
   * @example prices.get(sid(24)) // AAPL's value in an asset-indexed Series
   */
  get(key: K | number | Date): number | undefined {
    const p = this.position(key);
    return p < 0 ? undefined : this.values[p];
  }

  /**
   * Value for a label, throwing `KeyNotFoundError` when absent (pandas `s.loc[key]`).
   * @example s.loc(Date.UTC(2024, 0, 2))
   */
  loc(key: K | number | Date): number {
    const p = this.position(key);
    if (p < 0) throw new KeyNotFoundError(key, `Series ${this.name ?? ""}`.trimEnd());
    return this.values[p];
  }

  /** @example Series.from([1, NaN, 3]).mean() // 2 */
  mean(): number {
    return nanmean(this.values);
  }
  /** Standard deviation, NaN skipped; NaN when fewer than `ddof + 1` values. @example Series.from([1, 2, 3, 4]).std() // 1.2909… */
  std(ddof = 1): number {
    return Math.sqrt(nanvar(this.values, ddof));
  }
  /** Variance (two-pass), NaN skipped. @example Series.from([1, 2, 3, 4]).var(0) // 1.25 */
  var(ddof = 1): number {
    return nanvar(this.values, ddof);
  }
  /** Sum, NaN skipped; 0 when empty. @example Series.from([1, NaN, 3]).sum() // 4 */
  sum(): number {
    return nansum(this.values);
  }
  /** @example Series.from([3, NaN, 1]).min() // 1 */
  min(): number {
    return nanmin(this.values);
  }
  /** @example Series.from([3, NaN, 1]).max() // 3 */
  max(): number {
    return nanmax(this.values);
  }
  /** @example Series.from([3, 1, 2, 10]).median() // 2.5 */
  median(): number {
    return nanmedian(this.values);
  }
  /** Number of non-NaN values. @example Series.from([1, NaN]).count() // 1 */
  count(): number {
    return nancount(this.values);
  }

  /**
   * Fractional change from `periods` rows before (pandas ≥ 3: NaNs are not filled first;
   * call `ffill().pct_change()` for the old padding behaviour).
   * @example Series.from([100, 110, 99]).pct_change().toArray() // [NaN, 0.1, -0.1]
   */
  pct_change(periods = 1): Series<K> {
    return this.#lagged(periods, (cur, old) => cur / old - 1);
  }

  /**
   * Difference from `periods` rows before.
   * @example Series.from([1, 4, 9]).diff().toArray() // [NaN, 3, 5]
   */
  diff(periods = 1): Series<K> {
    return this.#lagged(periods, (cur, old) => cur - old);
  }

  /**
   * Values moved `n` rows later (earlier when negative), labels kept, NaN where none.
   * @example Series.from([1, 2, 3]).shift(1).toArray() // [NaN, 1, 2]
   */
  shift(n = 1): Series<K> {
    return n === 0 ? this : this.#lagged(n, (_cur, old) => old);
  }

  /**
   * A moving window of `n` rows; results are NaN until `min_periods` (default `n`) values.
   * @example s.rolling(20).mean() // 20-bar moving average
   */
  rolling(n: number, options?: RollingOptions): Rolling<Series<K>> {
    return new Rolling((kernel) => this.#with(kernel(this.values)), n, options);
  }

  /**
   * An exponentially weighted window (pandas' `ewm`).
   * @example Series.from([1, 2, 3, 4]).ewm({ span: 2 }).mean().toArray() // [1, 1.75, 2.6153…, 3.55]
   */
  ewm(decay: EwmDecay, options?: EwmOptions): Ewm<Series<K>> {
    return new Ewm((kernel) => this.#with(kernel(this.values)), decay, options);
  }

  /** Running sum, NaN skipped but kept in place. @example Series.from([1, NaN, 2]).cumsum() // [1, NaN, 3] */
  cumsum(): Series<K> {
    return this.#running(0, (acc, v) => acc + v);
  }
  /** Running product. @example Series.from([1.1, 1.1]).cumprod() // [1.1, 1.21] */
  cumprod(): Series<K> {
    return this.#running(1, (acc, v) => acc * v);
  }

  /** Without NaN rows (this Series itself when there are none). @example Series.from([1, NaN]).dropna().length // 1 */
  dropna(): Series<K> {
    const keep: number[] = [];
    for (let i = 0; i < this.values.length; i++) {
      if (this.values[i] === this.values[i]) keep.push(i);
    }
    if (keep.length === this.values.length) return this;
    const values = Float64Array.from(keep, (i) => this.values[i]);
    return new Series(values, takeLabels(this.index, keep), this.name);
  }

  /** NaN replaced by `value`. @example Series.from([1, NaN]).fillna(0).toArray() // [1, 0] */
  fillna(value: number): Series<K> {
    return this.hasnans ? this.#with(this.values.map((v) => v === v ? v : value)) : this;
  }

  /** NaN replaced by the last value before it (leading NaNs stay). @example Series.from([1, NaN]).ffill() // [1, 1] */
  ffill(): Series<K> {
    if (!this.hasnans) return this;
    let last = NaN;
    return this.#with(this.values.map((v) => v === v ? (last = v) : last));
  }

  /** Whether each value is NaN. @example Series.from([1, NaN]).isna() // [false, true] */
  isna(): boolean[] {
    return Array.from(this.values, (v) => v !== v);
  }

  /** Whether any value is NaN. @example Series.from([1, NaN]).hasnans // true */
  get hasnans(): boolean {
    for (let i = 0; i < this.values.length; i++) if (this.values[i] !== this.values[i]) return true;
    return false;
  }

  /** Absolute values. @example Series.from([-1, 2]).abs().toArray() // [1, 2] */
  abs(): Series<K> {
    return this.#with(this.values.map(Math.abs));
  }

  /**
   * Element-wise `this + other`. A Series operand is matched by label (NaN where it has
   * none), over this Series' labels and order; a number applies to every value.
   * @example closes.add(1); a.add(b)
   */
  add(other: number | Series<K>): Series<K> {
    return this.#binary(other, (a, b) => a + b);
  }
  /** Element-wise `this - other`, aligned like `add`. @example s.sub(s.mean()) */
  sub(other: number | Series<K>): Series<K> {
    return this.#binary(other, (a, b) => a - b);
  }
  /** Element-wise `this * other`, aligned like `add`. @example weights.mul(2) */
  mul(other: number | Series<K>): Series<K> {
    return this.#binary(other, (a, b) => a * b);
  }
  /** Element-wise `this / other`, aligned like `add`. @example values.div(prices) */
  div(other: number | Series<K>): Series<K> {
    return this.#binary(other, (a, b) => a / b);
  }

  /**
   * The last `n` rows as a view (all but the first `-n` when negative).
   * @example s.tail(3).values.buffer === s.values.buffer // true
   */
  tail(n = 5): Series<K> {
    const len = this.values.length;
    return this.slice(n >= 0 ? Math.max(0, len - n) : Math.min(len, -n));
  }

  /**
   * The first `n` rows as a view (all but the last `-n` when negative).
   * @example s.head(2)
   */
  head(n = 5): Series<K> {
    return this.slice(0, n >= 0 ? n : Math.max(0, this.values.length + n));
  }

  /**
   * Rows `start..end` by position as a view, with `Array.prototype.slice` rules.
   * @example s.slice(-10, -1)
   */
  slice(start = 0, end = this.values.length): Series<K> {
    const n = this.values.length;
    const a = start < 0 ? Math.max(0, n + start) : Math.min(start, n);
    const b = Math.max(a, end < 0 ? Math.max(0, n + end) : Math.min(end, n));
    const v = this.values;
    // A view straight on the buffer: cheaper than `subarray`'s species lookup, per asset per bar.
    const view = new Float64Array(v.buffer, v.byteOffset + a * 8, b - a);
    return new Series(view, this.#labels, this.name, this.#from < 0 ? a : this.#from + a);
  }

  /** The values as a plain array (a copy). @example Series.from([1, 2]).toArray() // [1, 2] */
  toArray(): number[] {
    return Array.from(this.values);
  }

  /**
   * An Arrow table with columns `index` (timestamp ms UTC for a time index, else strings)
   * and `values` (sharing this buffer; NaN becomes null). Loads `apache-arrow` on first use.
   * @example const table = await s.toArrow(); table.getChild("values")
   */
  toArrow(): Promise<Table> {
    return arrowTable(this.index, [["values", this.values]]);
  }

  /** Iterates the values. @example for (const v of s) total += v; */
  [Symbol.iterator](): IterableIterator<number> {
    return this.values[Symbol.iterator]();
  }

  /** A pandas-like text rendering (first/last 5 rows beyond 60). @example console.log(String(s)) */
  toString(): string {
    return seriesText(this.values, this.index, this.name);
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return seriesDisplay(this.values, this.index, this.name);
  }

  #with(values: Float64Array): Series<K> {
    return new Series(values, this.index, this.name);
  }

  #lagged(periods: number, f: (cur: number, old: number) => number): Series<K> {
    const x = this.values, n = x.length, out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const j = i - periods;
      out[i] = j >= 0 && j < n ? f(x[i], x[j]) : NaN;
    }
    return this.#with(out);
  }

  #running(start: number, f: (acc: number, v: number) => number): Series<K> {
    let acc = start;
    return this.#with(this.values.map((v) => v === v ? (acc = f(acc, v)) : NaN));
  }

  #binary(other: number | Series<K>, f: (a: number, b: number) => number): Series<K> {
    const x = this.values, out = new Float64Array(x.length);
    if (typeof other === "number") {
      for (let i = 0; i < x.length; i++) out[i] = f(x[i], other);
    } else {
      const y = this.#aligned(other);
      for (let i = 0; i < x.length; i++) out[i] = f(x[i], y[i]);
    }
    return this.#with(out);
  }

  /** `other`'s values in this Series' label order (its own buffer when labels already agree). */
  #aligned(other: Series<K>): Float64Array {
    const a = this.index, b = other.index;
    let same = a === b || a.length === b.length;
    for (let i = 0; same && a !== b && i < a.length; i++) same = keyOf(a[i]) === keyOf(b[i]);
    if (same) return other.values;
    return Float64Array.from(a as ArrayLike<unknown>, (k) => {
      const p = other.position(k as K);
      return p < 0 ? NaN : other.values[p];
    });
  }
}
