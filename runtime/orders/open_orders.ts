/**
 * Our open orders, by asset: what `get_open_orders`, the cancel policy and reducing-only checks
 * read every bar, kept as orders open and close (the order manager's `move` is the one place an
 * order leaves it), so no query scans every order of the run. Per asset in placement order; assets
 * in the order their first open order came (zipline's blotter keeps `open_orders` the same way).
 */
import type { Asset } from "../assets/asset.ts";
import type { ManagedOrder } from "./order.ts";

export class OpenOrders {
  private readonly bySid = new Map<number, ManagedOrder[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(o: ManagedOrder): void {
    const list = this.bySid.get(o.asset.sid);
    if (!list) this.bySid.set(o.asset.sid, [o]);
    else if (list.includes(o)) return;
    else list.push(o);
    this.count++;
  }

  remove(o: ManagedOrder): void {
    const list = this.bySid.get(o.asset.sid);
    if (!list) return;
    const i = list.indexOf(o);
    if (i < 0) return;
    // In place: `splice` would allocate the array of removed orders on every fill.
    for (let k = i + 1; k < list.length; k++) list[k - 1] = list[k];
    list.length--;
    this.count--;
    if (list.length === 0) this.bySid.delete(o.asset.sid);
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
