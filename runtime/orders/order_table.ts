/**
 * Every order of a run by client order id, in the order they came. The run's own ids
 * (`hv<tag>-<n>`) are kept in an array by sequence number: a backtest places an order per asset
 * per bar, and a `Map` keyed by 130,000 fresh id strings spends more time hashing them than the
 * rest of placing the order. Other ids (external orders, an earlier tag) go in a `Map`. A
 * backtest's finished orders can give up their objects (`compact`): kept as columns, they are
 * built again when looked up.
 */
import type { ClientOrderId } from "../model/ids.ts";
import { Chunked } from "../model/chunked.ts";
import { FinishedOrders } from "./finished_orders.ts";
import type { ClientOrderIds } from "./ids.ts";
import type { ManagedOrder } from "./order.ts";
import { TERMINAL } from "../model/order_state.ts";

/** What readers of the table need (the order manager stays the one writer). */
export interface OrderLookup {
  get(id: string): ManagedOrder | undefined;
  has(id: string): boolean;
  /** In the order they were added. */
  values(): IterableIterator<ManagedOrder>;
  readonly size: number;
}

export class OrderTable implements OrderLookup {
  readonly #own = new Chunked<ManagedOrder | undefined>();
  readonly #other = new Map<string, ManagedOrder>();
  /** Our finished orders kept as columns (`compact`); null until the first. */
  #finished: FinishedOrders | null = null;
  /**
   * Insertion order, as a `Map` iterates: our ids by sequence number, other ids by their order.
   * A deleted order stays here until `values` prunes it.
   */
  #all = new Chunked<ManagedOrder | number>();
  /** The last id looked up and its order: a broker's events for one order come together. */
  #lastId = "";
  #lastOrder: ManagedOrder | undefined;
  #size = 0;
  #deleted = false;

  /** `ids`: the run's id family, whose ids are filed by sequence number. */
  constructor(private readonly ids: Pick<ClientOrderIds, "seqOf" | "idOf">) {}

  /**
   * The order of `id`. `seq`: the number the id was minted with, when the caller was told (a
   * venue echoing what it was sent): the order filed under it is taken if it has that very id,
   * without reading the id's digits.
   */
  get(id: string, seq = -1): ManagedOrder | undefined {
    if (id === this.#lastId) return this.#lastOrder;
    let o = seq >= 0 ? this.#own.get(seq) : undefined;
    if (o === undefined || o.id !== id) {
      const s = this.ids.seqOf(id);
      o = s < 0 ? this.#other.get(id) : this.#ownAt(s, id);
    }
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

  /**
   * Keeps a finished order of ours as columns and lets go of its object; looking it up builds an
   * equal one. Only for an order nothing will change again (a backtest venue's, its last row
   * recorded). Other ids and open orders stay as they are.
   */
  compact(o: ManagedOrder): void {
    const s = o.tableSeq;
    if (s < 0 || this.#own.get(s) !== o || o.quality !== null) return;
    (this.#finished ??= new FinishedOrders()).store(s, o);
    this.#own.set(s, undefined);
    if (this.#lastOrder === o) {
      this.#lastId = "";
      this.#lastOrder = undefined;
    }
  }

  #ownAt(s: number, id: string): ManagedOrder | undefined {
    return this.#own.get(s) ?? this.#finished?.get(s, id as ClientOrderId);
  }

  #put(id: string, s: number, o: ManagedOrder): this {
    const before = s < 0 ? this.#other.get(id) : this.#ownAt(s, id);
    if (s < 0) this.#other.set(id, o);
    else {
      this.#own.set(s, o);
      o.tableSeq = s;
      this.#finished?.drop(s);
    }
    this.#lastId = id;
    this.#lastOrder = o;
    if (before === undefined) {
      this.#all.push(s < 0 ? o : s);
      this.#size++;
    } else if (s < 0 && before !== o) {
      // A replacement takes its predecessor's place (rare: a restart's bookkeeping).
      let k = this.#all.length - 1;
      while (k >= 0 && this.#all.get(k) !== before) k--;
      if (k >= 0) this.#all.set(k, o);
    }
    return this;
  }

  delete(id: string): boolean {
    const s = this.ids.seqOf(id);
    const o = s < 0 ? this.#other.get(id) : this.#ownAt(s, id);
    if (o === undefined) return false;
    this.#lastId = "";
    this.#lastOrder = undefined;
    if (s < 0) this.#other.delete(id);
    else {
      this.#own.set(s, undefined);
      this.#finished?.drop(s);
    }
    this.#size--;
    this.#deleted = true;
    return true;
  }

  get size(): number {
    return this.#size;
  }

  /** In the order they were added (a compacted order is built again, as `get` does). */
  *values(): IterableIterator<ManagedOrder> {
    if (this.#deleted) {
      // Each entry once, at its latest place, if still present (as a Map re-adds after delete).
      const last = new Map<ManagedOrder | number, number>(), all = [...this.#all];
      all.forEach((x, i) => this.#present(x) && last.set(x, i));
      this.#all = new Chunked();
      all.forEach((x, i) => last.get(x) === i && this.#all.push(x));
      this.#deleted = false;
    }
    for (const x of this.#all) {
      yield typeof x === "number" ? this.#ownAt(x, this.ids.idOf(x))! : x;
    }
  }

  #present(x: ManagedOrder | number): boolean {
    if (typeof x !== "number") return this.#other.get(x.id) === x;
    return this.#own.get(x) !== undefined || this.#finished?.has(x) === true;
  }
}

/**
 * Compacts the orders of `today` that are finished, except those whose change is still to be
 * reported (`held`: the daily cancel policy's, listed again at the next bar). For a venue that
 * reports nothing more on a finished order — the engine's own, in a backtest — so nothing
 * changes them again.
 */
export function compactFinished(
  table: OrderTable,
  today: readonly ManagedOrder[],
  held: readonly ManagedOrder[],
): void {
  const wait = held.length ? new Set(held) : null;
  for (let k = 0; k < today.length; k++) {
    const o = today[k];
    if (TERMINAL.has(o.state) && !wait?.has(o)) table.compact(o);
  }
}
