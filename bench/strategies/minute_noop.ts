/** Reads every asset's last 50 minute closes each minute and never orders (memory baseline). */
import type { Asset, BarData, Context } from "harvester/api";

export async function initialize(context: Context): Promise<void> {
  context.assets = [];
  for (let sid = 0; sid < 10; sid++) context.assets.push(await context.sid(sid));
  context.bars = 0;
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  // The first 49 minutes of the data have no 50-minute window (HistoryWindowStartsBeforeData).
  if (++context.bars < 50) return;
  for (const a of context.assets as Asset[]) {
    context.last = (await data.history(a, "close", 50, "1m")).values[49];
  }
}
