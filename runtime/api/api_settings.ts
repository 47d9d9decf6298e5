/**
 * The API: settings made in `initialize` — fill models, cancel policy, benchmark, and zipline's
 * trading and account controls. Each refuses to run after initialize (zipline's …PostInit errors).
 */
import type { Asset } from "../assets/asset.ts";
import type { CancelPolicy } from "../finance/cancel_policy.ts";
import type { CommissionModel } from "../finance/commission.ts";
import type { OnError } from "../finance/controls.ts";
import type { Restrictions } from "../finance/restrictions.ts";
import type { SlippageModel } from "../finance/slippage.ts";
import type { SizeOptions } from "./controls.ts";
import { apiGroup } from "./define.ts";
import {
  checkedCommission,
  COMMISSION,
  modelArgs,
  type ModelChoice,
  runnableSlippage,
  SLIPPAGE,
} from "./fill_model_args.ts";

export const settingsApi = apiGroup({
  /**
   * The slippage model of the simulated venue (backtests and paper sessions): how much of each
   * open order fills on a bar, and at what price. zipline's forms: one model (for equities),
   * `{ us_equities, us_futures }` (zipline's keyword arguments), or the two positionally. A model
   * is a built-in (`slippage.FixedBasisPointsSlippage`, zipline's default; `VolumeShareSlippage`;
   * `FixedSlippage`; `NoSlippage`) or your subclass of `slippage.SlippageModel` implementing
   * `process_order(data, order)`. Anything else is refused here. Only in `initialize`.
   *
   * @example
   * ```ts
   * set_slippage(new slippage.VolumeShareSlippage({ volume_limit: 0.025, price_impact: 0.1 }));
   * set_slippage({ us_equities: new slippage.FixedSlippage({ spread: 0.02 }) });
   * ```
   */
  set_slippage(
    us_equities?: SlippageModel | ModelChoice<SlippageModel> | null,
    us_futures?: SlippageModel | null,
  ): void {
    this.assertInitializing("set_slippage");
    const m = modelArgs<SlippageModel>(SLIPPAGE, [us_equities, us_futures]);
    if (m.us_equities) this.models.slippage = runnableSlippage(m.us_equities);
    if (m.us_futures) this.models.future_slippage = runnableSlippage(m.us_futures);
  },

  /**
   * The commission model of the simulated venue: what each fill costs. zipline's forms, as for
   * `set_slippage`: one model, `{ us_equities, us_futures }`, or the two positionally. A model is
   * a built-in (`commission.PerShare`, zipline's default; `PerTrade`; `PerDollar`;
   * `NoCommission`) or your subclass of `commission.CommissionModel` implementing
   * `calculate(order, transaction)`. Only in `initialize`.
   *
   * @example
   * ```ts
   * set_commission(new commission.PerShare({ cost: 0.0075, min_trade_cost: 1 }));
   * set_commission({ us_equities: new commission.PerTrade({ cost: 5 }) });
   * ```
   */
  set_commission(
    us_equities?: CommissionModel | ModelChoice<CommissionModel> | null,
    us_futures?: CommissionModel | null,
  ): void {
    this.assertInitializing("set_commission");
    const m = modelArgs<CommissionModel>(COMMISSION, [us_equities, us_futures]);
    if (m.us_equities) this.models.commission = checkedCommission(m.us_equities);
    if (m.us_futures) this.models.future_commission = checkedCommission(m.us_futures);
  },

  /**
   * When open orders are cancelled (default `NeverCancel`).
   *
   * @example
   * ```ts
   * set_cancel_policy(new EODCancel());
   * ```
   */
  set_cancel_policy(policy: CancelPolicy): void {
    this.assertInitializing("set_cancel_policy");
    this.cancel_policy = policy;
  },

  /**
   * The benchmark: an asset's returns (a command line benchmark takes precedence).
   *
   * @example
   * ```ts
   * set_benchmark(await symbol("SPY"));
   * ```
   */
  set_benchmark(asset: Asset): void {
    this.assertInitializing("set_benchmark");
    this.benchmark_asset = asset;
  },

  /**
   * Fails the run when gross leverage exceeds `max_leverage` at a session's end.
   *
   * @example
   * ```ts
   * set_max_leverage(1.5);
   * ```
   */
  set_max_leverage(max_leverage: number): void {
    this.controls.set_max_leverage(max_leverage);
  },

  /**
   * Fails the run when leverage stays under `min_leverage` after the grace period.
   *
   * @example
   * ```ts
   * set_min_leverage(0.5, 10);
   * ```
   */
  set_min_leverage(min_leverage: number, grace_period_days: number): void {
    this.controls.set_min_leverage(min_leverage, grace_period_days, this.sessions[0]);
  },

  /**
   * Caps the position in an asset (or every asset) in shares and/or value.
   *
   * @example
   * ```ts
   * set_max_position_size({ asset: aapl, max_shares: 1000 });
   * ```
   */
  set_max_position_size(opts: SizeOptions = {}): void {
    this.controls.set_max_position_size(opts);
  },

  /**
   * Caps each order in shares and/or value.
   *
   * @example
   * ```ts
   * set_max_order_size({ max_notional: 100_000 });
   * ```
   */
  set_max_order_size(opts: SizeOptions = {}): void {
    this.controls.set_max_order_size(opts);
  },

  /**
   * Caps the orders placed per session.
   *
   * @example
   * ```ts
   * set_max_order_count(50);
   * ```
   */
  set_max_order_count(max_count: number, opts: { on_error?: OnError } = {}): void {
    this.controls.set_max_order_count(max_count, opts.on_error);
  },

  /**
   * Refuses orders that would leave a short position.
   *
   * @example
   * ```ts
   * set_long_only();
   * ```
   */
  set_long_only(opts: { on_error?: OnError } = {}): void {
    this.controls.set_long_only(opts.on_error);
  },

  /**
   * Refuses orders in restricted assets (and `data.can_trade` says false for them).
   *
   * @example
   * ```ts
   * set_asset_restrictions(new StaticRestrictions([aapl]));
   * ```
   */
  set_asset_restrictions(restrictions: Restrictions, opts: { on_error?: OnError } = {}): void {
    this.controls.set_asset_restrictions(restrictions, opts.on_error);
  },

  /**
   * zipline's older form of `set_asset_restrictions` with a fixed list.
   *
   * @example
   * ```ts
   * set_do_not_order_list([aapl]);
   * ```
   */
  set_do_not_order_list(assets: Iterable<Asset>, opts: { on_error?: OnError } = {}): void {
    this.controls.set_do_not_order_list(assets, opts.on_error);
  },
});
