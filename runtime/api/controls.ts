/**
 * zipline's `set_max_leverage`, `set_max_order_size` … : registration (initialize only) and the
 * checks the algorithm runs before each order and at each session's end.
 */
import type { Asset } from "../assets/asset.ts";
import {
  type AccountControl,
  type ControlLogger,
  LongOnly,
  MaxLeverage,
  MaxOrderCount,
  MaxOrderSize,
  MaxPositionSize,
  MinLeverage,
  type OnError,
  RestrictedListOrder,
  type TradingControl,
} from "../finance/controls.ts";
import { type Restrictions, StaticRestrictions, union } from "../finance/restrictions.ts";
import { RegisterTradingControlPostInit } from "./errors.ts";

export interface SizeOptions {
  asset?: Asset | null;
  max_shares?: number | null;
  max_notional?: number | null;
  on_error?: OnError;
}

/** The controls registered by a strategy, and the restrictions `can_trade` consults. */
export class ControlSet {
  readonly trading: TradingControl[] = [];
  readonly account: AccountControl[] = [];
  restrictions: Restrictions | null = null;
  initialized = false;

  constructor(private readonly logger?: ControlLogger) {}

  private assertInit(): void {
    if (this.initialized) throw new RegisterTradingControlPostInit();
  }

  set_max_leverage(max_leverage: number): void {
    this.assertInit();
    this.account.push(new MaxLeverage({ max_leverage, logger: this.logger }));
  }

  set_min_leverage(min_leverage: number, grace_period_days: number, start_session: number): void {
    this.assertInit();
    this.account.push(
      new MinLeverage({ min_leverage, grace_period_days, start_session, logger: this.logger }),
    );
  }

  set_max_position_size(opts: SizeOptions = {}): void {
    this.assertInit();
    this.trading.push(new MaxPositionSize({ ...opts, logger: this.logger }));
  }

  set_max_order_size(opts: SizeOptions = {}): void {
    this.assertInit();
    this.trading.push(new MaxOrderSize({ ...opts, logger: this.logger }));
  }

  set_max_order_count(max_count: number, on_error: OnError = "fail"): void {
    this.assertInit();
    this.trading.push(new MaxOrderCount({ max_count, on_error, logger: this.logger }));
  }

  set_long_only(on_error: OnError = "fail"): void {
    this.assertInit();
    this.trading.push(new LongOnly({ on_error, logger: this.logger }));
  }

  set_asset_restrictions(restrictions: Restrictions, on_error: OnError = "fail"): void {
    this.assertInit();
    this.trading.push(new RestrictedListOrder({ restrictions, on_error, logger: this.logger }));
    this.restrictions = this.restrictions ? union(this.restrictions, restrictions) : restrictions;
  }

  /** Deprecated in zipline; kept for old strategies. */
  set_do_not_order_list(assets: Iterable<Asset>, on_error: OnError = "fail"): void {
    this.set_asset_restrictions(new StaticRestrictions([...assets]), on_error);
  }

  /** Runs every trading control; a "fail" control throws `TradingControlViolation`. */
  validateOrder(
    asset: Asset,
    amount: number,
    dt: number,
    position_amount: number,
    price: number,
  ): void {
    for (const c of this.trading) c.validate({ asset, amount, dt, position_amount, price });
  }

  validateAccount(dt: number, leverage: number): void {
    for (const c of this.account) c.validate({ dt, leverage });
  }

  isRestricted(asset: Asset, dt: number): boolean {
    return this.restrictions !== null && this.restrictions.is_restricted(asset, dt);
  }
}
