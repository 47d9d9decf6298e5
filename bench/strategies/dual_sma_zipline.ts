/**
 * The benchmark workload written as a zipline user writes it (issue 16): the assets looked up by
 * symbol once, one `data.history(context.assets, "close", 50, "1d")` per bar, then each asset's
 * column read from the frame and averaged with pandas-style `tail(20).mean()` and `mean()`.
 * Same rules and orders as `dual_sma.ts`: no commission, no slippage, first decision on the 50th
 * bar, `order_target_percent(asset, sma20 > sma50 ? 1/A : 0)` on every asset every bar.
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
  const closes = await data.history(assets, "close", 50, "1d");
  for (const asset of assets) {
    const c = closes.get(asset);
    const up = c.tail(20).mean() > c.mean();
    await order_target_percent(asset, up ? 1 / assets.length : 0);
  }
}
