/**
 * Trailing windows over a date-major array, adjusted as of each window's last day — zipline's
 * `AdjustedArray.traverse`. A loaded column carries multiplicative adjustments (splits, mergers,
 * dividends), each "multiply rows 0…`row` of column `col` by `ratio`", applied once a window's
 * last row reaches `row`. So the window seen on day D shows every earlier bar as of D.
 *
 * Windows are views: without adjustments in range they are `subarray`s of the input itself;
 * with adjustments, of one private copy that is mutated in place as the cursor moves forward
 * (rows behind the current window are never read again, so they are not touched).
 */
import type { TermData } from "./term.ts";

/** Multiplicative adjustments of a loaded column, sorted by `rows` ascending. */
export interface Adjustments {
  /** Last row (inclusive) each adjustment multiplies; rows from 0 up to it are affected. */
  rows: Int32Array;
  cols: Int32Array;
  ratios: Float64Array;
}

/** A loaded column: raw date-major data plus the adjustments windows apply as they move. */
export class AdjustedArray {
  constructor(
    readonly data: TermData,
    readonly rows: number,
    readonly cols: number,
    readonly adjustments: Adjustments | null,
  ) {}
}

/** Builds `Adjustments` from unsorted triples (sorted by row; equal rows keep their order). */
export function makeAdjustments(list: { row: number; col: number; ratio: number }[]): Adjustments {
  const sorted = list.map((a, i) => ({ ...a, i })).sort((a, b) => a.row - b.row || a.i - b.i);
  return {
    rows: Int32Array.from(sorted, (a) => a.row),
    cols: Int32Array.from(sorted, (a) => a.col),
    ratios: Float64Array.from(sorted, (a) => a.ratio),
  };
}

/**
 * Forward-only windows of `length` rows over `src` (`cols` columns), starting `offset` rows in:
 * `at(r)` is rows `offset + r … offset + r + length − 1`.
 */
export class WindowCursor {
  private readonly buf: TermData;
  private readonly adj: Adjustments | null;
  private next = 0;
  private last = -1;

  constructor(
    src: TermData,
    readonly cols: number,
    readonly length: number,
    private readonly offset: number,
    adjustments: Adjustments | null = null,
  ) {
    let first = -1;
    if (adjustments && src instanceof Float64Array) {
      // Adjustments ending before the first window's start only touch rows never read.
      const rows = adjustments.rows;
      for (let k = 0; k < rows.length; k++) {
        if (rows[k] >= offset) {
          first = k;
          break;
        }
      }
    }
    if (first >= 0) {
      this.buf = (src as Float64Array).slice(offset * cols);
      this.adj = adjustments;
      this.next = first;
    } else {
      this.buf = src.subarray(offset * cols);
      this.adj = null;
    }
  }

  /** The window of output row `r` (rows must be asked for in ascending order). */
  at(r: number): TermData {
    if (r < this.last) throw new Error("WindowCursor: windows must be read in ascending order");
    this.last = r;
    const adj = this.adj;
    if (adj) {
      const lastRow = this.offset + r + this.length - 1;
      const rows = adj.rows, n = rows.length, buf = this.buf as Float64Array, cols = this.cols;
      while (this.next < n && rows[this.next] <= lastRow) {
        const k = this.next++;
        const col = adj.cols[k], ratio = adj.ratios[k];
        // Rows r … rows[k] (in buffer coordinates): earlier rows are behind every later window.
        for (let t = r, end = rows[k] - this.offset; t <= end; t++) buf[t * cols + col] *= ratio;
      }
    }
    return this.buf.subarray(r * this.cols, (r + this.length) * this.cols);
  }
}
