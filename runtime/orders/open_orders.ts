/**
 * Our open orders, by asset: what `get_open_orders`, the cancel policy and reducing-only checks
 * read every bar, kept as orders open and close (the order manager's `move` is the one place an
 * order leaves it), so no query scans every order of the run. Per asset in placement order; assets
 * in the order their first open order came (zipline's blotter keeps `open_orders` the same way).
 */
import type { Asset } from "../assets/asset.ts";
import { ListsBySid } from "./lists_by_sid.ts";
import type { ManagedOrder } from "./order.ts";

export class OpenOrders {
  private readonly bySid = new ListsBySid<ManagedOrder>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(o: ManagedOrder): void {
    if (this.bySid.get(o.asset.sid)?.includes(o)) return;
    this.bySid.push(o.asset.sid, o);
    this.count++;
  }

  remove(o: ManagedOrder): void {
    if (this.bySid.remove(o.asset.sid, o)) this.count--;
  }

  /** A copy of one asset's open orders, or of all (by asset, then placement). */
  list(asset?: Asset): ManagedOrder[] {
    if (asset) return this.bySid.get(asset.sid)?.slice() ?? [];
    const out: ManagedOrder[] = [];
    for (const list of this.bySid.values()) for (const o of list) out.push(o);
    return out;
  }

  /** Signed shares our open orders in `asset` have still to fill. */
  pending(asset: Asset): number {
    let n = 0;
    for (const o of this.bySid.get(asset.sid) ?? []) n += o.amount - o.filled;
    return n;
  }
}
