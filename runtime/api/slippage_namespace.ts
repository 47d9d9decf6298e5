/**
 * zipline's `zipline.finance.slippage`, as `harvester/api`'s `slippage` namespace: the built-in
 * models, the base classes to subclass (`SlippageModel`, `EquitySlippageModel`), and the types a
 * subclass's `process_order(data, order)` is written with.
 *
 * @example
 * ```ts
 * import { slippage } from "harvester/api";
 * import type { Order } from "harvester/api";
 *
 * class CentWorse extends slippage.SlippageModel {
 *   process_order(data: slippage.BarView, order: Order): slippage.Fill {
 *     return [data.current(order.asset, "close") + 0.01 * order.direction, order.amount];
 *   }
 * }
 * ```
 *
 * @module
 */
export {
  EquitySlippageModel,
  fill_price_worse_than_limit_price,
  FixedBasisPointsSlippage,
  FixedSlippage,
  LiquidityExceeded,
  NoSlippage,
  SlippageModel,
  VolumeShareSlippage,
} from "../finance/slippage.ts";
export type { AssetType, Fill } from "../finance/slippage.ts";
export type { Transaction } from "../finance/order.ts";
/** What `process_order`'s `data` reads: the current bar, synchronously (`data.current(asset, "close")`). */
export type { MarketView as BarView } from "../finance/market_view.ts";
