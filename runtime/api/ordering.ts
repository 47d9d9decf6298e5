/**
 * zipline's order arithmetic: rounding share counts, value and percent to shares, targets to
 * deltas, limit/stop shorthands to styles. Pure functions, so the rules can be tested alone and reused by the live runtime.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import {
  type ExecutionStyle,
  LimitOrder,
  MarketOrder,
  StopLimitOrder,
  StopOrder,
} from "../finance/execution.ts";
import { BadOrderValue, CannotOrderDelistedAsset } from "./errors.ts";

/** Orders larger than this are a bug in the strategy, not an order (zipline's blotter limit). */
export const MAX_SHARES = 100_000_000_000;

/**
 * Refuses a value that cannot size an order — NaN, ±Infinity, not a number — at the call, before
 * anything reaches a venue (zipline fails in `round_order`: "cannot convert float NaN to integer").
 *
 * @example
 * ```ts
 * checkFinite("order_target_percent", "target", NaN); // throws BadOrderValue
 * ```
 */
export function checkFinite(fn: string, name: string, value: unknown): void {
  if (typeof value === "number" && Number.isFinite(value)) return;
  const shown = typeof value === "number"
    ? String(value)
    : `${typeof value} ${JSON.stringify(value)}`;
  throw new BadOrderValue(`${fn}(): ${name} must be a finite number, got ${shown}`);
}

/** A share count beyond zipline's limit is refused at the call (zipline raises OverflowError). */
export function checkShares(fn: string, shares: number): void {
  if (Math.abs(shares) > MAX_SHARES) {
    throw new BadOrderValue(
      `${fn}(): Can't order more than ${MAX_SHARES} shares (asked for ${shares})`,
    );
  }
}

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

/**
 * Shares for a value in `asset` at its last price `last` on session `day`, with zipline's
 * checks: an order before the asset started, after it ended, or with no last price is refused.
 */
export function sharesForValue(asset: Asset, day: number, last: number, value: number): number {
  if (day < asset.start_date) {
    throw new CannotOrderDelistedAsset(
      `Cannot order ${asset.symbol}, as it started trading on ${
        isoDate(asset.start_date / DAY_MS)
      }.`,
    );
  }
  if (day > asset.end_date) {
    throw new CannotOrderDelistedAsset(
      `Cannot order ${asset.symbol}, as it stopped trading on ${isoDate(asset.end_date / DAY_MS)}.`,
    );
  }
  if (Number.isNaN(last)) {
    throw new CannotOrderDelistedAsset(
      `Cannot order ${asset.symbol} on ${
        isoDate(day / DAY_MS)
      } as there is no last price for the security.`,
    );
  }
  return valueToShares(value, last, asset.price_multiplier);
}

/** zipline's conversion of limit/stop shorthands into an execution style. */
export function styleOf(limit: number | null, stop: number | null): ExecutionStyle {
  if (limit !== null && stop !== null) return new StopLimitOrder(limit, stop);
  if (limit !== null) return new LimitOrder(limit);
  if (stop !== null) return new StopOrder(stop);
  return MARKET;
}

/** Market orders carry no state: one instance serves every order. */
const MARKET = new MarketOrder();
