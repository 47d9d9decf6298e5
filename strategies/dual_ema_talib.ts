/**
 * zipline's `dual_ema_talib` example: TA-Lib-style EMAs (seeded with the simple average of the
 * first N values, then k = 2/(N+1)) of the last 40 prices; buys 100 AAPL when the 20-day EMA
 * crosses above the 40-day one, sells them when it crosses below.
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

/** TA-Lib's EMA of `values` with period `n`; the last value. */
export function talibEma(values: Float64Array, n: number): number {
  let ema = 0;
  for (let i = 0; i < n; i++) ema += values[i];
  ema /= n;
  const k = 2 / (n + 1);
  for (let i = n; i < values.length; i++) ema = (values[i] - ema) * k + ema;
  return ema;
}

export async function initialize(context: Context): Promise<void> {
  context.asset = await symbol("AAPL");
  context.invested = false;
  set_commission(new commission.PerShare({ cost: 0.0075, min_trade_cost: 1.0 }));
  set_slippage(new slippage.VolumeShareSlippage());
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  const trailing = await data.history(context.asset, "price", 40, "1d");
  if (trailing.hasnans) return;
  const short_ema = talibEma(trailing.values, 20);
  const long_ema = talibEma(trailing.values, 40);
  let buy = false, sell = false;
  if (short_ema > long_ema && !context.invested) {
    await order(context.asset, 100);
    context.invested = true;
    buy = true;
  } else if (short_ema < long_ema && context.invested) {
    await order(context.asset, -100);
    context.invested = false;
    sell = true;
  }
  record({ AAPL: await data.current(context.asset, "price"), short_ema, long_ema, buy, sell });
}
