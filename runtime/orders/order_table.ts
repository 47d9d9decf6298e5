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
  /** The last id looked up and its order: a broker's events for one order come together. */
  #lastId = "";
  #lastOrder: ManagedOrder | undefined;
  #size = 0;
  #deleted = false;

  /** `prefix`: the run's own ids, `hv<tag>-`, of the id family `tag`. */
  constructor(private readonly prefix: string, private readonly tag = "") {}

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
    if (id === this.#lastId) return this.#lastOrder;
    const s = this.#seq(id);
    const o = s < 0 ? this.#other.get(id) : this.#own[s];
    this.#lastId = id;
    this.#lastOrder = o;
    return o;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, o: ManagedOrder): this {
    return this.#put(id, this.#seq(id), o);
  }

  /**
   * An order whose id was just minted as number `seq` of family `tag`: filed by that number when
   * the family is the table's own (no parsing of the id), else as any id.
   */
  setMinted(tag: string, seq: number, o: ManagedOrder): this {
    return this.#put(o.id, tag === this.tag ? seq : this.#seq(o.id), o);
  }

  #put(id: string, s: number, o: ManagedOrder): this {
    const before = s < 0 ? this.#other.get(id) : this.#own[s];
    if (s < 0) this.#other.set(id, o);
    else this.#own[s] = o;
    this.#lastId = id;
    this.#lastOrder = o;
    if (before === undefined) {
      this.#all.push(o);
      this.#size++;
    } else if (before !== o) {
      // A replacement takes its predecessor's place (rare: a restart's bookkeeping).
      this.#all[this.#all.lastIndexOf(before)] = o;
    }
    return this;
  }

  delete(id: string): boolean {
    const s = this.#seq(id);
    const o = s < 0 ? this.#other.get(id) : this.#own[s];
    if (o === undefined) return false;
    this.#lastId = "";
    this.#lastOrder = undefined;
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
      this.#deleted = false;
    }
    return this.#all.values();
  }
}
