/**
 * A dual moving-average crossover, explained for newcomers.
 *
 * Every strategy is a module that exports `initialize`, and usually `handle_data`. Harvester calls
 * `initialize` once before the first bar and `handle_data` on every bar (every session in a daily
 * backtest). Anything that may need the network when trading live — looking up assets, reading
 * prices, placing orders — returns a Promise, so we `await` it.
 *
 * Run it on the data the repository ships:
 *   deno task harvester backtest strategies/dual_moving_average_explained.ts -s 2006-01-01 -e 2012-12-31
 * and change the windows from the command line:
 *   … -D short=20 -D long=100
 */
import { order_target_percent, record, symbol } from "harvester/api";
import type { BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  // `context` is our notebook for the whole run: store whatever we need on it.
  context.asset = await symbol(context.params.symbol ?? "AAPL");
  // -D name=value on the command line arrives as context.params.name (strings).
  context.short_window = Number(context.params.short ?? 50);
  context.long_window = Number(context.params.long ?? 200);
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  // `data.history` gives the last N daily prices, ending with today's, adjusted for splits and
  // dividends as of today — never a price from the future.
  const prices = await data.history(context.asset, "price", context.long_window, "1d");
  if (prices.hasnans) return; // not enough history yet

  const shortMean = prices.tail(context.short_window).mean();
  const longMean = prices.mean();

  // Invest everything while the short average is above the long one; otherwise hold cash.
  // Orders placed today fill at the next bar's close, as in zipline.
  await order_target_percent(context.asset, shortMean > longMean ? 1.0 : 0.0);

  // Recorded values become columns of the results table.
  record({ price: prices.last(), short_mavg: shortMean, long_mavg: longMean });
}
