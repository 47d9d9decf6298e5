/** Reads every asset's last 50 minute closes each minute and never orders (memory baseline). */
import type { Asset, BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  context.assets = [];
  for (let sid = 0; sid < 10; sid++) context.assets.push(await context.sid(sid));
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  for (const a of context.assets as Asset[]) {
    context.last = (await data.history(a, "close", 50, "1m")).values[49];
  }
}
