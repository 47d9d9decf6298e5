/**
 * The cost of the strategy API's shape alone, with no engine behind it: the reference workload's
 * arithmetic written as the bench strategy writes it — an async `handle_data` per bar, and per
 * asset an awaited history call that resolves to a Series over a view of the closes (and, every
 * bar, an awaited order call that does nothing). Set beside the plain loop, it says how much of
 * the engine's ratio to the plain loop the API's `await`s and objects take by themselves, so a
 * target on that ratio can be read against what no engine can go under.
 */
import { Series } from "../runtime/frames/series.ts";

/** Milliseconds for the workload over `close` (asset-major, `sessions` per asset) on the API's shape. */
export async function apiShapeMs(
  close: Float64Array,
  assets: number,
  sessions: number,
  every: boolean,
): Promise<number> {
  const index = new Float64Array(50);
  // A resolved history call, as `data.history(asset, "close", 50, "1d")` gives one.
  const history = (a: number, t: number): Promise<Series> =>
    Promise.resolve(
      new Series(new Float64Array(close.buffer, (a * sessions + t - 49) * 8, 50), index, "close"),
    );
  // An order call that does nothing: what awaiting `order_target_percent` costs by itself.
  const order = (_a: number, weight: number): Promise<number | null> =>
    Promise.resolve(weight > 2 ? 1 : null);
  const signal = new Int8Array(assets).fill(-1);
  const handle = async (t: number): Promise<void> => {
    for (let a = 0; a < assets; a++) {
      const closes = (await history(a, t)).values;
      let s20 = 0, s50 = 0;
      for (let k = 0; k < 50; k++) {
        s50 += closes[k];
        if (k >= 30) s20 += closes[k];
      }
      const up = s20 / 20 > s50 / 50 ? 1 : 0;
      if (!every && signal[a] === up) continue;
      signal[a] = up;
      await order(a, up ? 1 / assets : 0);
    }
  };
  const t0 = performance.now();
  for (let t = 49; t < sessions; t++) await handle(t);
  return performance.now() - t0;
}
