/** `HistoryPanel`: the assets × fields result of `data.history`, as views of Frames. */

import { checkColumns, Frame } from "./frame.ts";
import { KeyNotFoundError, LabelLookup, LengthMismatchError } from "./series_index.ts";

/**
 * zipline's multi-asset, multi-field history (`data.history(assets, fields, n, freq)`):
 * one time × asset Frame per field, or one time × field Frame per asset, all views.
 *
 * @example
 * ```ts
 * const h = data.history([aapl, msft], ["open", "close"], 10, "1d");
 * h.field("close").get(aapl); // AAPL closes
 * h.get(msft).get("open"); // MSFT opens
 * ```
 */
export class HistoryPanel<A, F = string, K = number> {
  #assets?: LabelLookup;
  #fields?: LabelLookup;

  /**
   * `data[f][a]` is field `fields[f]` of asset `assets[a]` over `index` (views allowed).
   * @example new HistoryPanel(["close"], [aapl], times, [[aaplCloses]])
   */
  constructor(
    readonly fields: F[],
    readonly assets: A[],
    readonly index: ArrayLike<K>,
    readonly data: readonly (readonly Float64Array[])[],
  ) {
    if (data.length !== fields.length) {
      throw new LengthMismatchError("HistoryPanel fields", fields.length, data.length);
    }
    for (const row of data) checkColumns("HistoryPanel", row, assets.length, index.length);
  }

  /**
   * Views of one field-major buffer: field `f`, asset `a` at offset `(f × assets + a) × rows`.
   * @example HistoryPanel.fromBuffer(buf, ["open", "close"], [aapl, msft], times)
   */
  static fromBuffer<A, F = string, K = number>(
    buffer: Float64Array,
    fields: F[],
    assets: A[],
    index: ArrayLike<K>,
  ): HistoryPanel<A, F, K> {
    const n = index.length, per = n * assets.length;
    if (buffer.length !== per * fields.length) {
      throw new LengthMismatchError("HistoryPanel buffer", per * fields.length, buffer.length);
    }
    const data = fields.map((_, f) =>
      assets.map((_, a) => buffer.subarray(f * per + a * n, f * per + (a + 1) * n))
    );
    return new HistoryPanel(fields, assets, index, data);
  }

  /** `[rows, assets, fields]`. @example h.shape // [10, 2, 2] */
  get shape(): [number, number, number] {
    return [this.index.length, this.assets.length, this.fields.length];
  }

  /**
   * One field as a time × asset Frame (views).
   * @example h.field("close").pct_change()
   */
  field(name: F): Frame<A, K> {
    this.#fields ??= new LabelLookup(this.fields);
    const f = this.#fields.position(name);
    if (f < 0) throw new KeyNotFoundError(name, "HistoryPanel fields");
    return new Frame(this.assets, this.data[f], this.index);
  }

  /**
   * One asset as a time × field Frame (views); assets match by identity or sid.
   * @example h.get(aapl).get("close").last()
   */
  get(asset: A | number): Frame<F, K> {
    this.#assets ??= new LabelLookup(this.assets);
    const a = this.#assets.position(asset);
    if (a < 0) throw new KeyNotFoundError(asset, "HistoryPanel assets");
    return new Frame(this.fields, this.data.map((row) => row[a]), this.index);
  }

  /** A summary line plus each field's Frame. @example console.log(String(h)) */
  toString(): string {
    const [r, a, f] = this.shape;
    const head = `HistoryPanel: ${r} rows x ${a} assets x ${f} fields`;
    return [head, ...this.fields.map((name) => `${String(name)}:\n${this.field(name)}`)].join(
      "\n\n",
    );
  }
}
