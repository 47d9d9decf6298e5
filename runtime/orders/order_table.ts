/**
 * Every order of a run by client order id, in the order they came. The run's own ids
 * (`hv<tag>-<n>`) are kept in an array by sequence number: a backtest places an order per asset
 * per bar, and a `Map` keyed by 130,000 fresh id strings spends more time hashing them than the
 * rest of placing the order. Other ids (external orders, an earlier tag) go in a `Map`.
 */
import type { ManagedOrder } from "./order.ts";

/** What readers of the table need (the order manager stays the one writer). */
export interface OrderLookup {
  get(id: string): ManagedOrder | undefined;
  has(id: string): boolean;
  /** In the order they were added. */
  values(): IterableIterator<ManagedOrder>;
  readonly size: number;
}

export class OrderTable implements OrderLookup {
  readonly #own: (ManagedOrder | undefined)[] = [];
  readonly #other = new Map<string, ManagedOrder>();
  /** Insertion order, as a `Map` iterates (a deleted order stays here until `values` prunes it). */
  #all: ManagedOrder[] = [];
  /** Where each order stands in `#all` (a replacement takes its predecessor's place). */
  #pos = new WeakMap<ManagedOrder, number>();
  #size = 0;
  #deleted = false;

  /** `prefix`: the run's own ids, `hv<tag>-`. */
  constructor(private readonly prefix: string) {}

  /** The sequence number of one of our canonical ids (`hv<tag>-<n>`, no leading zero), or -1. */
  #seq(id: string): number {
    const p = this.prefix, n = id.length;
    if (n <= p.length || n > p.length + 15 || !id.startsWith(p)) return -1;
    let seq = 0;
    for (let i = p.length; i < n; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || (d === 0 && i === p.length)) return -1;
      seq = seq * 10 + d;
    }
    return seq;
  }

  get(id: string): ManagedOrder | undefined {
    const s = this.#seq(id);
    return s < 0 ? this.#other.get(id) : this.#own[s];
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, o: ManagedOrder): this {
    const s = this.#seq(id);
    const before = s < 0 ? this.#other.get(id) : this.#own[s];
    if (s < 0) this.#other.set(id, o);
    else this.#own[s] = o;
    if (before === undefined) {
      this.#pos.set(o, this.#all.length);
      this.#all.push(o);
      this.#size++;
    } else if (before !== o) {
      const at = this.#pos.get(before)!;
      this.#all[at] = o;
      this.#pos.set(o, at);
    }
    return this;
  }

  delete(id: string): boolean {
    const s = this.#seq(id);
    const o = s < 0 ? this.#other.get(id) : this.#own[s];
    if (o === undefined) return false;
    if (s < 0) this.#other.delete(id);
    else this.#own[s] = undefined;
    this.#size--;
    this.#deleted = true;
    return true;
  }

  get size(): number {
    return this.#size;
  }

  values(): IterableIterator<ManagedOrder> {
    if (this.#deleted) {
      // The current order of each id, once, at its latest place (as a Map re-adds after delete).
      const last = new Map<ManagedOrder, number>();
      this.#all.forEach((o, i) => this.get(o.id) === o && last.set(o, i));
      this.#all = this.#all.filter((o, i) => last.get(o) === i);
      this.#all.forEach((o, i) => this.#pos.set(o, i));
      this.#deleted = false;
    }
    return this.#all.values();
  }
}
