/**
 * The reference benchmark workload (shared/bench/README.md): dual SMA crossover on close, short
 * 20 / long 50, every asset, every bar: order_target_percent(asset, sma20 > sma50 ? 1/A : 0);
 * no commission, no slippage; first decision on the 50th bar. `-D variant=cross` orders only when
 * an asset's signal flips.
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
  context.cross = context.params.variant === "cross";
  context.assets = null;
  context.signal = null;
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  if (!context.assets) {
    const n = Number(context.params.assets ?? 0) || undefined;
    const all: Asset[] = [];
    for (let sid = 0;; sid++) {
      try {
        all.push(await context.sid(sid));
      } catch {
        break;
      }
      if (n && all.length === n) break;
    }
    context.assets = all;
    context.signal = new Int8Array(all.length).fill(-1);
    context.bars = 0;
  }
  context.bars += 1;
  if (context.bars < 50) return;
  const assets: Asset[] = context.assets;
  const weight = 1 / assets.length;
  for (let i = 0; i < assets.length; i++) {
    const closes = (await data.history(assets[i], "close", 50, "1d")).values;
    let s20 = 0, s50 = 0;
    for (let k = 0; k < 50; k++) {
      s50 += closes[k];
      if (k >= 30) s20 += closes[k];
    }
    const up = s20 / 20 > s50 / 50 ? 1 : 0;
    if (context.cross && context.signal[i] === up) continue;
    context.signal[i] = up;
    await order_target_percent(assets[i], up ? weight : 0);
  }
}
