/**
 * zipline's `buyapple` example: buys 10 more shares of AAPL every bar and records its price.
 * Run: `deno task harvester backtest strategies/buyapple.ts -s 2014-01-01 -e 2014-11-01`
 */
import {
  commission,
  order,
  record,
  set_commission,
  set_slippage,
  slippage,
  symbol,
} from "harvester/api";
import type { BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  context.asset = await symbol("AAPL");
  // Explicit commission and slippage models, as zipline's example sets them.
  set_commission(new commission.PerShare({ cost: 0.0075, min_trade_cost: 1.0 }));
  set_slippage(new slippage.VolumeShareSlippage());
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  await order(context.asset, 10);
  record({ AAPL: await data.current(context.asset, "price") });
}
