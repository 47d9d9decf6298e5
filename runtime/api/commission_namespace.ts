/**
 * zipline's `zipline.finance.commission`, as `harvester/api`'s `commission` namespace: the
 * built-in models, the base classes to subclass (`CommissionModel`, `EquityCommissionModel`),
 * and the types a subclass's `calculate(order, transaction)` is written with.
 *
 * @example
 * ```ts
 * import { commission } from "harvester/api";
 * import type { Order } from "harvester/api";
 *
 * class PerFill extends commission.CommissionModel {
 *   calculate(_order: Order, txn: commission.Transaction): number {
 *     return 1 + 0.005 * Math.abs(txn.amount);
 *   }
 * }
 * ```
 *
 * @module
 */
export {
  CommissionModel,
  EquityCommissionModel,
  NoCommission,
  PerDollar,
  PerShare,
  PerTrade,
} from "../finance/commission.ts";
export type { AssetType } from "../finance/commission.ts";
export type { Transaction } from "../finance/order.ts";
