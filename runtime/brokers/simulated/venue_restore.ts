/**
 * A persisted book's orders back into venue orders (the snapshot side of a paper venue's
 * restart; the ops recorded since are then replayed on top by the venue itself).
 */
import type { Asset } from "../../assets/asset.ts";
import { ORDER_STATUS } from "../../finance/order.ts";
import type { BookOrder } from "./venue_book.ts";
import { VenueOrder } from "./venue_order.ts";

/** Rebuilds each stored order and hands it to `add` (orders of unknown symbols are skipped). */
export function restoreBook(
  orders: readonly BookOrder[],
  assetOf: (symbol: string) => Asset | undefined,
  add: (o: VenueOrder) => void,
): void {
  for (const r of orders) {
    const asset = assetOf(r.symbol);
    if (!asset) continue;
    const o = new VenueOrder(r.coid, r.id, asset, r.amount, r.limit, r.stop, r.created);
    o.filled = r.filled;
    o.commission = r.commission;
    o.limit_reached = r.limit_reached;
    o.stop_reached = r.stop_reached;
    o.dt = r.dt;
    o.avg_fill_price = r.avg;
    if (r.status === ORDER_STATUS.CANCELLED) o.cancel();
    else if (r.status === ORDER_STATUS.REJECTED) o.reject();
    o.reported = o.triggerBits;
    add(o);
  }
}
