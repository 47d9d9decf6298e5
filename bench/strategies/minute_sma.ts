/**
 * The minute benchmark workload: the dual SMA crossover (20/50) on every asset's minute closes,
 * ordering only when a signal flips (the `cross` variant of the reference workload).
 */
import {
  commission,
  order_target_percent,
  set_commission,
  set_slippage,
  slippage,
} from "harvester/api";
import type { Asset, BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  set_commission(new commission.NoCommission());
  set_slippage(new slippage.FixedSlippage({ spread: 0 }));
  context.assets = [];
  for (let sid = 0; sid < Number(context.params.assets ?? 10); sid++) {
    context.assets.push(await context.sid(sid));
  }
  context.signal = new Int8Array(context.assets.length).fill(-1);
  context.bars = 0;
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  context.bars += 1;
  if (context.bars < 50) return;
  const assets: Asset[] = context.assets;
  for (let i = 0; i < assets.length; i++) {
    const closes = (await data.history(assets[i], "close", 50, "1m")).values;
    let s20 = 0, s50 = 0;
    for (let k = 0; k < 50; k++) {
      s50 += closes[k];
      if (k >= 30) s20 += closes[k];
    }
    const up = s20 / 20 > s50 / 50 ? 1 : 0;
    if (context.signal[i] === up) continue;
    context.signal[i] = up;
    await order_target_percent(assets[i], up ? 1 / assets.length : 0);
  }
}
