/**
 * An order as the simulated venue works it: zipline's simulation order (what slippage and
 * commission models read and the matching updates), carrying our client order id, and readable as
 * the broker contract's `BrokerOrder` without a copy — events hand the order itself to the order
 * manager, which reads it at once.
 */
import type { Asset } from "../../assets/asset.ts";
import { Order, ORDER_STATUS } from "../../finance/order.ts";
import type { BrokerOrder } from "../../model/broker.ts";
import type { OrderState } from "../../model/order_state.ts";

/** Trigger bits as last reported to the order manager (see `VenueOrder.triggerBits`). */
const LIMIT_REACHED = 1, STOP_REACHED = 2, STOP_DROPPED = 4;

export class VenueOrder extends Order implements BrokerOrder {
  avg_fill_price = 0;
  /** The trigger bits last reported (an `updated` event goes out when they change). */
  reported = 0;
  /** The number its client id was minted with, as the request said (-1: not said, restored). */
  client_seq = -1;

  constructor(
    readonly client_order_id: string,
    venueId: string,
    asset: Asset,
    amount: number,
    limit: number | null,
    stop: number | null,
    created: number,
  ) {
    super({ dt: created, asset, amount, limit, stop, id: venueId });
  }

  get broker_order_id(): string {
    return this.id;
  }
  get symbol(): string {
    return this.asset.symbol;
  }
  get limit_price(): number | null {
    return this.limit;
  }
  get stop_price(): number | null {
    return this.stop;
  }
  get submitted_at(): number {
    return this.created;
  }
  get updated_at(): number {
    return this.dt;
  }
  get state(): OrderState {
    switch (this.status) {
      case ORDER_STATUS.FILLED:
        return "FILLED";
      case ORDER_STATUS.CANCELLED:
        return "CANCELED";
      case ORDER_STATUS.REJECTED:
        return "REJECTED";
      default:
        return this.filled !== 0 ? "PARTIALLY_FILLED" : "WORKING";
    }
  }

  /**
   * The triggers as bits: limit reached, stop reached, and a stop-limit's stop dropped (zipline
   * turns a triggered stop-limit into a plain limit order).
   */
  get triggerBits(): number {
    return (this.limit_reached ? LIMIT_REACHED : 0) | (this.stop_reached ? STOP_REACHED : 0) |
      (this.stop === null && this.hadStop ? STOP_DROPPED : 0);
  }

  /** Whether the order was placed with a stop price. */
  readonly hadStop = this.stop !== null;
}
