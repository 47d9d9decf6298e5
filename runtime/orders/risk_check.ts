/**
 * The risk gate at an order's placing (`OrderManager.place`): the order as the gate reads it —
 * its price, the position, and for a reducing-only gate the shares already on order — and a
 * refusal counted, journaled and warned. A refused order is never minted an id nor sent.
 */
import type { Asset } from "../assets/asset.ts";
import type { OrderCounters } from "./counters.ts";
import type { ManagerDeps } from "./manager_deps.ts";
import type { OpenOrders } from "./open_orders.ts";
import type { RiskGate } from "./risk.ts";

/** Whether the gate lets the order through; a refusal is reported before this returns false. */
export function riskAllows(
  d: ManagerDeps,
  gate: RiskGate,
  counters: OrderCounters,
  open: OpenOrders,
  order: { asset: Asset; amount: number; limit: number | null; price: number; now: number },
): boolean {
  const { asset, amount } = order;
  const decision = gate.check({
    symbol: asset.symbol,
    amount,
    price: order.price,
    limit_price: order.limit,
    position: d.ledger.position(asset)?.amount ?? 0,
    // Only reducing-only needs the open orders.
    pending: gate.state === "REDUCING" ? open.pending(asset) : 0,
    now: order.now,
  });
  if (decision.ok) return true;
  counters.riskDenied++;
  d.audit.write("risk_denied", {
    symbol: asset.symbol,
    amount,
    reason: decision.reason,
    detail: decision.detail,
  });
  d.warn("order_denied", {
    message: `order for ${amount} ${asset.symbol} denied: ${decision.detail}`,
    reason: decision.reason,
  });
  return false;
}
