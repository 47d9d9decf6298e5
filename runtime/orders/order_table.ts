/**
 * Every order of a run by client order id, in the order they came. The run's own ids
 * (`hv<tag>-<n>`) are kept in an array by sequence number: a backtest places an order per asset
 * per bar, and a `Map` keyed by 130,000 fresh id strings spends more time hashing them than the
 * rest of placing the order. Other ids (external orders, an earlier tag) go in a `Map`.
 */
import type { ClientOrderIds } from "./ids.ts";
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

  /** `ids`: the run's id family, whose ids are filed by sequence number. */
  constructor(private readonly ids: Pick<ClientOrderIds, "seqOf">) {}

  get(id: string): ManagedOrder | undefined {
    if (id === this.#lastId) return this.#lastOrder;
    const s = this.ids.seqOf(id);
    const o = s < 0 ? this.#other.get(id) : this.#own[s];
    this.#lastId = id;
    this.#lastOrder = o;
    return o;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, o: ManagedOrder): this {
    return this.#put(id, this.ids.seqOf(id), o);
  }

  /** An order whose id the run's family just minted as number `seq` (filed without parsing). */
  setMinted(seq: number, o: ManagedOrder): this {
    return this.#put(o.id, seq, o);
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
    const s = this.ids.seqOf(id);
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
