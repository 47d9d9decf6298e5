/**
 * zipline's `dual_moving_average` example: from the 300th bar, holds 100 shares of AAPL while its
 * 100-day average price is above its 300-day average, none otherwise.
 */
import {
  commission,
  order_target,
  record,
  set_commission,
  set_slippage,
  slippage,
  symbol,
} from "harvester/api";
import type { BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  context.sym = await symbol("AAPL");
  context.i = 0;
  set_commission(new commission.PerShare({ cost: 0.0075, min_trade_cost: 1.0 }));
  set_slippage(new slippage.VolumeShareSlippage());
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  context.i += 1;
  if (context.i < 300) return;
  const short_mavg = (await data.history(context.sym, "price", 100, "1d")).mean();
  const long_mavg = (await data.history(context.sym, "price", 300, "1d")).mean();
  if (short_mavg > long_mavg) await order_target(context.sym, 100);
  else if (short_mavg < long_mavg) await order_target(context.sym, 0);
  record({ AAPL: await data.current(context.sym, "price"), short_mavg, long_mavg });
}
