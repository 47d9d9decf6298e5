/**
 * zipline's `buy_and_hold` example: buys 100 shares each of AAPL and MSFT on the first bar and
 * holds them.
 */
import { commission, order, set_commission, set_slippage, slippage, symbols } from "harvester/api";
import type { BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  context.has_ordered = false;
  context.stocks = await symbols("AAPL", "MSFT");
  set_commission(new commission.PerShare({ cost: 0.0075, min_trade_cost: 1.0 }));
  set_slippage(new slippage.VolumeShareSlippage());
}

export async function handle_data(context: Context, _data: BarData): Promise<void> {
  if (context.has_ordered) return;
  for (const stock of context.stocks) await order(stock, 100);
  context.has_ordered = true;
}
