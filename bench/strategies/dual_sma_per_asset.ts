/**
 * `dual_sma_zipline.ts` with one `data.history(asset, …)` call per asset instead of one over all
 * assets: the same Series arithmetic (`tail(20).mean() > mean()`) and orders, so the bench can
 * compare the multi-asset history path with 100 single-asset calls (issue 16).
 */
import {
  commission,
  order_target_percent,
  set_commission,
  set_slippage,
  slippage,
  symbols,
} from "harvester/api";
import type { Asset, BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  set_commission(new commission.NoCommission());
  set_slippage(new slippage.FixedSlippage({ spread: 0 }));
  context.assets = [];
  context.bars = 0;
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  if (context.assets.length === 0) {
    const n = Number(context.params.assets ?? 100);
    const names = Array.from({ length: n }, (_, i) => `SYM${String(i).padStart(4, "0")}`);
    context.assets = await symbols(...names);
  }
  context.bars += 1;
  if (context.bars < 50) return;
  const assets: Asset[] = context.assets;
  for (const asset of assets) {
    const c = await data.history(asset, "close", 50, "1d");
    const up = c.tail(20).mean() > c.mean();
    await order_target_percent(asset, up ? 1 / assets.length : 0);
  }
}
