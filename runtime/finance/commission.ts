/**
 * Commission models (zipline's `finance/commission.py`): what each fill of an order costs.
 *
 * `calculate` returns the commission to add for one transaction. It reads `order.filled` and
 * `order.commission` as they were before this fill, so the engine must call it first and only
 * then add `txn.amount` to `order.filled` and the result to `order.commission`.
 */
import { InvalidInputError } from "../errors.ts";
import type { Order, Transaction } from "./order.ts";

/** The asset types a model supports (zipline's `allowed_asset_types`). */
export type AssetType = "Equity" | "Future";

/**
 * zipline's abstract `CommissionModel`: subclass it and implement `calculate(order,
 * transaction)`, which returns the additional commission (dollars, ≥ 0) that `transaction`
 * costs `order`. `order.commission` and `order.filled` are as they were before this fill.
 *
 * @example
 * ```ts
 * import { commission } from "harvester/api";
 * import type { Order } from "harvester/api";
 *
 * // $1 per fill plus half a cent a share.
 * class PerFill extends commission.CommissionModel {
 *   calculate(_order: Order, txn: commission.Transaction): number {
 *     return 1 + 0.005 * Math.abs(txn.amount);
 *   }
 * }
 * ```
 */
export abstract class CommissionModel {
  /** zipline's `allowed_asset_types`: the models for `set_commission`'s `us_equities`/`us_futures`. */
  readonly allowed_asset_types: readonly AssetType[] = ["Equity", "Future"];

  /** The additional commission (in dollars, ≥ 0) that `txn` costs `order`. */
  abstract calculate(order: Order, txn: Transaction): number;
}

/**
 * zipline's base class for commission models that only support equities.
 *
 * @example
 * ```ts
 * class Flat extends commission.EquityCommissionModel {
 *   calculate(order: Order): number {
 *     return order.commission === 0 ? 1 : 0;
 *   }
 * }
 * ```
 */
export abstract class EquityCommissionModel extends CommissionModel {
  override readonly allowed_asset_types: readonly AssetType[] = ["Equity"];
}

/** zipline's defaults. */
export const DEFAULT_PER_SHARE_COST = 0.001;
export const DEFAULT_PER_DOLLAR_COST = 0.0015;
export const DEFAULT_MINIMUM_COST_PER_EQUITY_TRADE = 0.0;

function checkCost(model: string, field: string, value: number): void {
  if (typeof value !== "number" || !(value >= 0) || value === Infinity) {
    const shown = Number.isFinite(value) ? value : String(value);
    throw new InvalidInputError(`${model}.${field}`, shown, "must be a finite number ≥ 0");
  }
}

/**
 * zipline's per-unit rule with a minimum per order. The first fill that is charged (while
 * `order.commission` is 0) pays `max(min_trade_cost, units × cost + initial)`; later fills pay
 * nothing until the per-unit total of the whole order passes what was already paid, then the
 * difference.
 *
 * @example
 * ```ts
 * per_unit_commission(order, txn, 0.0075, 0, 2.5); // 2.5 for a first fill of 230 shares
 * ```
 */
export function per_unit_commission(
  order: Order,
  txn: Transaction,
  cost_per_unit: number,
  initial_commission: number,
  min_trade_cost: number,
): number {
  const additional = Math.abs(txn.amount * cost_per_unit);
  if (order.commission === 0) {
    return Math.max(min_trade_cost, additional + initial_commission);
  }
  const per_unit_total = Math.abs(order.filled * cost_per_unit) + additional + initial_commission;
  if (per_unit_total < min_trade_cost) return 0;
  return per_unit_total - order.commission;
}

/**
 * A cost per share with an optional minimum per order. zipline's default equity commission
 * (0.1¢ a share, no minimum).
 *
 * @example
 * ```ts
 * const model = new PerShare({ cost: 0.0075, min_trade_cost: 1 });
 * ```
 */
export class PerShare extends EquityCommissionModel {
  /** @default 0.001 */
  readonly cost_per_share: number;
  /** @default 0 */
  readonly min_trade_cost: number;

  constructor(opts: { cost?: number; min_trade_cost?: number | null } = {}) {
    super();
    this.cost_per_share = opts.cost ?? DEFAULT_PER_SHARE_COST;
    this.min_trade_cost = opts.min_trade_cost ?? 0;
    checkCost("PerShare", "cost", this.cost_per_share);
    checkCost("PerShare", "min_trade_cost", this.min_trade_cost);
  }

  calculate(order: Order, txn: Transaction): number {
    return per_unit_commission(order, txn, this.cost_per_share, 0, this.min_trade_cost);
  }
}

/**
 * A flat cost per order, charged in full on its first fill (while `order.commission` is 0).
 *
 * @example
 * ```ts
 * const model = new PerTrade({ cost: 5 });
 * ```
 */
export class PerTrade extends CommissionModel {
  /** @default 0 */
  readonly cost: number;

  constructor(opts: { cost?: number } = {}) {
    super();
    this.cost = opts.cost ?? DEFAULT_MINIMUM_COST_PER_EQUITY_TRADE;
    checkCost("PerTrade", "cost", this.cost);
  }

  calculate(order: Order, _txn: Transaction): number {
    return order.commission === 0 ? this.cost : 0.0;
  }
}

/**
 * A cost per dollar traded: `|amount| × (price × cost)`.
 *
 * @example
 * ```ts
 * const model = new PerDollar({ cost: 0.0015 }); // $1,500 on $1M
 * ```
 */
export class PerDollar extends EquityCommissionModel {
  /** @default 0.0015 */
  readonly cost_per_dollar: number;

  constructor(opts: { cost?: number } = {}) {
    super();
    this.cost_per_dollar = opts.cost ?? DEFAULT_PER_DOLLAR_COST;
    checkCost("PerDollar", "cost", this.cost_per_dollar);
  }

  calculate(_order: Order, txn: Transaction): number {
    const cost_per_share = txn.price * this.cost_per_dollar;
    return Math.abs(txn.amount) * cost_per_share;
  }
}

/**
 * Free trading. Mostly for tests.
 *
 * @example
 * ```ts
 * const model = new NoCommission();
 * ```
 */
export class NoCommission extends CommissionModel {
  calculate(_order: Order, _txn: Transaction): number {
    return 0.0;
  }
}

/**
 * zipline's default commission for equities: `PerShare()` (0.1¢ a share, no minimum).
 *
 * @example
 * ```ts
 * const commission = defaultEquityCommission();
 * ```
 */
export function defaultEquityCommission(): CommissionModel {
  return new PerShare();
}
