/**
 * zipline's order arithmetic: rounding share counts, value and percent to shares, targets to
 * deltas. Pure functions, so the rules can be tested alone and reused by the live runtime.
 */

/** A share count within 1e-4 of an integer becomes that integer; otherwise it is truncated. */
export function round_order(amount: number): number {
  const nearest = Math.round(amount);
  // Python's round() is half-to-even; only ties matter here and both sides are ≥ 1e-4 away.
  const r = Math.abs(amount - nearest) <= 1e-4 ? nearest : amount;
  return Math.trunc(r);
}

/** Shares for a value at a price (0 when the price is ~0: zipline places no order then). */
export function valueToShares(value: number, lastPrice: number, multiplier = 1): number {
  if (Math.abs(lastPrice) < 1e-8) return 0;
  return value / (lastPrice * multiplier);
}

/** Delta from the current position to a target share count (open orders are ignored). */
export function targetDelta(target: number, currentAmount: number): number {
  return target - currentAmount;
}
