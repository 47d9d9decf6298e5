/** Chunked rows of numbers: how the recorder keeps its tables while a run goes on. */

/**
 * Rows of `width` numbers in chunks: appending never copies what is stored (a 500-asset, 20-year
 * run snapshots over a million position rows), and a day's rows go in one contiguous block.
 */
export class Rows {
  private readonly chunks: Float64Array[] = [];
  /** Rows used in each chunk. */
  private readonly used: number[] = [];
  private chunk: Float64Array = new Float64Array(0);
  /** Whether new chunks are shared memory (`share`). */
  #shared = false;
  /** Where the block handed out by the last `reserve` starts in its chunk. */
  offset = 0;
  constructor(readonly width: number, private readonly rowsPerChunk = 16_384) {}

  /** A chunk with room for `k` more rows, from `offset`; `commit` says how many were written. */
  reserve(k: number): Float64Array {
    const last = this.used.length - 1;
    const free = last < 0 ? 0 : this.chunk.length / this.width - this.used[last];
    if (free < k) {
      const n = this.width * Math.max(this.rowsPerChunk, k);
      this.chunk = this.#shared
        ? new Float64Array(new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT))
        : new Float64Array(n);
      this.chunks.push(this.chunk);
      this.used.push(0);
    }
    this.offset = this.used[this.used.length - 1] * this.width;
    return this.chunk;
  }

  commit(n: number): void {
    this.used[this.used.length - 1] += n;
  }

  /** One row: reserve, write at `offset`, commit. */
  next(): Float64Array {
    const c = this.reserve(1);
    this.commit(1);
    return c;
  }

  /** How many rows are stored. */
  get count(): number {
    let n = 0;
    for (const u of this.used) n += u;
    return n;
  }

  /**
   * The `j`-th value of rows `from` until `to` into `out` from `at`: part of a column, for a
   * table written a block of rows at a time.
   */
  copyColumn(j: number, from: number, to: number, out: Float64Array, at = 0): void {
    const w = this.width;
    let first = 0; // the chunk's first row
    for (let i = 0; i < this.chunks.length && from < to; i++) {
      const used = this.used[i];
      if (from < first + used) {
        const end = Math.min(to, first + used);
        at = strided(this.chunks[i], (from - first) * w + j, (end - first) * w, w, out, at);
        from = end;
      }
      first += used;
    }
  }

  /**
   * Chunks made from now on are shared memory, which another thread reads without a copy: rows
   * once committed are never written again. (A shared chunk costs more to make: 130 against
   * 23 µs for 256 KB here, so only a run whose rows another thread reads asks for it.)
   */
  share(): void {
    this.#shared = true;
  }

  /**
   * Rows `from` until the last as arrays of their numbers, whole rows each: views of shared
   * chunks, copies of the others. What another thread is sent of rows recorded since it was last
   * sent any (`recorder_delta.ts`).
   */
  rowsFrom(from: number): Float64Array[] {
    const w = this.width, out: Float64Array[] = [];
    let first = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const used = this.used[i], chunk = this.chunks[i];
      if (from < first + used) {
        const part = chunk.subarray((Math.max(from, first) - first) * w, used * w);
        out.push(chunk.buffer instanceof SharedArrayBuffer ? part : part.slice());
      }
      first += used;
    }
    return out;
  }

  /**
   * Adds `rows` (whole rows, as `rowsFrom` gives them) after the last, as a chunk of their own:
   * a chunk a reader is on never grows under it.
   */
  append(rows: Float64Array): void {
    const n = rows.length / this.width;
    if (n === 0) return;
    this.chunks.push(rows);
    this.used.push(n);
    this.chunk = rows;
  }

  /** A reader going through the rows in order, from the first. */
  reader(): RowsReader {
    return new RowsReader(this.chunks, this.used, this.width);
  }

  /** The `j`-th value of every row, in order: one column of the table (into `out` from `from`). */
  column(j: number, out = new Float64Array(this.count), from = 0): Float64Array {
    const w = this.width;
    let k = from;
    for (let i = 0; i < this.chunks.length; i++) {
      k = strided(this.chunks[i], j, this.used[i] * w, w, out, k);
    }
    return out;
  }
}

/** Rows in order: `next()` moves to the next row, whose values are `data[at]`, `data[at + 1]`, …. */
export class RowsReader {
  data: Float64Array = new Float64Array(0);
  at = 0;
  #chunk = -1;
  /** The row `at` is at, in its chunk. */
  #row = -1;
  constructor(
    private readonly chunks: readonly Float64Array[],
    private readonly used: readonly number[],
    private readonly width: number,
  ) {}

  /**
   * Moves to the next row; false after the last. Rows added afterwards — committed to the chunk
   * it is on, or in chunks after it (`Rows.append`) — are read by the next call: a table written
   * while its rows are still being recorded reads on from where it stopped.
   */
  next(): boolean {
    for (;;) {
      if (this.#chunk >= 0 && this.#row + 1 < this.used[this.#chunk]) {
        this.at = ++this.#row * this.width;
        return true;
      }
      if (this.#chunk + 1 >= this.chunks.length) return false;
      this.data = this.chunks[++this.#chunk];
      this.#row = -1;
    }
  }
}

/**
 * `src[j]`, `src[j + w]`, … before `end`, into `out` from `k`; returns where it stopped. A loop of
 * its own: as the inner loop of `column`, V8 optimised it on the stack for each chunk and threw
 * that code away when the chunk ended (a deoptimisation per chunk and column of a cold run).
 */
function strided(
  src: Float64Array,
  j: number,
  end: number,
  w: number,
  out: Float64Array,
  k: number,
): number {
  for (let at = j; at < end; at += w) out[k++] = src[at];
  return k;
}

/**
 * An order row's status, flags and asset in one number: zipline's status code (0–4) in the low
 * three bits, plus these when the limit or stop price was reached, plus `ASSET` × the asset's
 * number among the recorder's assets. Read back with `%` and division (a run of more than 67
 * million assets would pass 2^31, where `&` stops working).
 */
export const ORDER_CODE = { STATUS: 7, LIMIT_REACHED: 8, STOP_REACHED: 16, ASSET: 32 } as const;

/** The numbers of a recorder's order row, by place. */
export const ORDER_ROW = {
  DT: 0,
  AMOUNT: 1,
  FILLED: 2,
  COMMISSION: 3,
  CREATED: 4,
  CODE: 5,
  ID: 6,
  WIDTH: 7,
} as const;

/** The numbers of a recorder's transaction row, by place. */
export const TXN_ROW = { DT: 0, AMOUNT: 1, PRICE: 2, ASSET: 3, ID: 4, WIDTH: 5 } as const;
