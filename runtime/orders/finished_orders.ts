/**
 * Finished orders of a backtest, kept as columns by sequence number. A backtest keeps every order
 * for `get_order`, and 65,000 order objects (with their boxed times and ids) are what a long
 * run's young-generation collections copy most: an order that can never change again — its venue
 * is the engine's own and reports nothing more once an order is finished — gives up its object
 * at the session's end and lives on here in typed arrays the collector never visits. `get`
 * builds an equal `ManagedOrder` back when one is asked for.
 *
 * @module
 */
import { AssetNumbers } from "../assets/asset_numbers.ts";
import type { ClientOrderId, VenueOrderId } from "../model/ids.ts";
import { IdFamily } from "../model/id_family.ts";
import { ORDER_STATES, type OrderState } from "../model/order_state.ts";
import { fromRecord } from "./manager_state.ts";
import type { ManagedOrder } from "./order.ts";

/**
 * The numbers kept per order, in this order. The limit and stop prices and the last event's time
 * (when it is not the order's `dt`) are kept apart, for the orders that have them: a strategy of
 * market orders stores none, and three numbers fewer an order were 1.6 MB less fresh memory for a
 * 65,000-order run.
 */
const CREATED = 0, DT = 1, AMOUNT = 2, FILLED = 3, COMMISSION = 4, AVG = 5, WIDTH = 6;
/** Flag bits. */
const KEPT = 1, LIMIT_REACHED = 2, STOP_REACHED = 4, EXTERNAL = 8;
/** Venue id keys that are not a venue's number: none, and one kept apart. */
const NO_VENUE_ID = -1, OTHER_VENUE_ID = -2;

/**
 * Orders per chunk of storage. Chunks are made once at their full size and never copied: a
 * doubling array copied 4.7 MB into 9.4 MB of fresh memory for a 65,000-order run, and fresh
 * memory costs a page fault per 4 KB on first touch (10 µs each on a virtual machine that hands
 * its guests' freed pages back to the host).
 */
const CHUNK_BITS = 12, CHUNK = 1 << CHUNK_BITS, LOW = CHUNK - 1;

export class FinishedOrders {
  /**
   * Per chunk: WIDTH numbers per order, its flags, its state's index, its asset's number in
   * `#assets`, and its venue id as `#venue` keeps it when that is a number below 2^31 (the
   * simulated venue's own ids), `NO_VENUE_ID` for none, `OTHER_VENUE_ID` for one in
   * `#otherVenueIds`. Numbers instead of lists of assets and ids: adding to those lists was most
   * of what keeping an order cost.
   */
  readonly #nums: Float64Array[] = [];
  readonly #flags: Uint8Array[] = [];
  readonly #states: Uint8Array[] = [];
  readonly #assetNos: Int32Array[] = [];
  readonly #venueKeys: Int32Array[] = [];
  readonly #assets = new AssetNumbers();
  readonly #otherVenueIds = new Map<number, string | number>();
  readonly #venue = new IdFamily();
  /** Reasons are rare (a rejection, an expiry's): by sequence number. */
  readonly #reasons = new Map<number, string>();
  /** The prices of limit and stop orders, by sequence number. */
  readonly #prices = new Map<number, { limit: number | null; stop: number | null }>();
  /** Last events' times that are not the order's `dt`, by sequence number. */
  readonly #lastEvents = new Map<number, number>();

