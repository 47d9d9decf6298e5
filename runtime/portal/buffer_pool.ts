/**
 * Number arrays handed back and reused: the bundle arrays of a minute backtest's chunks. A year
 * of ten assets' minutes is a dozen chunks of 3.3 MB each, and memory the process has not used
 * before costs a page fault per 4 KB on first touch (about 10 µs each on a virtual machine that
 * hands freed pages back to its host): 9,500 faults, a tenth of the run, on the JavaScript
 * thread. A chunk's arrays, given back when the chunk is dropped, serve the chunk after next.
 *
 * Only arrays nothing else can hold may be given back: a chunk's raw bundle arrays are read by
 * copying, never handed out (its visible arrays are, as history windows' views, and are not
 * pooled).
 *
 * @module
 */

export class BufferPool {
  readonly #free: ArrayBuffer[] = [];

  /**
   * @param keep Buffers held for reuse at most (the rest are left to the collector).
   * @param minBytes The least a new buffer is made with, so that one serves chunks a little
   *   longer than the one that asked first (a chunk's minutes vary with early closes).
   */
  constructor(private readonly keep: number, private readonly minBytes = 0) {}

  /** An array of `length` numbers (their values are left as they were: fill it). */
  take(length: number): Float64Array {
    const bytes = length * 8, free = this.#free;
    // The smallest free buffer that fits: a short chunk (a run's first session) leaves the
    // full-sized buffers to the chunks that need them.
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const b = free[i].byteLength;
      if (b >= bytes && (best < 0 || b < free[best].byteLength)) best = i;
    }
    if (best < 0) {
      return new Float64Array(new ArrayBuffer(Math.max(bytes, this.minBytes)), 0, length);
    }
    const [buf] = free.splice(best, 1);
    return new Float64Array(buf, 0, length);
  }

  /** Gives `arrays` back: their memory may be handed out again by `take`. */
  give(arrays: readonly Float64Array[]): void {
    for (const a of arrays) {
      const buf = a.buffer as ArrayBuffer;
      if (this.#free.length >= this.keep) return;
      if (!this.#free.includes(buf)) this.#free.push(buf);
    }
  }

  /** Buffers held for reuse. */
  get size(): number {
    return this.#free.length;
  }
}
