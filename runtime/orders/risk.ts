/**
 * The pre-trade risk gate: before every submit, the trading state (ACTIVE / REDUCING / HALTED —
 * the kill switch), a throttle on orders per minute, a cap on notional per order and a band
 * around the last price. Each denial carries a machine-readable reason (nautilus' RiskEngine).
 * zipline's trading controls run before this gate, in the algorithm.
 */

export type TradingState = "ACTIVE" | "REDUCING" | "HALTED";

export interface RiskLimits {
  /** Largest |amount × price| of one order. */
  max_notional_per_order?: number;
  /** Orders per rolling minute. */
  max_orders_per_minute?: number;
  /** A limit price further than this fraction from the last price is refused (0.1 = 10 %). */
  price_band?: number;
  /** Loss of the day (positive number) that throws the kill switch. */
  daily_loss_limit?: number;
}

export interface OrderIntent {
  symbol: string;
  amount: number;
  /** Last price of the asset (NaN when unknown). */
  price: number;
  limit_price: number | null;
  /** Shares held now. */
  position: number;
  /**
   * Shares still to come from our open orders in the asset (signed): reducing-only counts them,
   * so two reducing orders cannot together cross the position to the other side.
   */
  pending?: number;
  /** UTC ms. */
  now: number;
}

export type RiskDecision = { ok: true } | { ok: false; reason: string; detail: string };

export class RiskGate {
  state: TradingState = "ACTIVE";
  stateReason = "";
  private readonly recent: number[] = [];

  constructor(readonly limits: RiskLimits = {}) {}

  setState(state: TradingState, reason: string): void {
    this.state = state;
    this.stateReason = reason;
  }

  check(o: OrderIntent): RiskDecision {
    if (this.state === "HALTED") {
      return {
        ok: false,
        reason: "HALTED",
        detail: `trading is halted (${this.stateReason}); only cancels are allowed`,
      };
    }
    const after = o.position + (o.pending ?? 0);
    if (this.state === "REDUCING" && !reduces(after, o.amount)) {
      const held = o.pending ? `${o.position} (${after} after open orders)` : `${o.position}`;
      return {
        ok: false,
        reason: "REDUCING",
        detail:
          `trading is reducing-only (${this.stateReason}); ${o.amount} ${o.symbol} would not reduce a position of ${held}`,
      };
    }
    const l = this.limits;
    if (l.max_notional_per_order !== undefined && Number.isFinite(o.price)) {
      const notional = Math.abs(o.amount * (o.limit_price ?? o.price));
      if (notional > l.max_notional_per_order) {
        return {
          ok: false,
          reason: "MAX_NOTIONAL",
          detail: `order notional ${notional.toFixed(2)} exceeds ${l.max_notional_per_order}`,
        };
      }
    }
    if (
      l.price_band !== undefined && o.limit_price !== null && Number.isFinite(o.price) &&
      o.price > 0
    ) {
      const off = Math.abs(o.limit_price / o.price - 1);
      if (off > l.price_band) {
        return {
          ok: false,
          reason: "PRICE_BAND",
          detail: `limit ${o.limit_price} is ${
            (off * 100).toFixed(1)
          }% from the last price ${o.price} (band ${(l.price_band * 100).toFixed(1)}%)`,
        };
      }
    }
    if (l.max_orders_per_minute !== undefined) {
      while (this.recent.length && this.recent[0] <= o.now - 60_000) this.recent.shift();
      if (this.recent.length >= l.max_orders_per_minute) {
        return {
          ok: false,
          reason: "THROTTLE",
          detail:
            `${this.recent.length} orders in the last minute (max ${l.max_orders_per_minute})`,
        };
      }
      this.recent.push(o.now);
    }
    return { ok: true };
  }
}

/** Whether an order moves a position towards zero without crossing it. */
export function reduces(position: number, amount: number): boolean {
  if (position === 0 || amount === 0) return false;
  return Math.sign(amount) !== Math.sign(position) && Math.abs(amount) <= Math.abs(position);
}