  /** Keeps `o` (finished, of sequence number `seq`); it is read back by `get`. */
  store(seq: number, o: ManagedOrder): void {
    const c = seq >>> CHUNK_BITS, i = seq & LOW;
    if (c >= this.#flags.length) this.#grow(c);
    const n = this.#nums[c], at = i * WIDTH;
    n[at + CREATED] = o.created;
    n[at + DT] = o.dt;
    n[at + AMOUNT] = o.amount;
    n[at + FILLED] = o.filled;
    n[at + COMMISSION] = o.commission;
    n[at + AVG] = o.avg_fill_price;
    this.#flags[c][i] = KEPT | (o.limit_reached ? LIMIT_REACHED : 0) |
      (o.stop_reached ? STOP_REACHED : 0) | (o.external ? EXTERNAL : 0);
    if (o.limit !== null || o.stop !== null) {
      this.#prices.set(seq, { limit: o.limit, stop: o.stop });
    } else if (this.#prices.size) this.#prices.delete(seq);
    // `Object.is`: a NaN time (an order restored without one) is kept as it is, not as `dt`.
    if (!Object.is(o.last_event_at, o.dt)) this.#lastEvents.set(seq, o.last_event_at);
    else if (this.#lastEvents.size) this.#lastEvents.delete(seq);
    this.#states[c][i] = ORDER_STATES.indexOf(o.state);
    this.#assetNos[c][i] = this.#assets.of(o.asset);
    const venueId = o.broker_order_id;
    if (venueId !== null && !this.#venue.known) this.#venue.learn(venueId);
    const key = venueId === null ? null : this.#venue.key(venueId);
    if (this.#otherVenueIds.size) this.#otherVenueIds.delete(seq);
    if (key === null) this.#venueKeys[c][i] = NO_VENUE_ID;
    else if (typeof key === "number" && key < 2 ** 31) this.#venueKeys[c][i] = key;
    else {
      this.#venueKeys[c][i] = OTHER_VENUE_ID;
      this.#otherVenueIds.set(seq, key);
    }
    if (o.reason !== null) this.#reasons.set(seq, o.reason);
    else if (this.#reasons.size) this.#reasons.delete(seq);
  }

  #venueId(seq: number): VenueOrderId | null {
    const k = this.#venueKeys[seq >>> CHUNK_BITS][seq & LOW];
    if (k === NO_VENUE_ID) return null;
    return this.#venue.id(k === OTHER_VENUE_ID ? this.#otherVenueIds.get(seq)! : k) as VenueOrderId;
  }

  has(seq: number): boolean {
    const c = seq >>> CHUNK_BITS;
    return c < this.#flags.length && (this.#flags[c][seq & LOW] & KEPT) !== 0;
  }

  /** The order of sequence number `seq` (id `id`) as it was stored, or undefined. */
  get(seq: number, id: ClientOrderId): ManagedOrder | undefined {
    if (!this.has(seq)) return undefined;
    const c = seq >>> CHUNK_BITS, i = seq & LOW;
    const n = this.#nums[c],
      at = i * WIDTH,
      flags = this.#flags[c][i],
      asset = this.#assets.asset(this.#assetNos[c][i]),
      prices = this.#prices.get(seq);
    // Built as a state file's order is (`fromRecord`), then its last event's time.
    const o = fromRecord({
      client_order_id: id,
      broker_order_id: this.#venueId(seq),
      symbol: asset.symbol,
      state: ORDER_STATES[this.#states[c][i]] as OrderState,
      amount: n[at + AMOUNT],
      filled: n[at + FILLED],
      commission: n[at + COMMISSION],
      limit: prices?.limit ?? null,
      stop: prices?.stop ?? null,
      limit_reached: (flags & LIMIT_REACHED) !== 0,
      stop_reached: (flags & STOP_REACHED) !== 0,
      reason: this.#reasons.get(seq) ?? null,
      created: n[at + CREATED],
      dt: n[at + DT],
      avg_fill_price: n[at + AVG],
      external: (flags & EXTERNAL) !== 0,
    }, asset);
    o.last_event_at = this.#lastEvents.get(seq) ?? n[at + DT];
    return o;
  }

  /** Forgets the order of `seq`. */
  drop(seq: number): void {
    if (!this.has(seq)) return;
    this.#flags[seq >>> CHUNK_BITS][seq & LOW] = 0;
    this.#otherVenueIds.delete(seq);
    this.#reasons.delete(seq);
    this.#prices.delete(seq);
    this.#lastEvents.delete(seq);
  }

  /** Chunks up to and including chunk `c`. */
  #grow(c: number): void {
    while (this.#flags.length <= c) {
      this.#nums.push(new Float64Array(WIDTH * CHUNK));
      this.#flags.push(new Uint8Array(CHUNK));
      this.#states.push(new Uint8Array(CHUNK));
      this.#assetNos.push(new Int32Array(CHUNK));
      this.#venueKeys.push(new Int32Array(CHUNK));
    }
  }
}
