/**
 * Execution styles (zipline's `finance/execution.py`): market, limit, stop and stop-limit, and
 * the asymmetric rounding of their prices to the asset's tick, which always rounds in the
 * trader's favour.
 */
import { HarvesterError } from "../errors.ts";

/** An impossible limit or stop price (NaN, infinite, negative, not a number). */
export class BadOrderParameters extends HarvesterError {
  override name = "BadOrderParameters";
  constructor(message: string, readonly label: "limit" | "stop", readonly price: unknown) {
    super(message);
  }
}

/** How an order executes: its limit and stop prices (null when it has none). */
export interface ExecutionStyle {
  /** The limit price for a buy (`is_buy`) or a sell, rounded to the tick; null when none. */
  get_limit_price(is_buy: boolean): number | null;
  /** The stop price for a buy or a sell, rounded to the tick; null when none. */
  get_stop_price(is_buy: boolean): number | null;
}

/** What a style needs of its asset: the tick to round to. */
export interface StyleOptions {
  /** The asset ordered; its `tick_size` is used (0.01 without an asset). */
  asset?: { readonly tick_size: number } | null;
}

/** Decimal places of `n` as Python's `Decimal(str(float))` counts them (`1.0` has one). */
function decimalPlaces(n: number): number {
  const s = String(n);
  const e = s.indexOf("e");
  const mantissa = e < 0 ? s : s.slice(0, e);
  const exp = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  // Python's repr of an integral float ends in ".0" (one decimal place).
  const frac = dot < 0 ? (e < 0 ? 1 : 0) : mantissa.length - dot - 1;
  return frac - exp;
}

/** Python's `round(x)` for a float: half to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** zipline's `consistent_round`: a fractional part (Python's `x % 1`) ≥ 0.5 rounds up. */
function consistentRound(x: number): number {
  let m = x % 1;
  if (m !== 0 && m < 0) m += 1;
  return m >= 0.5 ? Math.ceil(x) : roundHalfEven(x);
}

/**
 * Rounds `price` to a multiple of `tick_size` in the direction that improves it. With
 * `prefer_round_down` (buy limits, sell stops) a price rounds down unless it is within 5% of a
 * tick below the next multiple: `[X.0095, X.0195) → X.01`. Otherwise it rounds up unless within
 * 5% of a tick above a multiple: `(X.0005, X.0105] → X.01`. Results within 1e-6 of 0 are 0.
 *
 * @example
 * ```ts
 * asymmetric_round_price(1.0095, true, 0.01); // 1.01
 * asymmetric_round_price(1.0094, true, 0.01); // 1.00
 * asymmetric_round_price(1.0006, false, 0.01); // 1.01
 * ```
 */
export function asymmetric_round_price(
  price: number,
  prefer_round_down: boolean,
  tick_size: number = 0.01,
  diff: number = 0.95,
): number {
  const precision = decimalPlaces(tick_size);
  const multiplier = Math.trunc(tick_size * 10 ** precision);
  diff -= 0.5;
  // Python's 10 ** -precision: the double nearest 10^-precision.
  diff *= precision >= 0 ? 1 / 10 ** precision : 10 ** -precision;
  diff *= multiplier;
  // Keeps the upper bound open on buys and the lower bound open on sells.
  diff = diff - Number.EPSILON * 10;
  const rounded = tick_size *
    consistentRound((price - (prefer_round_down ? diff : -diff)) / tick_size);
  // math.isclose(rounded, 0, rel_tol=1e-6, abs_tol=1e-6)
  if (Math.abs(rounded) <= 1e-6) return 0.0;
  return rounded;
}

/** Throws `BadOrderParameters` unless `price` is a finite number ≥ 0 (zipline's checks). */
export function check_stoplimit_prices(price: unknown, label: "limit" | "stop"): void {
  if (typeof price !== "number") {
    throw new BadOrderParameters(
      `Attempted to place an order with a ${label} price of ${typeof price}. ` +
        `Pass the ${label} price as a finite number ≥ 0.`,
      label,
      price,
    );
  }
  if (!Number.isFinite(price)) {
    throw new BadOrderParameters(
      `Attempted to place an order with a ${label} price of ${price}. ` +
        `Pass the ${label} price as a finite number ≥ 0.`,
      label,
      price,
    );
  }
  if (price < 0) {
    throw new BadOrderParameters(
      `Can't place a ${label} order with a negative price (got ${price}).`,
      label,
      price,
    );
  }
}

function tickOf(opts: StyleOptions | undefined): number {
  return opts?.asset?.tick_size ?? 0.01;
}

/**
 * Fill at the market price. The default style of `order`.
 *
 * @example
 * ```ts
 * new MarketOrder().get_limit_price(true); // null
 * ```
 */
export class MarketOrder implements ExecutionStyle {
  get_limit_price(_is_buy: boolean): number | null {
    return null;
  }
  get_stop_price(_is_buy: boolean): number | null {
    return null;
  }
}

/**
 * Fill at `limit_price` or better: at most it for buys, at least it for sells.
 *
 * @example
 * ```ts
 * new LimitOrder(10.0095).get_limit_price(true); // 10.01
 * ```
 */
export class LimitOrder implements ExecutionStyle {
  readonly tick_size: number;
  constructor(readonly limit_price: number, opts?: StyleOptions) {
    check_stoplimit_prices(limit_price, "limit");
    this.tick_size = tickOf(opts);
  }
  get_limit_price(is_buy: boolean): number | null {
    return asymmetric_round_price(this.limit_price, is_buy, this.tick_size);
  }
  get_stop_price(_is_buy: boolean): number | null {
    return null;
  }
}

/**
 * A market order placed once the price reaches `stop_price`: rises to it for buys, falls to it
 * for sells. Stop prices round the opposite way to limit prices.
 *
 * @example
 * ```ts
 * new StopOrder(10.0095).get_stop_price(false); // 10.01
 * ```
 */
export class StopOrder implements ExecutionStyle {
  readonly tick_size: number;
  constructor(readonly stop_price: number, opts?: StyleOptions) {
    check_stoplimit_prices(stop_price, "stop");
    this.tick_size = tickOf(opts);
  }
  get_limit_price(_is_buy: boolean): number | null {
    return null;
  }
  get_stop_price(is_buy: boolean): number | null {
    return asymmetric_round_price(this.stop_price, !is_buy, this.tick_size);
  }
}

/**
 * A limit order at `limit_price` placed once the price reaches `stop_price`.
 *
 * @example
 * ```ts
 * const style = new StopLimitOrder(10, 10.5);
 * style.get_limit_price(true); // 10
 * style.get_stop_price(true); // 10.5
 * ```
 */
export class StopLimitOrder implements ExecutionStyle {
  readonly tick_size: number;
  constructor(readonly limit_price: number, readonly stop_price: number, opts?: StyleOptions) {
    check_stoplimit_prices(limit_price, "limit");
    check_stoplimit_prices(stop_price, "stop");
    this.tick_size = tickOf(opts);
  }
  get_limit_price(is_buy: boolean): number | null {
    return asymmetric_round_price(this.limit_price, is_buy, this.tick_size);
  }
  get_stop_price(is_buy: boolean): number | null {
    return asymmetric_round_price(this.stop_price, !is_buy, this.tick_size);
  }
}
