/**
 * Lists of items by sid, iterated in the order each list last became non-empty: what a
 * `Map<number, T[]>` does when an emptied list is deleted and a new one set later (zipline's
 * blotter prunes its `open_orders` that way, and the order it fills assets in follows). A Map
 * used like that, an order placed and filled per asset per bar, rehashes its table again and
 * again, and each new table outlives a young-generation collection or two: a good part of what a
 * backtest's collector copies. Here the sid's slot is made once and kept; a list that empties
 * leaves the iteration order (a linked list over the slots) and keeps its array for the next.
 *
 * @module
 */
export class ListsBySid<T> {
  /** Sid → slot, one per sid ever listed (as many as the run's assets). */
  readonly #slot = new Map<number, number>();
  readonly #lists: T[][] = [];
  readonly #next: number[] = [];
  readonly #prev: number[] = [];
  #head = -1;
  #tail = -1;
  #size = 0;

  /** How many sids have a non-empty list. */
  get size(): number {
    return this.#size;
  }

  /** The sid's list (live: do not keep it), or undefined when it is empty. */
  get(sid: number): T[] | undefined {
    const s = this.#slot.get(sid);
    if (s === undefined) return undefined;
    const list = this.#lists[s];
    return list.length ? list : undefined;
  }

  /** Appends `item` to the sid's list; an empty list joins the iteration order at its end. */
  push(sid: number, item: T): void {
    let s = this.#slot.get(sid);
    if (s === undefined) {
      s = this.#lists.length;
      this.#slot.set(sid, s);
      this.#lists.push([]);
      this.#next.push(-1);
      this.#prev.push(-1);
    }
    const list = this.#lists[s];
    if (list.length === 0) this.#link(s);
    list.push(item);
  }

  /** Removes `item` from the sid's list (in place); false when it is not there. */
  remove(sid: number, item: T): boolean {
    const s = this.#slot.get(sid);
    if (s === undefined) return false;
    const list = this.#lists[s], i = list.indexOf(item);
    if (i < 0) return false;
    // In place: `splice` would allocate the array of removed items on every call. `pop`, not
    // `length--`: V8 drops the backing store of an array whose length is set to 0, so the next
    // push (an order per asset per bar) would allocate a new one; `pop` keeps it.
    for (let k = i + 1; k < list.length; k++) list[k - 1] = list[k];
    list.pop();
    if (list.length === 0) this.#unlink(s);
    return true;
  }

  /**
   * The first slot in iteration order (-1: none). With `after` and `at`, a loop without an
   * iterator object: `for (let s = x.first(); s >= 0; s = x.after(s)) use(x.at(s))`. Lists
   * emptied inside the loop leave the order without breaking it (such a list may still be
   * visited, empty: skip it); a list filled inside the loop is not.
   */
  first(): number {
    return this.#head;
  }

  /** The slot after `s` in iteration order (-1: the end). */
  after(s: number): number {
    return this.#next[s];
  }

  /** The list of slot `s`. */
  at(s: number): T[] {
    return this.#lists[s];
  }

  /** The non-empty lists, in iteration order. */
  *values(): IterableIterator<T[]> {
    for (let s = this.#head; s >= 0; s = this.#next[s]) {
      const list = this.#lists[s];
      if (list.length) yield list;
    }
  }

  #link(s: number): void {
    this.#prev[s] = this.#tail;
    this.#next[s] = -1;
    if (this.#tail >= 0) this.#next[this.#tail] = s;
    else this.#head = s;
    this.#tail = s;
    this.#size++;
  }

  /** Out of the order; `next[s]` is left as it was, so a loop standing on `s` goes on. */
  #unlink(s: number): void {
    const p = this.#prev[s], n = this.#next[s];
    if (p >= 0) this.#next[p] = n;
    else this.#head = n;
    if (n >= 0) this.#prev[n] = p;
    else this.#tail = p;
    this.#size--;
  }
}
