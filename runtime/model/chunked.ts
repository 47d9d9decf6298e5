/**
 * A list of values (ids, assets, orders) in fixed chunks of 2^14: the growing array of things that
 * are not numbers, for lists as long as a run (an entry per order or order row).
 *
 * Why: a growing array copies its backing store at each growth — about three times its final size
 * in all — and for a run-long list each copy outlives a young-generation collection or two before
 * it is garbage in the old generation: the order table's and the finished orders' arrays of a
 * 65,000-order backtest were 7 MB of such copies. A chunk is made once, at its full size, and at
 * 128 KB it is born in the old generation, never copied.
 */
const CHUNK_BITS = 14, CHUNK = 1 << CHUNK_BITS, LOW = CHUNK - 1;

export class Chunked<T> {
  /** The chunks by number; a chunk nothing was set in is not made. */
  private readonly chunks: T[][] = [];
  /** One past the highest index set or pushed. */
  length = 0;

  push(v: T): void {
    this.set(this.length, v);
  }

  /** The value at `i`; undefined where none was set. */
  get(i: number): T {
    return this.chunks[i >>> CHUNK_BITS]?.[i & LOW] as T;
  }

  /** Sets the value at `i`, making its chunk if needed. */
  set(i: number, v: T): void {
    (this.chunks[i >>> CHUNK_BITS] ??= new Array<T>(CHUNK))[i & LOW] = v;
    if (i >= this.length) this.length = i + 1;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}
