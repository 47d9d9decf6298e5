/**
 * One holding (zipline's `finance/position.py`): amount, cost basis (commission included),
 * last sale price. The arithmetic — averaging on adds, flipping on crosses, cent-rounded split
 * cost bases — is zipline's, since results must match it.
 */
import type { Asset } from "../assets/asset.ts";
import type { Transaction } from "./order.ts";

export class Position {
  amount = 0;
  cost_basis = 0;
  last_sale_price = 0;
  /** NaN until the first trade or price sync. */
  last_sale_date = NaN;

  /** The asset's sid, kept here too: daily snapshots read it without touching the asset. */
  readonly sid: number;
  /**
   * Amount and cost basis as the results recorder last stored them (internal): a day's
   * snapshot stores them again only when they changed.
   */
  recordedAmount = NaN;
  recordedCost = NaN;

  constructor(readonly asset: Asset) {
    this.sid = asset.sid;
  }

  /** Applies a fill. */
  update(txn: Transaction): void {
    const total = this.amount + txn.amount;
    if (total === 0) {
      this.cost_basis = 0;
    } else {
      const prevDirection = Math.sign(this.amount) || 1;
      const txnDirection = Math.sign(txn.amount) || 1;
      if (prevDirection !== txnDirection) {
        // Covering or closing; crossing through zero starts a new basis at the fill price.
        if (Math.abs(txn.amount) > Math.abs(this.amount)) this.cost_basis = txn.price;
      } else {
        this.cost_basis = (this.cost_basis * this.amount + txn.amount * txn.price) / total;
      }
      if (Number.isNaN(this.last_sale_date) || txn.dt > this.last_sale_date) {
        this.last_sale_price = txn.price;
        this.last_sale_date = txn.dt;
      }
    }
    this.amount = total;
  }

  /** Folds a commission into the cost basis (for shorts it lowers the break-even price). */
  adjust_commission_cost_basis(cost: number): void {
    if (cost === 0 || this.amount === 0) return;
    const prev = this.cost_basis * this.amount;
    this.cost_basis = (prev + cost / this.asset.price_multiplier) / this.amount;
  }

  /**
   * A split of `ratio` (the price multiplier, 0.5 for 2-for-1): whole shares ÷ ratio, cost basis
   * × ratio rounded to the cent, and the fractional share returned as cash (rounded to the cent).
   */
  handle_split(ratio: number): number {
    const raw = this.amount / ratio;
    const whole = Math.floor(raw);
    const fraction = raw - whole;
    const basis = roundHalfEven(this.cost_basis * ratio, 2);
    this.cost_basis = basis;
    this.amount = whole;
    return roundHalfEven(fraction * basis, 2);
  }

  /** zipline's position dict in perf rows. */
  to_dict(): { sid: number; amount: number; cost_basis: number; last_sale_price: number } {
    return {
      sid: this.asset.sid,
      amount: this.amount,
      cost_basis: this.cost_basis,
      last_sale_price: this.last_sale_price,
    };
  }
}

/**
 * Python's `round(x, n)`: the exact binary value rounded to `n` decimals, ties to even. The
 * decision is made on the exact decimal expansion (`toFixed` is exact), so 2.675 — stored as
 * 2.67499999… — rounds down as in Python.
 */
export function roundHalfEven(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const text = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const dot = text.indexOf(".");
  const kept = digits > 0 ? text.slice(0, dot + 1 + digits) : text.slice(0, dot);
  const rest = text.slice(dot + 1 + digits);
  let up: boolean;
  if (rest[0] > "5") up = true;
  else if (rest[0] < "5") up = false;
  else if (/[1-9]/.test(rest.slice(1))) up = true;
  else up = Number(kept[kept.length - 1]) % 2 === 1; // an exact tie: to even
  const base = Number(kept);
  const step = 10 ** -digits;
  return sign * Number((up ? base + step : base).toFixed(digits));
}
